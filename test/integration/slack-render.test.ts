/**
 * Block Kit rendering: every message stays within Slack's limits (cut or split, never rejected) and
 * paper text can never ping or smuggle a link. Plus the small pure helpers of the Slack adapter.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SeenEvents } from '../../src/adapters/slack/dedupe.ts';
import { SLACK_LIMITS as L } from '../../src/adapters/slack/limits.ts';
import { cutPlain, escapeMrkdwn, mrkdwnLink, splitPlain } from '../../src/adapters/slack/mrkdwn.ts';
import { paperIdFromBlockId, renderPaperCard, renderReply, type SlackBlock } from '../../src/adapters/slack/render.ts';
import { classifySlackError, withRateLimitRetry } from '../../src/adapters/slack/slack-errors.ts';
import { commandText, parseMentionText } from '../../src/adapters/slack/slack-text.ts';
import { paperInMessage } from '../../src/adapters/slack/thread-paper.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Action, PaperCard, Reply } from '../../src/core/reply.ts';
import { blockIds, textOf } from '../fakes/slack-blocks.ts';
import { BUTTONS, HOSTILE_TITLE } from '../fakes/slack-commands.ts';

function card(id: string, title = `Paper ${id}`, extra: Partial<PaperCard> = {}): PaperCard {
  const actions: Action[] = (['summary', 'related', 'random-related', 'share'] as const).map((verb) => ({
    label: verb,
    id: BUTTONS.id({ verb, arg: id }),
  }));
  return {
    paperId: id,
    title,
    url: `https://arxiv.org/abs/${id}`,
    authors: 'A. Author, B. Author',
    date: '2024-01-02',
    gist: 'A gist.',
    actions,
    ...extra,
  };
}

/** Every text string in the blocks (only the mrkdwn ones with `mrkdwnOnly`: plain_text is never parsed). */
function texts(blocks: SlackBlock[], mrkdwnOnly = false): string[] {
  const out: string[] = [];
  const take = (object: unknown) => {
    if (!object || typeof object !== 'object') return;
    const { type, text } = object as { type?: unknown; text?: unknown };
    if (typeof text === 'string' && (!mrkdwnOnly || type === 'mrkdwn')) out.push(text);
  };
  for (const block of blocks) {
    if ('text' in block) take(block.text);
    const elements = 'elements' in block ? (block.elements ?? []) : [];
    for (const element of elements) take(element.type === 'button' ? element.text : element);
  }
  return out;
}

/** Slack's per-message limits, checked the way Slack would. */
function assertWithinLimits(blocks: SlackBlock[]): void {
  assert.ok(blocks.length <= L.blocksPerMessage, `${blocks.length} blocks`);
  assert.ok(texts(blocks).join('').length <= L.messageText, 'total text');
  const seenIds = new Set<string>();
  for (const block of blocks) {
    if (block.block_id) {
      assert.ok(!seenIds.has(block.block_id), `duplicate block_id ${block.block_id}`);
      assert.ok(block.block_id.length <= L.blockId);
      seenIds.add(block.block_id);
    }
    if (block.type === 'section') assert.ok(textOf(block).length <= L.sectionText, 'section text');
    if (block.type === 'header') assert.ok(textOf(block).length <= L.headerText, 'header text');
    if (block.type === 'context') {
      for (const element of block.elements) {
        assert.ok(element.type !== 'image' && element.text.length <= L.contextText);
      }
    }
    if (block.type === 'actions') {
      assert.ok(block.elements.length >= 1 && block.elements.length <= L.actionsPerBlock, 'actions count');
      const ids = block.elements.map((element) => element.action_id);
      assert.equal(new Set(ids).size, ids.length, 'unique action ids in a block');
      for (const element of block.elements) {
        assert.ok(element.type === 'button', 'only buttons');
        assert.ok(element.action_id!.length <= L.actionId);
        assert.ok(element.text.text.length <= L.buttonText);
        assert.ok((element.value ?? '').length <= L.buttonValue);
      }
    }
  }
}

/**
 * Slack markup that would ping or link: `<!...>`, `<@...>`, `<#...>`, `<http...>`, except links we built to `allowed`.
 */
