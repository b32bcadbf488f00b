/**
 * Rendering neutral replies for Discord: limits (content, embeds, descriptions, 6,000 in all, buttons,
 * rows, custom ids, labels), escaping of hostile paper text, `allowedMentions: { parse: [] }` always;
 * plus recovering a card's paper from a message and classifying Discord's errors.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiscordAPIError, RateLimitError } from 'discord.js';
import fc from 'fast-check';
import { classifyError } from '../../src/adapters/discord/errors.ts';
import { toDiscordChoices } from '../../src/adapters/discord/handlers/autocomplete.ts';
import { settleOrDefer } from '../../src/adapters/discord/handlers/in-time.ts';
import { LIMITS } from '../../src/adapters/discord/limits.ts';
import { cardPaperIds, paperIdFromMessage } from '../../src/adapters/discord/paper-ref.ts';
import {
  type DiscordPayload,
  embedLength,
  interactionPayload,
  renderReply,
  threadName,
} from '../../src/adapters/discord/render.ts';
import { clamp, escapeText } from '../../src/adapters/discord/text.ts';
import type { Action, Block, PaperCard, Reply } from '../../src/core/reply.ts';

function card(i: number, overrides: Partial<PaperCard> = {}): PaperCard {
  return {
    paperId: `2401.${String(10000 + i)}`,
    title: `Paper ${i}`,
    url: `https://arxiv.org/abs/2401.${10000 + i}`,
    authors: 'A. Author et al.',
    date: '2024-01-02',
    gist: 'A gist.',
    actions: [
      { label: 'Summary', id: `pb:s:2401.${10000 + i}` },
      { label: 'Related', id: `pb:r:2401.${10000 + i}` },
      { label: '🎲 Random related', id: `pb:x:2401.${10000 + i}` },
      { label: 'Share', id: `pb:h:2401.${10000 + i}` },
    ],
    ...overrides,
  };
}

function reply(blocks: Block[], visibility: Reply['visibility'] = 'ephemeral'): Reply {
  return { blocks, visibility, fallback: 'fallback text' };
}

function assertWithinLimits(payload: DiscordPayload): void {
  assert.ok(payload.content.length <= LIMITS.content, `content ${payload.content.length}`);
  assert.ok(payload.content.length > 0 || payload.embeds.length > 0, 'never an empty message');
  assert.ok(payload.embeds.length <= LIMITS.embedsPerMessage, 'payload.embeds.length <= LIMITS.embedsPerMessage');
  let total = 0;
  for (const embed of payload.embeds) {
    assert.ok((embed.title ?? '').length <= LIMITS.embedTitle, "(embed.title ?? '').length <= LIMITS.embedTitle");
    assert.ok(
      (embed.description ?? '').length <= LIMITS.embedDescription,
      "(embed.description ?? '').length <= LIMITS.embedDescription",
    );
    assert.ok(
      (embed.footer?.text ?? '').length <= LIMITS.embedFooter,
      "(embed.footer?.text ?? '').length <= LIMITS.embedFooter",
    );
    assert.ok((embed.fields ?? []).length <= LIMITS.embedFields, '(embed.fields ?? []).length <= LIMITS.embedFields');
    total += embedLength(embed);
  }
  assert.ok(total <= LIMITS.embedTotal, `embeds total ${total}`);
  assert.ok(payload.components.length <= LIMITS.actionRows, 'payload.components.length <= LIMITS.actionRows');
  const ids = new Set<string>();
  for (const row of payload.components) {
    assert.ok(
      row.components.length >= 1 && row.components.length <= LIMITS.buttonsPerRow,
      'row.components.length >= 1 && row.components.length <= LIMITS.buttonsPerRow',
    );
    for (const button of row.components) {
      assert.ok(button.custom_id.length <= LIMITS.customId, 'button.custom_id.length <= LIMITS.customId');
      assert.ok(
        button.label!.length >= 1 && button.label!.length <= LIMITS.buttonLabel,
        'button.label!.length >= 1 && button.label!.length <= LIMITS.buttonLabel',
      );
      assert.ok(!ids.has(button.custom_id), 'custom ids are unique in a message');
      ids.add(button.custom_id);
    }
  }
  assert.deepEqual(payload.allowedMentions, { parse: [] });
}

test('GIVEN 12 cards with 4 buttons each plus paging THEN 10 embeds, 25 buttons at most, paging kept', () => {
  const blocks: Block[] = [
    { kind: 'text', text: 'Results', style: 'heading' },
    ...Array.from({ length: 12 }, (_, i) => ({ kind: 'paper' as const, card: card(i) })),
    { kind: 'actions', actions: [{ label: 'Next', id: 'pb:q2:lora' }] },
  ];
  const payload = renderReply(reply(blocks));
  assertWithinLimits(payload);
  assert.equal(payload.embeds.length, 10);
  const ids = payload.components.flatMap((row) => row.components.map((b) => b.custom_id));
  assert.equal(ids.length, 25);
  assert.ok(ids.includes('pb:q2:lora'), 'the paging button survives');
  assert.equal(payload.embeds[0]!.title, '1. Paper 0');
  assert.equal(payload.components[0]!.components[0]!.label, '1 · Summary');
});

test('GIVEN few cards THEN each card gets its own row of buttons', () => {
  const payload = renderReply(
    reply([
      { kind: 'paper', card: card(1) },
      { kind: 'paper', card: card(2) },
    ]),
  );
  assert.equal(payload.components.length, 2);
  assert.deepEqual(
    payload.components[1]!.components.map((b) => b.custom_id),
    ['pb:s:2401.10002', 'pb:r:2401.10002', 'pb:x:2401.10002', 'pb:h:2401.10002'],
  );
});

test('GIVEN huge titles, gists and labels THEN every field is cut to its limit', () => {
  const huge = 'x'.repeat(10_000);
  const actions: Action[] = [
    { label: huge, id: 'pb:s:1' },
    { label: 'too long id', id: 'p'.repeat(101) },
    { label: 'dup', id: 'pb:s:1' },
  ];
  const blocks: Block[] = Array.from({ length: 10 }, (_, i) => ({
    kind: 'paper' as const,
    card: card(i, { title: huge, gist: huge, authors: huge, actions }),
  }));
  const payload = renderReply(reply([{ kind: 'text', text: huge }, ...blocks]));
  assertWithinLimits(payload);
  assert.equal(payload.components.flatMap((r) => r.components).length, 1, 'over-long and duplicate ids dropped');
});

test('GIVEN long text without cards THEN it moves into embeds rather than being cut at 2,000', () => {
  const sections: Block[] = Array.from({ length: 8 }, (_, i) => ({
    kind: 'section' as const,
    title: `Part ${i}`,
    text: 'word '.repeat(100),
  }));
  const payload = renderReply(reply(sections, 'public'));
  assertWithinLimits(payload);
  assert.equal(payload.content, '');
  assert.ok(payload.embeds.length >= 1, 'payload.embeds.length >= 1');
  assert.match(payload.embeds[0]!.description!, /^\*\*Part 0\*\*/);
});

