/**
 * Shared pieces of the hostile-input corpus: the hostile strings, hostile papers built from them, and the checks
 * that say whether a rendered Slack or Discord message could ping, smuggle a link, leak a stack trace or break a
 * platform limit. Every hostile test renders through the REAL adapters' render functions.
 */
import assert from 'node:assert/strict';
import { LIMITS as DISCORD_LIMITS } from '../../src/adapters/discord/limits.ts';
import { embedLength, interactionPayload, renderReply as renderDiscord } from '../../src/adapters/discord/render.ts';
import { SLACK_LIMITS } from '../../src/adapters/slack/limits.ts';
import { renderReply as renderSlack } from '../../src/adapters/slack/render.ts';
import type { Invoker } from '../../src/core/command.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import type { Reply } from '../../src/core/reply.ts';
import { blockText } from '../fakes/slack-blocks.ts';
import type { CaptureLogger } from '../fakes/slack-logger.ts';

/** Strings that try to ping, inject links or markup, or confuse text handling. */
export const HOSTILE_STRINGS: readonly string[] = [
  '@everyone',
  '@here',
  '@channel',
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S123|@team>',
  '<@U123>',
  '<@&123456789012345678>',
  '<@!123456789012345678>',
  '<#C123>',
  '<#123456789012345678>',
  '<https://evil.example|click>',
  '<https://evil.example>',
  '[click](https://evil.example)',
  '**bold** __under__ ~~strike~~ ||spoiler||',
  '```js\nalert(1)\n```',
  '`code`',
  '> quote\n# heading\n- list',
  '&lt;!channel&gt;',
  '&amp;',
  '\u200b@\u200beveryone',
  '@\u200beveryone',
  '\u202eRTL override\u202c',
  '\u2066isolate\u2069',
  'زبان فارسی و العربية',
  '日本語の論文タイトル',
  '🧪🔬📄👩‍🔬',
  'e\u0301\u0301\u0301 combining',
  '\\',
  '\\\\<@U1>',
  '<t:0:R>',
  '<:emoji:123456789012345678>',
  '<a:emoji:123456789012345678>',
  '\u0000\u0001\u0007',
  '\r\n\t',
  'http://x.example/`<@U1>`',
];

/** One hostile paper per hostile string (in its title, abstract and authors), all with searchable words. */
export function hostilePapers(): PaperInput[] {
  return HOSTILE_STRINGS.map((bad, i) => ({
    arxivId: `2512.${90000 + i}`,
    title: `${bad} Quokka hostile transformer ${i} ${bad}`,
    abstract:
      `${bad} We study quokka hostile inputs. ` +
      `${bad} ${'Long sentence about quokka robustness. '.repeat(i % 3 ? 2 : 40)}${bad}`,
    authors: [`${bad} Mallory`, `Eve ${bad}`],
    published: '2025-06-01',
    categories: ['cs.CL'],
  }));
}

export const SLACK_INVOKER: Invoker = {
  platform: 'slack',
  userId: 'U1',
  channelId: 'C1',
  workspaceId: 'T1',
  canManageChannel: true,
};
export const DISCORD_INVOKER: Invoker = {
  platform: 'discord',
  userId: '111',
  channelId: '222',
  workspaceId: '333',
  canManageChannel: true,
};

/** Every reply, including its thread replies, flattened. */
export function allReplies(reply: Reply): Reply[] {
  return [reply, ...(reply.thread ?? []).flatMap(allReplies)];
}

/**
 * No command failed behind a polite reply: the dispatcher turns a thrown error into "Sorry, something went wrong"
 * (and an empty autocomplete list) and logs it, so a crash only shows in the log.
 */
export function assertNothingFailed(logger: CaptureLogger, where: string): void {
  assert.deepEqual(
    logger.lines.filter((line) => /^(warn|error) /.test(line)),
    [],
    `${where}: nothing failed`,
  );
}

/** A stack trace or internal path that must never reach a user. */
export function assertNoStackTrace(text: string, where: string): void {
  assert.doesNotMatch(text, /\n\s+at [^\n]*:\d+:\d+/, `${where}: stack trace`);
  assert.doesNotMatch(text, /node_modules|\/work\/|file:\/\//, `${where}: internal path`);
}

/**
 * Every mrkdwn text object in a Slack message (plain_text objects are shown verbatim by Slack: `<!channel>` there
 * is just text, so those are only checked for stack traces).
 */
function slackTexts(value: unknown, out: { mrkdwn: string[]; plain: string[] } = { mrkdwn: [], plain: [] }) {
  if (Array.isArray(value)) {
    for (const v of value) slackTexts(v, out);
  } else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.text === 'string') (object.type === 'plain_text' ? out.plain : out.mrkdwn).push(object.text);
    for (const v of Object.values(object)) slackTexts(v, out);
  }
  return out;
}