function assertNoSmuggledMarkup(blocks: SlackBlock[], allowedLinks: string[] = []): void {
  for (const text of texts(blocks, true)) {
    const withoutOurLinks = allowedLinks.reduce((rest, url) => rest.split(`<${url}|`).join('(link:'), text);
    assert.doesNotMatch(withoutOurLinks, /<[!@#]|<https?:|<mailto:/i, text);
  }
}

describe('GIVEN hostile paper text', () => {
  test('WHEN a title is full of <, >, & and <!channel> THEN it is escaped and only our link remains', () => {
    const reply: Reply = {
      blocks: [
        {
          kind: 'paper',
          card: card('2401.00002', HOSTILE_TITLE, { gist: '<@U999> &amp; <!here>', authors: '<!subteam^S1>' }),
        },
      ],
      visibility: 'public',
      fallback: HOSTILE_TITLE,
    };
    const message = renderReply(reply);
    const section = textOf(message.blocks[0]);
    assert.equal(
      section,
      '*<https://arxiv.org/abs/2401.00002|&lt;!channel&gt; Attention &amp; ' +
        '&lt;https://evil.example|click me&gt; &lt;@U123&gt; is all you need &gt; @everyone>*\n' +
        '&lt;!subteam^S1&gt; · 2024-01-02\n_&lt;@U999&gt; &amp;amp; &lt;!here&gt;_',
    );
    assert.equal(message.text, escapeMrkdwn(HOSTILE_TITLE));
    assertNoSmuggledMarkup(message.blocks, ['https://arxiv.org/abs/2401.00002']);
  });

  test('WHEN URLs are hostile THEN they are encoded or dropped, never executed', () => {
    assert.equal(mrkdwnLink('javascript:alert(1)', 'x'), 'x');
    assert.equal(
      mrkdwnLink('https://a.example/p?q=1|<!channel>&b=2', 'label'),
      '<https://a.example/p?q=1%7C%3C!channel%3E&amp;b=2|label>',
    );
    assert.equal(mrkdwnLink('not a url', '<b>'), '&lt;b&gt;');
  });

  test('WHEN any text is rendered THEN no Slack control markup survives (property)', () => {
    const hostile = fc.string({
      unit: fc.constantFrom(
        '<',
        '>',
        '&',
        '!',
        '@',
        '#',
        '|',
        'h',
        't',
        'p',
        's',
        ':',
        '/',
        ' ',
        '\n',
        'channel',
        'U1',
        'é',
        '😀',
      ),
      maxLength: 400,
    });
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (title, text, gist, label) => {
        const reply: Reply = {
          blocks: [
            { kind: 'text', text: title, style: 'heading' },
            { kind: 'text', text },
            { kind: 'text', text: gist, style: 'muted' },
            { kind: 'paper', card: card('2401.00001', title, { gist, authors: label }) },
            { kind: 'section', title: label, text },
            { kind: 'links', links: [{ label, url: 'https://huggingface.co/papers/2401.00001' }] },
            { kind: 'actions', actions: [{ label, id: 'pb:q:x' }] },
          ],
          visibility: 'ephemeral',
          fallback: text,
        };
        const message = renderReply(reply);
        assertWithinLimits(message.blocks);
        assertNoSmuggledMarkup(message.blocks, [
          'https://arxiv.org/abs/2401.00001',
          'https://huggingface.co/papers/2401.00001',
        ]);
        assert.doesNotMatch(message.text, /<[!@#h]/);
      }),
      { numRuns: 300 },
    );
  });
});

describe("GIVEN replies bigger than Slack's limits", () => {
  test('WHEN an abstract is 5,000 characters THEN it is split over sections at word boundaries, nothing lost', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    const abstract = words.slice(0, 5000);
    const message = renderReply({
      blocks: [{ kind: 'section', title: 'Abstract', text: abstract }],
      visibility: 'public',
      fallback: 'Abstract',
    });
    assertWithinLimits(message.blocks);
    assert.equal(message.blocks.length, 2);
    const joined = texts(message.blocks).join(' ').replace('*Abstract*\n', '');
    assert.equal(joined, abstract);
  });

  test('WHEN a text grows 4× once escaped THEN it is split so every piece fits escaped, nothing lost', () => {
    const message = renderReply({
      blocks: [{ kind: 'text', text: '<&>'.repeat(600) }],
      visibility: 'public',
      fallback: 'x',
    });
    assertWithinLimits(message.blocks);
    assert.equal(message.blocks.length, 3);
    assert.equal(
      texts(message.blocks).join('').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
      '<&>'.repeat(600),
    );
  });

  test(
    'WHEN there are 30 results ' +
      'THEN the message holds what fits, cards keep their buttons, and says what was left out',
    () => {
      const reply: Reply = {
        blocks: [
          { kind: 'text', text: '30 papers about diffusion', style: 'heading' },
          ...Array.from({ length: 30 }, (_, i) => ({
            kind: 'paper' as const,
            card: card(`2401.${String(i).padStart(5, '0')}`),
          })),
          { kind: 'actions', actions: [{ label: 'More results', id: 'pb:q2:diffusion' }] },
        ],
        visibility: 'ephemeral',
        fallback: '30 papers',
      };
      const message = renderReply(reply);
      assertWithinLimits(message.blocks);
      assert.equal(message.blocks.length, L.blocksPerMessage);
      const blocks = message.blocks;
      blocks.forEach((block, index) => {
        if (block.block_id?.startsWith('paper:'))
          assert.equal(blocks[index + 1]?.type, 'actions', 'a card is never separated from its buttons');
      });
      assert.equal(blocks.filter((block) => block.block_id?.startsWith('paper:')).length, 24);
      assert.deepEqual(blocks.at(-1), {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: '… 7 more items not shown (too long for one Slack message).' }],
      });
    },
  );

  test('WHEN cards are long THEN the 12k total is respected', () => {
    const long = 'x'.repeat(5000);
    const reply: Reply = {
      blocks: Array.from({ length: 20 }, (_, i) => ({
        kind: 'paper' as const,
        card: card(`2401.${String(i).padStart(5, '0')}`, long, { gist: long, authors: long, matched: [long] }),
      })),
      visibility: 'ephemeral',
      fallback: long,
    };
    const message = renderReply(reply);
    assertWithinLimits(message.blocks);
    assert.ok(message.text.length <= L.fallbackText);
    const last = message.blocks.at(-1);
    assert.ok(last?.type === 'context', 'the last block is the note');
    const note = last.elements[0];
    assert.ok(note?.type === 'mrkdwn');
    assert.match(note.text, /more items not shown/);
  });

  test('WHEN there are 30 buttons, long labels, oversize and duplicate ids THEN actions blocks are valid', () => {
    const actions: Action[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ label: `Button ${i} `.repeat(20), id: `pb:q:${i}` })),
      { label: 'dup', id: 'pb:q:0' },
      { label: 'too long', id: 'x'.repeat(300) },
      { label: 'primary', id: 'pb:q:p', style: 'primary' },
    ];
    const message = renderReply({ blocks: [{ kind: 'actions', actions }], visibility: 'ephemeral', fallback: 'x' });
    assertWithinLimits(message.blocks);
    const rows = message.blocks.filter((block) => block.type === 'actions');
    assert.equal(rows.length, message.blocks.length, 'only actions blocks');
    const elements = rows.flatMap((block) => block.elements);
    assert.deepEqual(
      rows.map((block) => block.elements.length),
      [25, 6],
    );
    assert.equal(elements.length, 31);
    const [first, last] = [elements[0], elements.at(-1)];
    assert.ok(first?.type === 'button' && last?.type === 'button', 'buttons');
    assert.equal(last.style, 'primary');
    assert.ok(first.text.text.endsWith('…'));
  });

  test('WHEN texts are empty or blank THEN no empty section is sent (Slack rejects them)', () => {
    const message = renderReply({
      blocks: [
        { kind: 'text', text: '   ' },
        { kind: 'section', title: '', text: ' \n ' },
        { kind: 'section', title: '', text: 'body only' },
        { kind: 'text', text: `${'x'.repeat(2999)}\n\n   \n` },
      ],
      visibility: 'public',
      fallback: '',
    });
    assertWithinLimits(message.blocks);
    for (const block of message.blocks) assert.ok(textOf(block).trim().length > 0);
    assert.equal(textOf(message.blocks[0]), 'body only');
    assert.equal(message.text, 'paperboy');
  });

  test('WHEN a heading is longer than 150 characters THEN it is cut', () => {
    const message = renderReply({
      blocks: [{ kind: 'text', text: 'Heading '.repeat(40), style: 'heading' }],
      visibility: 'public',
      fallback: 'x',
    });
    assertWithinLimits(message.blocks);
    assert.ok(textOf(message.blocks[0]).endsWith('…'));
  });

  test('WHEN the same paper appears twice THEN block ids stay unique and both point to the paper', () => {
    const message = renderReply({
      blocks: [
        { kind: 'paper', card: card('2401.00001') },
        { kind: 'paper', card: card('2401.00001') },
      ],
      visibility: 'public',
      fallback: 'x',
    });
    assertWithinLimits(message.blocks);
    const ids = blockIds(message.blocks);
    assert.deepEqual(ids, ['paper:2401.00001', 'paper~2:2401.00001']);
    assert.deepEqual(ids.map(paperIdFromBlockId), ['2401.00001', '2401.00001']);
  });

  test('WHEN a card is unfurled THEN it is the card section and its buttons', () => {
    const blocks = renderPaperCard(card('hep-th/9901001'));
    assert.equal(blocks[0]?.block_id, 'paper:hep-th/9901001');
    assert.equal(blocks[1]!.type, 'actions');
    assert.equal(paperIdFromBlockId('paper:hep-th/9901001'), 'hep-th/9901001');
    assert.equal(paperIdFromBlockId('other'), undefined);
  });
});