test('GIVEN an empty reply THEN the fallback text is sent', () => {
  const payload = renderReply({ blocks: [], visibility: 'ephemeral', fallback: '@everyone nothing' });
  assert.equal(payload.content, '@\u200beveryone nothing');
});

/** Discord's inline markup characters, each shown literally when behind one backslash. */
const INLINE_MARKUP = new Set('\\*_~`|[]<');

/** The escape of text without links, line-start marks or @everyone, written out one character at a time. */
function escapedByHand(text: string): string {
  return [...text].map((c) => (INLINE_MARKUP.has(c) ? `\\${c}` : c)).join('');
}

// Speed is not asserted (npm test has no timing checks); these are the inputs that make a careless escape
// backtrack: 40,000 blank lines took the line-start pattern 10 s (quadratic) before it stopped spanning lines.
test(
  'GIVEN 100,000-character worst cases (markup without spaces, thousands of blank lines, long links) ' +
    'THEN every markdown character is escaped exactly once and links stay clickable',
  () => {
    const huge = '_*'.repeat(50_000);
    assert.equal(escapeText(huge), escapedByHand(huge));
    const blank = '\n'.repeat(50_000);
    const indented = ' \n'.repeat(25_000);
    assert.equal(
      escapeText(`${blank}# heading\n${indented}  > quote\n${'1.'.repeat(10)}`),
      `${blank}\\# heading\n${indented}  \\> quote\n1\\.${'1.'.repeat(9)}`,
    );
    const link = `https://github.com/${'a_b/'.repeat(25_000)}c_d`;
    assert.equal(escapeText(`see ${link}.`), `see ${link}.`, 'links stay clickable');
  },
);