/** Renders through the real Slack renderer and checks nothing pings, links out of hostile text, or breaks limits. */
export function assertSlackSafe(reply: Reply, where: string): void {
  for (const part of allReplies(reply)) {
    const message = renderSlack(part);
    assert.ok(message.blocks.length <= SLACK_LIMITS.blocksPerMessage, `${where}: too many blocks`);
    assert.ok(message.text.length <= SLACK_LIMITS.fallbackText + 200, `${where}: fallback text too long`);
    for (const block of message.blocks) {
      const text = blockText(block);
      if (text !== undefined)
        assert.ok(text.length <= SLACK_LIMITS.sectionText, `${where}: section text ${text.length}`);
      if (block.type === 'actions')
        for (const el of block.elements) assert.ok(el.action_id!.length <= SLACK_LIMITS.actionId);
    }
    const texts = slackTexts(message.blocks);
    for (const text of texts.plain) assertNoStackTrace(text, where);
    for (const text of [message.text, ...texts.mrkdwn]) {
      // Special mentions and user / channel links are `<!…>`, `<@…>`, `<#…>`: never allowed.
      assert.doesNotMatch(text, /<[!@#]/, `${where}: Slack control sequence in ${JSON.stringify(text.slice(0, 200))}`);
      // A link the bot makes itself points at arXiv / Hugging Face; any other `<…|…>` came from hostile text.
      for (const match of text.matchAll(/<([^>]*)>/g)) {
        assert.match(
          match[1]!,
          /^https:\/\/(arxiv\.org|huggingface\.co)\//,
          `${where}: link <${match[1]}> in Slack text`,
        );
      }
      assertNoStackTrace(text, where);
    }
  }
}

/** Renders through the real Discord renderer and checks allowed_mentions, escaping and limits. */
export function assertDiscordSafe(reply: Reply, where: string): void {
  for (const part of allReplies(reply)) {
    const payload = interactionPayload(part);
    const plain = renderDiscord(part);
    for (const p of [payload, plain]) assert.deepEqual(p.allowedMentions, { parse: [] }, `${where}: allowedMentions`);
    assert.ok(payload.content.length <= DISCORD_LIMITS.content, `${where}: content ${payload.content.length}`);
    assert.ok(payload.embeds.length <= DISCORD_LIMITS.embedsPerMessage, `${where}: embeds`);
    const total = payload.embeds.reduce((sum, e) => sum + embedLength(e), 0);
    assert.ok(total <= DISCORD_LIMITS.embedTotal, `${where}: embed total ${total}`);
    for (const embed of payload.embeds) {
      assert.ok((embed.title?.length ?? 0) <= DISCORD_LIMITS.embedTitle, `${where}: embed title`);
      assert.ok((embed.description?.length ?? 0) <= DISCORD_LIMITS.embedDescription, `${where}: embed description`);
    }
    assert.ok(payload.components.length <= DISCORD_LIMITS.actionRows, `${where}: action rows`);
    for (const row of payload.components) {
      assert.ok(row.components.length <= DISCORD_LIMITS.buttonsPerRow);
      for (const button of row.components)
        assert.ok(button.custom_id.length <= DISCORD_LIMITS.customId, `${where}: custom_id`);
    }
    const rendered = [
      payload.content,
      ...payload.embeds.flatMap((e) => [
        e.title ?? '',
        e.description ?? '',
        ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
      ]),
    ];
    for (const text of rendered) {
      // Belt and braces besides allowedMentions: the text itself would not ping or link either.
      assert.doesNotMatch(
        text,
        /@(everyone|here)/i,
        `${where}: unescaped @everyone/@here in ${JSON.stringify(text.slice(0, 200))}`,
      );
      assert.doesNotMatch(text, /(?<!\\)<[@#]/, `${where}: unescaped mention in ${JSON.stringify(text.slice(0, 200))}`);
      assert.doesNotMatch(
        text,
        /(?<!\\)\[[^\]]*\]\((?!<https:\/\/(arxiv\.org|huggingface\.co)\/)/,
        `${where}: masked link from hostile text`,
      );
      assertNoStackTrace(text, where);
    }
  }
}

export function assertSafeEverywhere(reply: Reply, where: string): void {
  assertSlackSafe(reply, where);
  assertDiscordSafe(reply, where);
}

/** Length of the long hostile strings: beyond a Slack message's 40,000 characters is never needed. */
export const LONG = 40_000;

/** `unit` repeated to exactly `length` characters (a surrogate pair is never cut), then `tail`. */
export function repeatTo(unit: string, tail = '', length = LONG): string {
  const body = unit.repeat(Math.ceil((length - tail.length) / unit.length)).slice(0, length - tail.length);
  return /[\uD800-\uDBFF]$/.test(body) ? `${body.slice(0, -1)}x${tail}` : body + tail;
}

/** `prefix`, then `unit` repeated, then `tail`: 40,000 characters in all. */
function startingWith(prefix: string, unit: string, tail = ''): string {
  return prefix + repeatTo(unit, tail, LONG - prefix.length);
}

/**
 * Strings of 40,000 characters built to make a backtracking regular expression work in quadratic time: long runs of
 * one character (each punctuation mark, spaces, word characters, digits) ending in something that fails the match,
 * link and id prefixes over and over, brackets that never close, mention spam and unicode.
 */
export function longHostileStrings(): { name: string; text: string }[] {
  const runs = [...'.,;:!?\'")]([{}<>|/\\-_*`~#@&%$=+^'].map((c) => ({ name: `run of ${c}`, text: repeatTo(c, 'a') }));
  const named: [string, string][] = [
    ['an arXiv link, then ) to the end, then a letter', startingWith('https://arxiv.org/abs/2501.00001', ')', 'a')],
    ['spaces, then a letter', repeatTo(' ', 'x')],
    ['tabs and newlines', repeatTo('\t \n', 'x')],
    ['CRLF lines', repeatTo('\r\n', 'x')],
    ['no-break and ideographic spaces', repeatTo('\u00a0\u3000', 'x')],
    ['one long word', repeatTo('a', '!')],
    ['one long capitalised word', repeatTo('A', '!')],
    ['word characters', repeatTo('a1_', ' !')],
    ['digits', repeatTo('1', 'x')],
    ['digits and dots', repeatTo('1.', 'x')],
    ['accented letters', repeatTo('é', '!')],
    ['words and spaces', repeatTo('a ', '!')],
    ['spaces and words', repeatTo(' a', ' !')],
    ['commas and spaces', repeatTo(', ', 'x')],
    ['hyphenated words', repeatTo('a-', '/')],
    ['initials', repeatTo('A. ', '!')],
    ['nested-looking brackets', `${'('.repeat(LONG / 2 - 1)}x${')'.repeat(LONG / 2)}`],
    ['brackets and angle brackets', repeatTo('([{<', 'x')],
    ['an angle bracket that never closes', startingWith('<', 'a')],
    ['a user mention that never closes', startingWith('<@', '1')],
    ['<!channel> spam', repeatTo('<!channel> ')],
    ['@everyone spam', repeatTo('@everyone ')],
    ['user mention spam', repeatTo('<@U123>')],
    ['Slack link spam', repeatTo('<https://x.example|')],
    ['URL prefixes', repeatTo('https://')],
    ['http://a/ over and over', repeatTo('http://a/')],
    ['a very long arXiv URL', startingWith('https://arxiv.org/abs/', '1', 'x')],
    ['a very long URL', startingWith('https://x.example/', 'a/', ')')],
    ['arXiv id prefixes', repeatTo('2501.')],
    ['arXiv ids without a break', repeatTo('2501.00001')],
    ['versions', repeatTo('v1')],
    ['arXiv: prefixes', repeatTo('arXiv:')],
    ['old-style prefixes', repeatTo('cs/')],
    ['DOI prefixes', repeatTo('doi:10.')],
    ['options', repeatTo('--like-library ')],
    ['dashes', repeatTo('-- ')],
    ['digest words', repeatTo('summarize this thread ')],
    ['paper voice', repeatTo('we ')],
    ['we, then spaces', startingWith('we', ' ', 'x')],
    ['comment lines', repeatTo('%\n')],
    ['control characters', repeatTo('\u0000\u0001\u0007\r\n\t', 'x')],
    ['markup', repeatTo('**bold** `code` ```js\n> quote\n# heading\n- list ')],
    ['masked links', repeatTo('[click](https://evil.example)')],
    ['entities', repeatTo('&amp;')],
    ['emoji', repeatTo('😀')],
    ['lone surrogates', repeatTo('\ud800')],
    ['zero-width spaces', repeatTo('\u200b', 'x')],
    ['bidi overrides', repeatTo('\u202e', 'x')],
    ['combining marks', repeatTo('e\u0301', '!')],
  ];
  return [...runs, ...named.map(([name, text]) => ({ name, text }))];
}