describe('GIVEN the helpers', () => {
  test('cutPlain and splitPlain measure escaped length and prefer word boundaries', () => {
    assert.equal(cutPlain('hello world', 100), 'hello world');
    assert.equal(cutPlain('hello wonderful world', 17), 'hello wonderful…');
    assert.ok(escapeMrkdwn(cutPlain('&&&&&&', 12)).length <= 12);
    assert.deepEqual(splitPlain('aaaa bbbb cccc', 9), ['aaaa bbbb', 'cccc']);
    assert.deepEqual(splitPlain('', 10), []);
    assert.deepEqual(splitPlain('&&', 1), ['&', '&'], 'a budget below one escape still makes progress');
  });

  test('mentions: the bot, users and markup are removed; paper links are pulled out', () => {
    assert.deepEqual(parseMentionText('<@UBOT> something random about diffusion', 'UBOT'), {
      words: 'something random about diffusion',
      linkedIds: [],
    });
    assert.deepEqual(
      parseMentionText('<@UBOT|paperboy> related <https://arxiv.org/abs/2401.00001v2|paper> <@U2>', 'UBOT'),
      { words: 'related', linkedIds: ['2401.00001'] },
    );
    assert.deepEqual(
      parseMentionText('<@UBOT> see <https://example.com|example> in <#C1|general> &lt;b&gt; &amp;', 'UBOT'),
      { words: 'see example in #general <b> &', linkedIds: [] },
    );
    assert.deepEqual(parseMentionText('<@UBOT>', 'UBOT'), { words: '', linkedIds: [] });
  });

  test('slash command text: entities unescaped, links kept as URLs, references as names', () => {
    assert.equal(
      commandText('summary <https://arxiv.org/abs/2401.00001|arxiv.org/abs/2401.00001>'),
      'summary https://arxiv.org/abs/2401.00001',
    );
    assert.equal(commandText('q&amp;a &lt;b&gt; <@U1|ada> <#C1|general> <!here>'), 'q&a <b> @ada #general');
    assert.equal(commandText('  plain   words '), 'plain words');
  });

  test('thread roots: our card block id first, then arXiv / Hugging Face links', () => {
    assert.equal(
      paperInMessage({
        blocks: [{ block_id: 'abc' }, { block_id: 'paper:2401.00007' }],
        text: 'https://arxiv.org/abs/2401.00001',
      }),
      '2401.00007',
    );
    assert.equal(paperInMessage({ text: 'see <https://huggingface.co/papers/2401.00009>' }), '2401.00009');
    assert.equal(
      paperInMessage({ text: 'x', attachments: [{ from_url: 'https://arxiv.org/pdf/2401.00008v1' }] }),
      '2401.00008',
    );
    assert.equal(paperInMessage({ text: 'nothing here 2401.00001' }), undefined);
    assert.equal(paperInMessage(undefined), undefined);
  });

  test('repeated event ids are let through once', () => {
    const seen = new SeenEvents(2, 1000);
    assert.equal(seen.firstTime('a', 0), true);
    assert.equal(seen.firstTime('a', 10), false);
    assert.equal(seen.firstTime('a', 2000), true, 'after the TTL');
    seen.firstTime('b', 2000);
    seen.firstTime('c', 2000);
    assert.equal(seen.firstTime('a', 2001), true, 'evicted by capacity');
  });

  test('Slack errors map to clear messages; rate limits are retried after Retry-After', async () => {
    assert.equal(
      classifySlackError({ code: 'slack_webapi_platform_error', data: { error: 'not_in_channel' } }).code,
      'not_in_channel',
    );
    assert.equal(classifySlackError({ code: 'slack_webapi_rate_limited_error', retryAfter: 2 }).code, 'ratelimited');
    assert.equal(classifySlackError(new Error('boom')).code, 'unknown_error');
    assert.match(
      classifySlackError({ code: 'slack_webapi_platform_error', data: { error: 'msg_too_long' } }).userMessage,
      /too long/,
    );
    const waits: number[] = [];
    let calls = 0;
    const result = await withRateLimitRetry(
      async () => {
        calls++;
        if (calls < 3)
          throw Object.assign(new Error('limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: calls });
        return 'ok';
      },
      {
        logger: silentLogger,
        what: 'test',
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(waits, [1000, 2000]);
    await assert.rejects(
      withRateLimitRetry(
        async () => {
          throw Object.assign(new Error('limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 3600 });
        },
        { logger: silentLogger, what: 'test', sleep: async () => {} },
      ),
      /limited/,
      'a Retry-After longer than we accept is not waited for',
    );
  });
});
