/**
 * Fair use through the real dispatcher and commands: per-person and per-workspace budgets of commands, thread digests
 * and calls to the language model (a fake OpenAI-compatible server), each refused with a polite "try again in N s"
 * to that person alone; each budget a token bucket (a sustained rate and a burst allowance, rate-limiter-flexible's
 * BurstyRateLimiter) whose burst lets a moment of haste through, refuses sustained overuse and refills, on a clock
 * the test moves (node:test's mocked Date, which the library reads); the cap on `--like-library` subscriptions per
 * workspace; the refusals counted in the Prometheus metrics; and, on PostgreSQL, one budget, burst included, shared by
 * every instance on the database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import type { Invoker } from '../../../src/core/command.ts';
import { FairUse, refusalText, type Who } from '../../../src/core/fair-use/fair-use.ts';
import type { FairUseLimits } from '../../../src/core/fair-use/limits.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { PaperInput } from '../../../src/core/papers/paper.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { PrometheusMetrics } from '../../../src/ops/metrics.ts';
import { openPaperboy, type Paperboy } from '../../../src/paperboy.ts';
import { FakeOpenAi } from '../../fakes/openai-server.ts';
import { testPaperboy } from '../../support/paperboy.ts';
import { testPostgres } from '../../support/postgres.ts';
import { tempDir } from '../alerts/support.ts';

const NO_LIMITS: FairUseLimits = { commands: {}, digests: {}, llm: {} };
const per = (points: number, seconds = 60) => ({ points, seconds });
const withBurst = (rate: { points: number; seconds: number }, burst: { points: number; seconds: number }) => ({
  ...rate,
  burst,
});

const PAPERS: PaperInput[] = [1, 2, 3, 4, 5].map((n) => ({
  arxivId: `2506.0000${n}`,
  title: `Low-rank adapters for speech, part ${n}`,
  abstract: `We propose low-rank adapters for speech recognition, part ${n}. They cut memory by half.`,
  authors: ['Grace Hopper'],
  published: '2025-06-01',
  categories: ['cs.CL'],
}));
const id = (n: number) => PAPERS[n - 1]!.arxivId!;

const who = (userId: string, workspaceId = 'T1', channelId = 'C1'): Invoker => ({
  platform: 'slack',
  userId,
  workspaceId,
  channelId,
  canManageChannel: true,
});

/** An invoker in a thread whose messages mention the given papers. */
const inThread = (invoker: Invoker, ids: string[]): Invoker => ({
  ...invoker,
  thread: {
    read: async () => ({
      messages: ids.map((paperId, i) => ({
        author: 'Ada',
        text: `see ${paperId}`,
        links: [],
        paperIds: [],
        ts: `${i}`,
      })),
    }),
  },
});

const text = (reply: Reply) =>
  reply.blocks.map((block) => (block.kind === 'text' || block.kind === 'section' ? block.text : '')).join('\n');

async function refusals(metrics: PrometheusMetrics): Promise<string[]> {
  const body = (await metrics.exposition()).body;
  return body.split('\n').filter((line) => line.startsWith('paperboy_refusals_total{'));
}

async function fairPaperboy(fairUse: FairUseLimits, metrics?: PrometheusMetrics, extra = {}): Promise<Paperboy> {
  return testPaperboy({ papers: PAPERS, builtin: false, open: { fairUse, metrics, ...extra } });
}