test('GIVEN any text of markup characters, letters and spaces THEN each markup character gets one backslash', () => {
  const text = fc.string({ unit: fc.constantFrom(...INLINE_MARKUP, 'a', 'B', ' ', 'é', '😀'), maxLength: 200 });
  fc.assert(
    fc.property(text, (t) => escapeText(t) === escapedByHand(t)),
    { numRuns: 500 },
  );
});

test('GIVEN hostile text THEN mentions, markdown and links are shown literally', () => {
  const text = escapeText(
    '<@123> <#456> <@&789> @everyone @here **b** __u__ ~~s~~ ||sp|| `c` [x](https://e)\n# h\n> q\n- l',
  );
  assert.ok(!/(^|[^\\])<@/.test(text), text);
  assert.ok(text.includes('\\<#456>'), "text.includes('\\\\<#456>')");
  assert.ok(
    text.includes('@\u200beveryone') && text.includes('@\u200bhere'),
    "text.includes('@\\u200beveryone') && text.includes('@\\u200bhere')",
  );
  assert.ok(
    text.includes('\\*\\*b\\*\\*') &&
      text.includes('\\_\\_u\\_\\_') &&
      text.includes('\\~\\~s\\~\\~') &&
      text.includes('\\|\\|sp\\|\\|'),
    "text.includes('\\\\*\\\\*b\\\\*\\\\*') && text.includes('\\\\_\\\\_u\\\\_\\\\",
  );
  assert.ok(
    text.includes('\\`c\\`') && text.includes('\\[x\\]'),
    "text.includes('\\\\`c\\\\`') && text.includes('\\\\[x]')",
  );
  assert.ok(
    text.includes('\n\\# h') && text.includes('\n\\> q') && text.includes('\\- l'),
    "text.includes('\\n\\\\# h') && text.includes('\\n\\\\> q') && text.includes(",
  );
});

test('GIVEN links THEN they are masked links without previews, and unsafe URLs are dropped', () => {
  const payload = renderReply(
    reply([
      {
        kind: 'links',
        links: [
          { label: 'arXiv [pdf]', url: 'https://arxiv.org/abs/1706.03762' },
          { label: 'bad', url: 'javascript:alert(1)' },
        ],
      },
    ]),
  );
  assert.equal(payload.content, '[arXiv pdf](<https://arxiv.org/abs/1706.03762>) · bad');
});

test('GIVEN a cut THEN no surrogate pair is split and no escape dangles', () => {
  assert.equal(clamp('ab😀cd', 4), 'ab…');
  assert.equal(clamp('ab\\\\\\*', 5), 'ab\\\\…');
  assert.equal(clamp('short', 10), 'short');
});

test('GIVEN visibility THEN interaction payloads carry the ephemeral flag only for private replies', () => {
  assert.equal(interactionPayload(reply([{ kind: 'text', text: 'x' }], 'ephemeral')).flags, 64);
  assert.equal(interactionPayload(reply([{ kind: 'text', text: 'x' }], 'public')).flags, undefined);
  assert.equal(threadName(reply([{ kind: 'paper', card: card(1, { title: 'T'.repeat(300) }) }])).length, 100);
});

