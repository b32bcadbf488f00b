/**
 * Hostile paper text (titles, abstracts, authors that try to ping, link or mark up) through the real commands and
 * the REAL Slack and Discord renderers: nothing pings, nothing links out, nothing breaks a platform limit.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { interactionPayload } from '../../src/adapters/discord/render.ts';
import { renderReply as renderSlack } from '../../src/adapters/slack/render.ts';
import { normalizePaper } from '../../src/core/papers/normalize.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { HOSTILE_PAPER, testPaperboy } from '../support/paperboy.ts';
import {
  assertNothingFailed,
  assertSafeEverywhere,
  DISCORD_INVOKER,
  HOSTILE_STRINGS,
  hostilePapers,
  SLACK_INVOKER,
} from './support.ts';

let pb: Paperboy;
const logger = new CaptureLogger();
const papers = [HOSTILE_PAPER, ...hostilePapers()];

before(async () => {
  pb = await testPaperboy({ papers, builtin: false, logger });
});
after(() => pb.close());

describe('GIVEN papers whose title, abstract and authors are hostile', () => {
  test(`THEN the hostile strings table has ${HOSTILE_STRINGS.length} cases and every paper was imported`, async () => {
    assert.ok(HOSTILE_STRINGS.length >= 35);
    assert.equal(await pb.papers.count(), papers.length);
    for (const paper of papers) {
      const stored = await pb.papers.get(paper.arxivId!);
      assert.ok(stored, `${paper.arxivId} was imported`);
      // Stored as the importer normalizes it (whitespace and control characters cleaned), nothing else changed.
      const normalized = normalizePaper(paper, 'test');
      assert.ok(normalized.ok, `${paper.arxivId} normalizes`);
      assert.equal(stored.title, normalized.paper.title, `title of ${paper.arxivId}`);
      assert.deepEqual(stored.authors, normalized.paper.authors, `authors of ${paper.arxivId}`);
    }
  });

  test(
    'WHEN searched, summarized, shared, related and randomly picked ' +
      'THEN every reply renders safely on both platforms',
    async () => {
      let checked = 0;
      for (const invoker of [SLACK_INVOKER, DISCORD_INVOKER]) {
        for (const text of [
          'quokka hostile',
          'quokka',
          'hostile transformer',
          'random quokka',
          '"quokka hostile"',
          'author:Mallory',
        ]) {
          assertSafeEverywhere(await pb.dispatcher.runText(text, invoker), `runText ${text}`);
          checked++;
        }
        for (const paper of papers) {
          // Each reply is about this very paper (not "no paper matches"), so its hostile text is what gets rendered.
          const title = (await pb.papers.get(paper.arxivId!))!.title;
          for (const verb of ['summary', 'share', 'related']) {
            const reply = await pb.dispatcher.runText(`${verb} ${paper.arxivId}`, invoker);
            assert.ok(reply.fallback.includes(title), `${verb} ${paper.arxivId} answers about it: ${reply.fallback}`);
            assertSafeEverywhere(reply, `${verb} ${paper.arxivId}`);
            checked++;
          }
          const mention = await pb.dispatcher.runMention('', invoker, paper.arxivId);
          assert.ok(mention.fallback.includes(title), `mention in thread of ${paper.arxivId}: ${mention.fallback}`);
          assertSafeEverywhere(mention, `mention in thread of ${paper.arxivId}`);
          checked++;
        }
      }
      assert.ok(checked > 200, `${checked} replies checked`);
      assertNothingFailed(logger, 'hostile papers');
    },
  );

  test('WHEN a summary is asked THEN the hostile title still appears as text (escaped, not dropped)', async () => {
    const slack = renderSlack(await pb.dispatcher.runText(`summary ${HOSTILE_PAPER.arxivId}`, SLACK_INVOKER));
    assert.equal(
      slack.text,
      '&lt;!channel&gt; @everyone @here &lt;@U123&gt; &lt;https://evil.example|click&gt; **bold** `code` ' +
        'Attention Is All You Need',
    );
    const discord = interactionPayload(
      await pb.dispatcher.runText(`summary ${HOSTILE_PAPER.arxivId}`, DISCORD_INVOKER),
    );
    assert.equal(
      discord.embeds[0]!.title,
      '\\<!channel> @\u200beveryone @\u200bhere \\<@U123> \\<https://evil.example|click> \\*\\*bold\\*\\* ' +
        '\\`code\\` Attention Is All You Need',
    );
  });

  test('WHEN autocomplete runs on hostile partial text THEN it returns at most 25 choices and never throws', async () => {
    for (const partial of [...HOSTILE_STRINGS, 'quokka', 'x'.repeat(5000)]) {
      const choices = await pb.dispatcher.autocomplete('summary', 'paper', partial, DISCORD_INVOKER);
      assert.ok(Array.isArray(choices) && choices.length <= 25);
      for (const choice of choices) assert.ok(choice.name.length <= 100, 'choice name within Discord limit');
    }
    assert.ok(
      (await pb.dispatcher.autocomplete('summary', 'paper', 'quokka', DISCORD_INVOKER)).length > 0,
      'titles are offered',
    );
    // The dispatcher answers [] when autocomplete throws, so "never throws" is checked in the log.
    assertNothingFailed(logger, 'autocomplete');
  });
});
