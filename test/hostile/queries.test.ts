/**
 * Hostile user text through the real dispatcher: query-language edge cases, 4,000-character and multi-byte
 * queries, and property-based random strings (fast-check). The dispatcher never throws, never shows a stack trace,
 * and every reply fits Slack's and Discord's limits when rendered by the real adapters' renderers.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Paperboy } from '../../src/paperboy.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { testPaperboy } from '../support/paperboy.ts';
import {
  assertNothingFailed,
  assertSafeEverywhere,
  DISCORD_INVOKER,
  HOSTILE_STRINGS,
  SLACK_INVOKER,
} from './support.ts';

/** Query-language edge cases: each once as the whole text, and as a search (`search …`). */
export const QUERY_CASES: readonly string[] = [
  '',
  ' ',
  '\n\n',
  '-',
  '+',
  '--',
  '-+-',
  '*',
  '**',
  '?',
  '~',
  'x~',
  'x~2',
  'x^',
  'x^10',
  '^',
  ':',
  'foo:',
  'title:',
  'author:',
  'cat:',
  'cat:cs.CL',
  'cat:*',
  'author:""',
  'author:"',
  '"',
  '""',
  '"""',
  '"unbalanced',
  'a"b"c',
  '(',
  ')',
  '()',
  '[x]',
  '{x}',
  'title:"attention"',
  'year:2024',
  'year:abcd',
  'transform*',
  '*former',
  'a*b*c',
  '-attention',
  '-"attention is"',
  '+attention',
  'NOT',
  'AND OR NOT',
  'lora -lora',
  '--daily',
  'subscribe',
  'subscribe --daily 25:99 --tz Mars/Olympus',
  'subscribe x --tz',
  'unsubscribe',
  'unsubscribe -1',
  'unsubscribe 99999999999999999999',
  'unsubscribe 1e3',
  'summary',
  'summary ../../etc/passwd',
  'summary 9999.99999',
  'summary arxiv.org/abs/2401.00001v999',
  'related',
  'related nothing',
  'share',
  'random',
  'random random random',
  'help help',
  'help nonexistent',
  'page:2',
  'page:-1',
  'more results',
  '\\',
  '\\\\',
  '\u0000',
  '%00',
  '%s%s%s%n',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection attempt typed as plain query text.
  '${process.exit()}',
  "'; DROP TABLE papers; --",
  'SELECT * FROM papers',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'x'.repeat(4000),
  'x '.repeat(2000),
  'ab '.repeat(1333),
  '日本語'.repeat(1333),
  '🧪'.repeat(2000),
  'e\u0301'.repeat(2000),
  'x'.repeat(4001),
  'a'.repeat(100_000),
  '\u202e'.repeat(100),
  '\u200b'.repeat(3999),
  '-'.repeat(4000),
  '"'.repeat(4000),
  'author:'.repeat(500),
  '*'.repeat(4000),
  ...HOSTILE_STRINGS,
];

let pb: Paperboy;
const logger = new CaptureLogger();
before(async () => {
  pb = await testPaperboy({ logger });
});
after(() => pb.close());

async function check(text: string, where: string): Promise<void> {
  for (const invoker of [SLACK_INVOKER, DISCORD_INVOKER]) {
    const reply = await pb.dispatcher.runText(text, invoker);
    assert.ok(reply && Array.isArray(reply.blocks), `${where}: a reply`);
    assert.ok(reply.blocks.length > 0 || reply.fallback, `${where}: something to show`);
    assertSafeEverywhere(reply, where);
    assertNothingFailed(logger, where);
  }
}

describe('GIVEN hostile query text', () => {
  const when = `WHEN each of ${QUERY_CASES.length} query-language edge cases is run`;
  test(`${when} THEN a clear reply, no crash, within limits`, async () => {
    for (const text of QUERY_CASES) {
      await check(text, `case ${JSON.stringify(text.slice(0, 40))}`);
      await check(`search ${text}`, `search case ${JSON.stringify(text.slice(0, 40))}`);
    }
  });

  test('WHEN a query is over 4,000 characters THEN the reply says so', async () => {
    const reply = await pb.dispatcher.runText('x'.repeat(4001), SLACK_INVOKER);
    assert.match(reply.fallback, /4,001 characters/);
  });

  test(
    'WHEN random strings (ASCII, full Unicode, query syntax soup) are run ' +
      'THEN the dispatcher never throws and replies fit',
    async () => {
      const syntax = fc
        .array(
          fc.constantFrom(
            'a',
            'lora',
            '"',
            '-',
            '+',
            '*',
            '~',
            '^',
            ':',
            'title:',
            'author:',
            'cat:',
            ' ',
            '(',
            ')',
            '\\',
            '@everyone',
            '<!here>',
            '日本',
            '🧪',
            '\u200b',
          ),
          { maxLength: 40 },
        )
        .map((parts) => parts.join(''));
      const anyText = fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        syntax,
        fc.string({ unit: 'grapheme', maxLength: 100 }),
      );
      await fc.assert(
        fc.asyncProperty(
          anyText,
          fc.constantFrom('', 'search ', 'subscribe ', 'summary ', 'related ', 'random ', 'unsubscribe '),
          async (text, prefix) => {
            await check(prefix + text, `property ${JSON.stringify((prefix + text).slice(0, 60))}`);
          },
        ),
        { numRuns: 150, seed: 20261126 },
      );
    },
  );

  test('WHEN hostile mentions arrive (with and without a thread paper) THEN replies are safe', async () => {
    for (const text of [
      ...HOSTILE_STRINGS,
      'random',
      'related',
      'something random about <!channel>',
      'x'.repeat(5000),
    ]) {
      for (const thread of [undefined, '2401.00001', 'not-a-paper', '../../x']) {
        const where = `mention ${JSON.stringify(text.slice(0, 40))}`;
        assertSafeEverywhere(await pb.dispatcher.runMention(text, SLACK_INVOKER, thread), where);
        assertNothingFailed(logger, where);
      }
    }
  });
});