test('GIVEN any reply THEN the rendering is within every limit (property)', () => {
  const text = fc.string({ maxLength: 3000, unit: 'grapheme' });
  const action = fc.record({ label: fc.string({ maxLength: 120 }), id: fc.string({ minLength: 1, maxLength: 110 }) });
  const cardArb = fc.record({
    paperId: fc.string({ minLength: 1, maxLength: 20 }),
    title: text,
    url: fc.option(fc.webUrl(), { nil: undefined }),
    authors: fc.string({ maxLength: 500 }),
    date: fc.option(fc.constant('2024-01-02'), { nil: undefined }),
    gist: fc.option(text, { nil: undefined }),
    matched: fc.option(fc.array(fc.string({ maxLength: 30 }), { maxLength: 10 }), { nil: undefined }),
    upvotes: fc.option(fc.nat(), { nil: undefined }),
    actions: fc.array(action, { maxLength: 6 }),
  });
  const block: fc.Arbitrary<Block> = fc.oneof(
    fc.record({
      kind: fc.constant('text' as const),
      text,
      style: fc.constantFrom(undefined, 'heading' as const, 'muted' as const, 'error' as const),
    }),
    fc.record({ kind: fc.constant('paper' as const), card: cardArb }),
    fc.record({ kind: fc.constant('section' as const), title: fc.string({ maxLength: 300 }), text }),
    fc.record({
      kind: fc.constant('links' as const),
      links: fc.array(fc.record({ label: fc.string({ maxLength: 50 }), url: fc.webUrl() }), { maxLength: 5 }),
    }),
    fc.record({ kind: fc.constant('actions' as const), actions: fc.array(action, { maxLength: 8 }) }),
  );
  fc.assert(
    fc.property(fc.array(block, { maxLength: 15 }), fc.string({ maxLength: 3000 }), (blocks, fallback) => {
      assertWithinLimits(renderReply({ blocks, visibility: 'ephemeral', fallback }));
    }),
    { numRuns: 200 },
  );
});

test('GIVEN a message THEN the paper it is about is recovered from our footer or a pasted link', async () => {
  const bot = '42';
  assert.equal(
    await paperIdFromMessage({ author: { id: bot }, embeds: [{ footer: { text: 'paper 2106.09685 · ▲ 3' } }] }, bot),
    '2106.09685',
  );
  assert.equal(
    await paperIdFromMessage({ author: { id: bot }, embeds: [{ footer: { text: 'paper t-0123456789ab' } }] }, bot),
    't-0123456789ab',
    'cards posted before internal ids left the footer still work',
  );
  assert.equal(
    await paperIdFromMessage(
      { author: { id: bot }, embeds: [{ footer: { text: 'paper 1' } }, { footer: { text: 'paper 2' } }] },
      bot,
    ),
    undefined,
    'a list is about no single paper',
  );
  assert.equal(
    await paperIdFromMessage({ author: { id: '7' }, content: 'see https://huggingface.co/papers/2503.20680' }, bot),
    '2503.20680',
  );
  assert.equal(
    await paperIdFromMessage({ author: { id: '7' }, embeds: [{ footer: { text: 'paper 2106.09685' } }] }, bot),
    undefined,
    'only our own footers count',
  );
  assert.equal(await paperIdFromMessage(null, bot), undefined);
});