describe('GIVEN a budget of 2 commands a minute per person and 3 per workspace', () => {
  let pb: Paperboy;
  const metrics = new PrometheusMetrics();
  before(async () => {
    pb = await fairPaperboy({ ...NO_LIMITS, commands: { user: per(2), workspace: per(3) } }, metrics);
  });
  after(async () => {
    await pb.close();
    metrics.close();
  });

  test('WHEN a person runs a third THEN only they are told, privately, to try again in N s', async () => {
    const ada = who('UADA');
    assert.doesNotMatch((await pb.dispatcher.runText('adapters', ada)).fallback, /going a bit fast/);
    assert.doesNotMatch((await pb.dispatcher.runText('random', ada)).fallback, /going a bit fast/);
    const third = await pb.dispatcher.runText('adapters', ada);
    assert.equal(third.visibility, 'ephemeral');
    const wait = /^You're going a bit fast — try again in (\d+) s\. \(Up to 2 commands a minute each\.\)$/.exec(
      third.fallback,
    );
    assert.ok(wait, third.fallback);
    assert.ok(Number(wait[1]) >= 1 && Number(wait[1]) <= 60, `${wait[1]} s`);
    assert.equal(third.blocks[0]?.kind === 'text' && third.blocks[0].style, 'error');
  });

  test('WHEN others of the workspace use the rest THEN the workspace budget refuses the next, and not elsewhere', async () => {
    assert.doesNotMatch((await pb.dispatcher.runText('adapters', who('UBOB'))).fallback, /going a bit fast/);
    const next = await pb.dispatcher.runText('adapters', who('UCAROL'));
    assert.match(
      next.fallback,
      /^This workspace is going a bit fast — try again in \d+ s\. \(Up to 3 commands a minute/,
    );
    const elsewhere = await pb.dispatcher.runText('adapters', who('UCAROL', 'T2'));
    assert.doesNotMatch(elsewhere.fallback, /going a bit fast/, 'another workspace has its own budget');
  });

  test('THEN the refusals are counted by budget, scope and platform, and the commands as limited', async () => {
    assert.deepEqual(await refusals(metrics), [
      'paperboy_refusals_total{budget="commands",scope="user",platform="slack"} 1',
      'paperboy_refusals_total{budget="commands",scope="workspace",platform="slack"} 1',
    ]);
    const body = (await metrics.exposition()).body;
    assert.match(body, /paperboy_commands_total\{command="search",platform="slack",outcome="limited"\} 2/);
  });
});

describe('GIVEN a token bucket of 2 commands a minute per person plus a burst of 3 every 10 minutes', () => {
  const ada: Who = { platform: 'slack', userId: 'UADA', workspaceId: 'T1' };
  let fairUse: FairUse;
  before(async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.parse('2025-06-01T09:00:00Z') });
    fairUse = await FairUse.open({
      limits: { ...NO_LIMITS, commands: { user: withBurst(per(2), per(3, 600)) } },
      logger: silentLogger,
    });
  });
  after(() => mock.timers.reset());
  const run = () => fairUse.take(['commands'], ada);

  test('WHEN a person sends 5 at once THEN the burst lets them all through, and the sixth is refused', async () => {
    for (let i = 1; i <= 5; i++) assert.equal(await run(), undefined, `command ${i} of the burst`);
    mock.timers.tick(20_000);
    const refusal = await run();
    assert.ok(refusal);
    assert.equal(refusal.retryAfterSeconds, 40, 'when the rate refills, sooner than the burst');
    assert.equal(
      refusalText(refusal),
      "You're going a bit fast — try again in 40 s. (Up to 2 commands a minute each, plus 3 more every 10 minutes.)",
    );
  });

  test('WHEN they keep going past the rate THEN the spent burst does not come back with the minute', async () => {
    mock.timers.tick(40_000);
    assert.equal(await run(), undefined);
    assert.equal(await run(), undefined);
    const refusal = await run();
    assert.ok(refusal, 'sustained overuse: two a minute, not five');
    assert.equal(refusal.retryAfterSeconds, 60);
  });

  test('WHEN the burst window has passed THEN the bucket has refilled: a burst of 5 again', async () => {
    mock.timers.tick(9 * 60_000);
    for (let i = 1; i <= 5; i++) assert.equal(await run(), undefined, `command ${i} of the second burst`);
    assert.ok(await run());
  });

  test('THEN another person has their own bucket', async () => {
    assert.equal(await fairUse.take(['commands'], { ...ada, userId: 'UBOB' }), undefined);
  });
});

describe('GIVEN 1 command a minute plus a burst of 1, and 1 digest every 10 minutes, per person', () => {
  let fairUse: FairUse;
  const ada: Who = { platform: 'slack', userId: 'UADA', workspaceId: 'T1' };
  before(async () => {
    fairUse = await FairUse.open({
      limits: { ...NO_LIMITS, commands: { user: withBurst(per(1), per(1, 600)) }, digests: { user: per(1, 600) } },
      logger: silentLogger,
    });
  });

  test('WHEN a second digest is refused THEN the burst use its command took is given back', async () => {
    assert.equal(await fairUse.take(['commands', 'digests'], ada), undefined, 'the rate');
    const refused = await fairUse.take(['commands', 'digests'], ada);
    assert.equal(refused?.budget, 'digests', 'the command came from the burst, the digest was spent');
    assert.equal(await fairUse.take(['commands'], ada), undefined, 'the burst use came back');
    assert.equal((await fairUse.take(['commands'], ada))?.budget, 'commands');
  });
});

