/**
 * Hostile paper text (titles, abstracts, authors that try to ping, link or mark up) through the real commands and
 * the REAL Slack and Discord renderers: nothing pings, nothing links out, nothing breaks a platform limit.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Paperboy } from '../../src/paperboy.ts';
import { HOSTILE_PAPER, testPaperboy } from '../support/paperboy.ts';
import { assertSafeEverywhere, DISCORD_INVOKER, HOSTILE_STRINGS, hostilePapers, SLACK_INVOKER } from './support.ts';

let pb: Paperboy;
const papers = [HOSTILE_PAPER, ...hostilePapers()];

before(async () => {
  pb = await testPaperboy({ papers, builtin: false });
});
after(() => pb.close());

describe('GIVEN papers whose title, abstract and authors are hostile', () => {
  test(`THEN the hostile strings table has ${HOSTILE_STRINGS.length} cases and every paper was imported`, () => {
    assert.ok(HOSTILE_STRINGS.length >= 35);
    for (const paper of papers) assert.ok(pb.papers.get?.(paper.arxivId!) ?? true);
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
          for (const verb of ['summary', 'share', 'related']) {
            const reply = await pb.dispatcher.runText(`${verb} ${paper.arxivId}`, invoker);
            assertSafeEverywhere(reply, `${verb} ${paper.arxivId}`);
            checked++;
          }
          assertSafeEverywhere(
            await pb.dispatcher.runMention('', invoker, paper.arxivId),
            `mention in thread of ${paper.arxivId}`,
          );
          checked++;
        }
      }
      assert.ok(checked > 200, `${checked} replies checked`);
    },
  );

  test('WHEN a summary is asked THEN the hostile title still appears as text (escaped, not dropped)', async () => {
    const reply = await pb.dispatcher.runText(`summary ${HOSTILE_PAPER.arxivId}`, SLACK_INVOKER);
    assert.match(JSON.stringify(reply), /Attention Is All You Need/);
  });

  test(
    'WHEN autocomplete runs on hostile partial text' + ' THEN it returns at most 25 choices and never throws',
    async () => {
      for (const partial of [...HOSTILE_STRINGS, 'quokka', 'x'.repeat(5000)]) {
        const choices = await pb.dispatcher.autocomplete('summary', 'paper', partial, DISCORD_INVOKER);
        assert.ok(Array.isArray(choices) && choices.length <= 25);
        for (const choice of choices) assert.ok(choice.name.length <= 100, 'choice name within Discord limit');
      }
    },
  );
});