test('GIVEN a card of a paper with an internal id THEN no id is shown AND the paper is recovered from its buttons', async () => {
  const card = (paperId: string): PaperCard => ({
    paperId,
    title: 'Quokka Burrows',
    authors: 'A. Quokka',
    actions: [
      { label: 'Summary', id: `pb:s:${paperId}` },
      { label: 'Related', id: `pb:r:${paperId}` },
    ],
  });
  const one = renderReply({
    blocks: [{ kind: 'paper', card: card('t-26512aa32e57') }],
    visibility: 'public',
    fallback: 'x',
  });
  assert.doesNotMatch(JSON.stringify(one.embeds), /t-26512aa32e57/, 'the internal id is not shown');
  assert.equal(
    await paperIdFromMessage({ author: { id: 'bot' }, embeds: one.embeds, components: one.components }, 'bot'),
    't-26512aa32e57',
  );
  const two = renderReply({
    blocks: [
      { kind: 'paper', card: card('c_190473') },
      { kind: 'paper', card: card('2106.09685') },
    ],
    visibility: 'public',
    fallback: 'x',
  });
  assert.equal(two.embeds[1]?.footer?.text, 'paper 2106.09685', 'an arXiv id is shown');
  assert.equal(two.embeds[0]?.footer, undefined);
  assert.deepEqual(
    await cardPaperIds({ author: { id: 'bot' }, embeds: two.embeds, components: two.components }, 'bot'),
    ['c_190473', '2106.09685'],
  );
});

test('GIVEN Discord errors THEN each gets a user message (or none when the token is gone)', () => {
  const apiError = (status: number, code: number, message: string) =>
    new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.com/api/v10/channels/1/messages', {
      body: undefined,
      files: undefined,
    });
  assert.match(classifyError(apiError(403, 50013, 'Missing Permissions')).userMessage!, /Send Messages/);
  assert.match(classifyError(apiError(403, 50001, 'Missing Access')).userMessage!, /cannot see this channel/);
  assert.match(classifyError(apiError(404, 10003, 'Unknown Channel')).userMessage!, /no longer exists/);
  assert.equal(classifyError(apiError(404, 10062, 'Unknown interaction')).userMessage, undefined);
  assert.equal(classifyError(apiError(401, 50027, 'Invalid Webhook Token')).kind, 'expired-interaction');
  const limited = new RateLimitError({
    timeToReset: 12_000,
    limit: 5,
    method: 'POST',
    hash: 'h',
    url: 'u',
    route: '/channels/:id/messages',
    majorParameter: '1',
    global: false,
    retryAfter: 12_000,
    sublimitTimeout: 0,
    scope: 'user',
  });
  assert.match(classifyError(limited).userMessage!, /about 12 seconds/);
  assert.equal(classifyError(new Error('boom')).kind, 'internal');
  assert.ok(!classifyError(apiError(403, 50013, 'x')).detail.includes('discord.com'), 'no URL (tokens) in log details');
});

test('GIVEN autocomplete choices THEN duplicates, over-long values and extras are dropped, names cut', () => {
  const many = Array.from({ length: 40 }, (_, i) => ({ name: `T${i} ${'x'.repeat(200)}`, value: `id${i}` }));
  const choices = toDiscordChoices([{ name: 'a', value: 'id0' }, { name: 'b', value: 'v'.repeat(101) }, ...many]);
  assert.equal(choices.length, 25);
  assert.equal(new Set(choices.map((c) => c.value)).size, 25);
  assert.ok(
    choices.every((c) => c.name.length <= 100 && c.value.length <= 100),
    'choices.every((c) => c.name.length <= 100 && c.value.length <= 100)',
  );
});

test('GIVEN fast work THEN it is answered directly; slow work THEN deferred first, answered after', async () => {
  let deferrals = 0;
  const fast = await settleOrDefer(Promise.resolve('fast'), 1000, async () => void deferrals++);
  assert.deepEqual(fast, { value: 'fast', deferred: false });
  assert.equal(deferrals, 0);

  let release!: (value: string) => void;
  const gated = new Promise<string>((resolve) => (release = resolve));
  const slow = settleOrDefer(gated, 5, async () => {
    deferrals++;
    release('slow'); // the work finishes only once the deferral went out
  });
  assert.deepEqual(await slow, { value: 'slow', deferred: true });
  assert.equal(deferrals, 1);

  const failing = Promise.reject(new Error('command failed'));
  await assert.rejects(
    settleOrDefer(failing, 0, async () => {
      throw new Error('10062');
    }),
    /10062/,
  );
});
