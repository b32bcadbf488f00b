/**
 * The "why this paper" line at the edges, rendered as each platform gets it: a 40,000-character title quoted in it,
 * and hostile text (`<!channel>`, `@everyone`, `<@U1>`, markdown) in the title and the saver's name. It stays one short
 * line within Slack's and Discord's limits, never pings and never turns into markup; ten such cards still make one
 * valid message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReply as renderConsole } from '../../src/adapters/console/render.ts';
import { LIMITS } from '../../src/adapters/discord/limits.ts';
import { embedLength, renderReply as renderDiscord, WHY_FIELD } from '../../src/adapters/discord/render.ts';
import { SLACK_LIMITS } from '../../src/adapters/slack/limits.ts';
import { renderReply as renderSlack } from '../../src/adapters/slack/render.ts';
import { MAX_WHY, type Why, whyLine } from '../../src/core/present/why.ts';
import type { PaperCard, Reply } from '../../src/core/reply.ts';

const HOSTILE = '<!channel> @everyone @here <@U123> **bold** [x](https://evil.example) `code` ';
const LONG_TITLE = `${HOSTILE}${'Attention '.repeat(4000)}`;

const WHYS: Why[] = [
  { kind: 'query', subscriptionId: 3, query: `${HOSTILE}lora ${'x'.repeat(5000)}`, terms: [HOSTILE, 'lora'] },
  { kind: 'like', title: LONG_TITLE, savedBy: `${HOSTILE}mallory`, terms: [HOSTILE, 'attention', 'x'.repeat(500)] },
  { kind: 'trending', upvotes: 142, comments: 12, day: '2026-12-07', minUpvotes: 100 },
];

function card(why: string, n: number): PaperCard {
  return {
    paperId: `2501.0000${n}`,
    title: LONG_TITLE,
    url: `https://arxiv.org/abs/2501.0000${n}`,
    authors: HOSTILE,
    gist: LONG_TITLE,
    why,
    actions: [{ label: '👎 Not for us', id: `pb:n:2501.0000${n}` }],
  };
}

function reply(cards: PaperCard[]): Reply {
  return {
    blocks: cards.map((c) => ({ kind: 'paper' as const, card: c })),
    visibility: 'public',
    fallback: 'cards',
  };
}

test('GIVEN hostile and huge text in a why line THEN it is one short line, cut with an ellipsis', () => {
  for (const why of WHYS) {
    const line = whyLine(why);
    assert.ok(line.length <= MAX_WHY, `${line.length} characters`);
    assert.doesNotMatch(line, /\n/);
  }
  assert.equal(
    whyLine(WHYS[2]!),
    "Trending: 142 upvotes, 12 comments (on Hugging Face's list of 2026-12-07); passed 100",
  );
  assert.match(whyLine(WHYS[1]!), /^Like "<!channel> @everyone .*…" \(saved by <!channel> .*…\): shared terms /);
});

test('GIVEN such cards on Slack THEN each why is a context line under its card, escaped, within every limit', () => {
  const cards = WHYS.map((why, i) => card(whyLine(why), i));
  const { blocks } = renderSlack(reply(cards));
  const contexts = blocks.flatMap((b) =>
    b.type === 'context' ? b.elements.flatMap((e) => ('text' in e && e.text.startsWith('💡') ? [e.text] : [])) : [],
  );
  assert.equal(contexts.length, 3);
  for (const text of contexts) {
    assert.ok(text.length <= SLACK_LIMITS.contextText, `${text.length}`);
    assert.doesNotMatch(text, /<!channel>|<@U123>|<!here>|<https?:/, 'no mention or link survives');
  }
  assert.match(contexts[1]!, /^💡 Like "&lt;!channel&gt; @everyone/);
  // The why line sits between the card's text and its buttons.
  const ids = blocks.map((b) => b.type);
  assert.deepEqual(ids.slice(0, 3), ['section', 'context', 'actions']);
  const total = JSON.stringify(blocks).length;
  assert.ok(total < 50_000);
});

test('GIVEN ten such cards on Discord THEN each why is a field, defused, and the message fits its 6,000 budget', () => {
  const cards = Array.from({ length: 10 }, (_, i) => card(whyLine(WHYS[i % 3]!), i));
  const payload = renderDiscord(reply(cards));
  assert.deepEqual(payload.allowedMentions, { parse: [] });
  assert.ok(payload.embeds.reduce((n, e) => n + embedLength(e), 0) <= LIMITS.embedTotal);
  const fields = payload.embeds.flatMap((e) => e.fields ?? []);
  assert.ok(fields.length >= 1);
  for (const field of fields) {
    assert.equal(field.name, WHY_FIELD);
    assert.ok(field.value.length <= LIMITS.embedFieldValue);
    assert.doesNotMatch(field.value, /(?<!\\)<!channel>|@everyone|@here|(?<!\\)\*\*/, 'escaped and defused');
  }
});

test('GIVEN such a card in the console THEN its why line prints on its own line, without control characters', () => {
  const out = renderConsole(reply([card(`${whyLine(WHYS[0]!)}\u001b[2J`, 1)])).lines.join('\n');
  assert.match(out, /\n {3}why: Matched your subscription #3 "<!channel> @everyone/);
  assert.ok(!out.includes('\u001b'), 'no escape sequence reaches the terminal');
});