describe('GIVEN a budget of 1 thread digest per person every 10 minutes and 3 commands a minute', () => {
  let pb: Paperboy;
  before(async () => {
    pb = await fairPaperboy({ ...NO_LIMITS, commands: { user: per(3) }, digests: { user: per(1, 600) } });
  });
  after(() => pb.close());

  test('WHEN a person asks for a second digest THEN it is refused, and its command use is given back', async () => {
    const ada = inThread(who('UADA'), [id(1), id(2)]);
    assert.match((await pb.dispatcher.runMention('digest', ada)).fallback, /^Thread digest: 2 papers/);
    const second = await pb.dispatcher.runMention('digest', ada);
    assert.match(
      second.fallback,
      /^You're going a bit fast — try again in \d+ s\. \(Up to 1 thread digests every 10 minutes each\.\)$/,
    );
    // Two commands left of three: the refused digest did not spend one.
    assert.doesNotMatch((await pb.dispatcher.runText('adapters', ada)).fallback, /going a bit fast/);
    assert.doesNotMatch((await pb.dispatcher.runText('adapters', ada)).fallback, /going a bit fast/);
    assert.match((await pb.dispatcher.runText('adapters', ada)).fallback, /going a bit fast/);
    const bob = inThread(who('UBOB'), [id(1), id(2)]);
    assert.match((await pb.dispatcher.runMention('digest', bob)).fallback, /^Thread digest/, 'another person may');
  });
});

describe('GIVEN a language model and a budget of 2 generated TL;DRs per person an hour', () => {
  let llm: FakeOpenAi;
  let pb: Paperboy;
  const metrics = new PrometheusMetrics();
  before(async () => {
    llm = await FakeOpenAi.start();
    llm.answerWith({ text: 'Adapters halve the memory speech models need.' });
    pb = await fairPaperboy({ ...NO_LIMITS, llm: { user: per(2, 3600) } }, metrics, {
      llm: { baseUrl: llm.baseUrl, model: 'tiny-llama', timeoutMs: 2000 },
    });
  });
  after(async () => {
    await pb.close();
    await llm.close();
    metrics.close();
  });

  const summary = (n: number, invoker: Invoker) => pb.dispatcher.run('summary', { paper: id(n), card: false }, invoker);

  test('WHEN a third paper is summarised THEN its TL;DR stays extractive and the summary says when to try again', async () => {
    const ada = who('UADA');
    assert.match(text(await summary(1, ada)), /Adapters halve the memory/);
    assert.match(text(await summary(2, ada)), /Adapters halve the memory/);
    assert.equal(llm.requests.length, 2);
    const third = await summary(3, ada);
    assert.doesNotMatch(text(third), /Adapters halve the memory/);
    assert.match(text(third), /We propose low-rank adapters for speech recognition, part 3/, 'the extractive TL;DR');
    assert.match(text(third), /No generated TL;DR this time: too many were asked for just now\. Try again in \d+ s\./);
    assert.equal(llm.requests.length, 2, 'the model was not asked');
  });

  test('WHEN a TL;DR is already cached THEN it is shown without spending the budget', async () => {
    assert.match(text(await summary(1, who('UADA'))), /Adapters halve the memory/);
    assert.equal(llm.requests.length, 2);
  });

  test('WHEN a digest lists papers past the budget THEN they keep the extractive TL;DR and the digest says so', async () => {
    const bob = inThread(who('UBOB'), [id(1), id(3), id(4), id(5)]);
    const digest = await pb.dispatcher.runMention('digest', bob);
    assert.match(digest.fallback, /^Thread digest: 4 papers/);
    assert.match(text(digest), /No generated TL;DR this time/, 'one of the three uncached papers was past the budget');
    assert.equal(llm.requests.length, 4, 'Bob had two calls of his own');
    const llmRefusals = (await refusals(metrics)).filter((line) => line.includes('budget="llm"'));
    assert.deepEqual(llmRefusals, ['paperboy_refusals_total{budget="llm",scope="user",platform="slack"} 2']);
  });
});

describe('GIVEN a cap of 2 library subscriptions per workspace', () => {
  let pb: Paperboy;
  const metrics = new PrometheusMetrics();
  before(async () => {
    pb = await fairPaperboy(NO_LIMITS, metrics, { alerts: { librarySubscriptionsPerWorkspace: 2 } });
  });
  after(async () => {
    await pb.close();
    metrics.close();
  });

  test('WHEN a third channel subscribes THEN it is refused with the cap and how to free one', async () => {
    for (const channel of ['C1', 'C2', 'C3']) await pb.dispatcher.runText(`save ${id(1)}`, who('UADA', 'T1', channel));
    // A library belongs to the channel as its workspace sees it.
    await pb.dispatcher.runText(`save ${id(1)}`, who('UADA', 'T2', 'C4'));
    for (const channel of ['C1', 'C2']) {
      const reply = await pb.dispatcher.runText('subscribe --like-library', who('UADA', 'T1', channel));
      assert.match(reply.fallback, /^Subscribed this channel/);
    }
    const third = await pb.dispatcher.runText('subscribe --like-library', who('UADA', 'T1', 'C3'));
    assert.equal(third.visibility, 'ephemeral');
    assert.match(
      third.fallback,
      /^This workspace already has 2 `--like-library` subscriptions, the most it may have \(2: each retrains its channel's model every poll\)\. To free one, run `\/paper unsubscribe <id>` in a channel that has one \(`\/paper subscriptions` there lists them\)\.$/,
    );
    const again = await pb.dispatcher.runText('subscribe --like-library --per-day 3', who('UADA', 'T1', 'C1'));
    assert.match(again.fallback, /in a channel that has one \(here: #1\)\./, 'where the channel has one, its number');
    const other = await pb.dispatcher.runText('subscribe --like-library', who('UADA', 'T2', 'C4'));
    assert.match(other.fallback, /^Subscribed this channel/, 'another workspace has its own cap');
    assert.match(
      (await pb.dispatcher.runText('subscribe lora', who('UADA', 'T1', 'C3'))).fallback,
      /^Subscribed/,
      'query subscriptions are not capped by it',
    );
    assert.deepEqual(
      (await refusals(metrics)).filter((line) => line.includes('like_library')),
      ['paperboy_refusals_total{budget="like_library",scope="workspace",platform="slack"} 2'],
    );
  });

  test('WHEN one is removed THEN the workspace may subscribe again', async () => {
    assert.match(
      (await pb.dispatcher.runText('unsubscribe 1', who('UADA', 'T1', 'C1'))).fallback,
      /nsubscribed|emoved/,
    );
    const reply = await pb.dispatcher.runText('subscribe --like-library', who('UADA', 'T1', 'C3'));
    assert.match(reply.fallback, /^Subscribed this channel/);
  });
});

describe('GIVEN two instances on one PostgreSQL database', () => {
  const postgres = testPostgres();
  const temp = tempDir('paperboy-fair-use-');
  const instances: Paperboy[] = [];
  after(async () => {
    for (const pb of instances) await pb.close();
    await postgres.stop();
    temp.cleanup();
  });

  test('WHEN a person uses their budget and its burst on both THEN the instances share them', async () => {
    const databaseUrl = await postgres.freshDatabase();
    const limits = { ...NO_LIMITS, commands: { user: withBurst(per(2), per(1, 600)) } };
    for (let i = 0; i < 2; i++) {
      instances.push(
        await openPaperboy({
          dbPath: ':memory:',
          databaseUrl,
          indexDir: temp.dir,
          logger: silentLogger,
          builtinCorpus: i === 0 ? 'always' : false,
          useWorker: false,
          fairUse: limits,
        }),
      );
    }
    const [a, b] = instances as [Paperboy, Paperboy];
    const ada = who('UADA');
    assert.doesNotMatch((await a.dispatcher.runText('lora', ada)).fallback, /going a bit fast/);
    assert.doesNotMatch((await b.dispatcher.runText('lora', ada)).fallback, /going a bit fast/);
    assert.doesNotMatch((await a.dispatcher.runText('lora', ada)).fallback, /going a bit fast/);
    assert.match(
      (await b.dispatcher.runText('lora', ada)).fallback,
      /^You're going a bit fast — try again in \d+ s\. \(Up to 2 commands a minute each, plus 1 more every 10 minutes\.\)$/,
    );
    assert.match((await a.dispatcher.runText('lora', ada)).fallback, /going a bit fast/);
    assert.doesNotMatch((await b.dispatcher.runText('lora', who('UBOB'))).fallback, /going a bit fast/);
  });
});
