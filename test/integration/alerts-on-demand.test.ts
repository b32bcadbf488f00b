/**
 * News is when a source first lists a paper, not when the store first held it, end to end: papers fetched from arXiv
 * on demand (a thread digest and `/paper summary` of an unknown id through the real Bolt App, a library import
 * through the real command line) are stored before any poll source lists them; when Hugging Face then lists them,
 * every channel they match gets its alert, once, through the real Web API client against the fake Slack; listing
 * them again (both sources) alerts nobody. A summary of an id arXiv lacks, or while arXiv fails, is a clear answer.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createSlackDelivery, slackAlertClients } from '../../src/adapters/slack/alert-delivery.ts';
import { runCli } from '../../src/cli/main.ts';
import { createAlertSystem } from '../../src/core/alerts/system.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openPaperboy } from '../../src/paperboy.ts';
import { alertsConfig, FAST_SOURCES, invoker, tempDir } from '../core/alerts/support.ts';
import {
  type CorpusPaper,
  type PaperSourceServer,
  renderAtomFeed,
  renderDailyPapers,
  renderRssFeed,
  startPaperSourceServer,
} from '../fakes/paper-source-server.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { blockIds } from '../fakes/slack-blocks.ts';
import { appMentionEvent, postSigned, slashCommandBody } from '../fakes/slack-requests.ts';
import { startSlackHttp } from '../support/slack-http.ts';

const SECRET = 'on-demand-secret';
const BOT = 'UBOT';
const READING = 'C0READING1';
const OTHER = 'C0OTHER001';

const DIGESTED: CorpusPaper = {
  id: '2504.00001',
  title: 'Stacked Adapters All the Way Down',
  abstract: 'We introduce stacked adapters for diffusion transformers. Stacked adapters halve fine-tuning memory.',
  authors: ['Edsger Dijkstra'],
  categories: ['cs.LG'],
  published: '2025-04-01',
};
const IMPORTED: CorpusPaper = {
  id: '2504.00002',
  title: 'Adapters for Speech Recognition',
  abstract: 'We propose adapters for speech recognition models. Adapters match full fine-tuning on ten languages.',
  authors: ['Grace Hopper'],
  categories: ['cs.CL'],
  published: '2025-04-01',
};

const SUMMARISED: CorpusPaper = {
  id: '2504.00003',
  title: 'Quantised Adapters Summarised on Demand',
  abstract: 'We quantise low-rank adapters to four bits. Quantised adapters keep accuracy at a quarter of the memory.',
  authors: ['Barbara Liskov'],
  categories: ['cs.LG'],
  published: '2025-04-01',
};

let sources: PaperSourceServer;
const temp = tempDir('paperboy-on-demand-');
/** The arXiv API, answering for the papers it has. */
const arxivKnows = () =>
  sources.route('/api/query', (request) => ({
    body: renderAtomFeed(
      [DIGESTED, IMPORTED, SUMMARISED].filter((p) => request.query.get('id_list')?.split(',').includes(p.id)),
    ),
  }));
before(async () => {
  sources = await startPaperSourceServer();
  arxivKnows();
});
after(async () => {
  await sources.close();
  temp.cleanup();
});

test(
  'GIVEN papers fetched on demand (a thread digest on Slack, a library import) before any source listed them ' +
    'WHEN a source lists them as new THEN every channel they match gets each once, and a re-listing alerts nobody',
  async () => {
    const db = join(temp.dir, 'pb.db');
    const pb = await openPaperboy({
      dbPath: db,
      logger: silentLogger,
      builtinCorpus: false,
      useWorker: false,
      arxivLookup: { apiUrl: sources.url, gate: { wait: async () => {} } },
    });
    const api = await new FakeSlackApi({ botUserId: BOT }).start();
    const bot = await startSlackHttp(api, pb.dispatcher, {
      botToken: 'xoxb-news',
      signingSecret: SECRET,
      botUserId: BOT,
    });
    try {
      // A thread shares a paper the corpus lacks; "@paperboy summarize" fetches it from arXiv and stores it.
      const rootTs = '1767000000.000000';
      api.putMessage(READING, { ts: rootTs, type: 'message', user: 'U0ADA', text: 'reading group this week' });
      api.putMessage(READING, {
        ts: '1767000001.000000',
        type: 'message',
        user: 'U0ALAN',
        text: `this one: <https://arxiv.org/abs/${DIGESTED.id}v1>`,
        thread_ts: rootTs,
      });
      const mention = appMentionEvent('<@BOT> summarize', {
        threadTs: rootTs,
        eventId: 'EvNEWS1',
        botUserId: BOT,
        channel: READING,
      });
      await postSigned(bot.eventsUrl, SECRET, JSON.stringify(mention), 'application/json');
      const [digest] = await api.waitFor('chat.postMessage');
      assert.match(String(digest!.args.text), /Stacked Adapters All the Way Down/, 'the thread gets the fetched paper');
      assert.equal((await pb.papers.get(DIGESTED.id))?.title, DIGESTED.title, 'stored by the digest');
      // A library import fetches the other one.
      const ids = join(temp.dir, 'ids.txt');
      writeFileSync(ids, `${IMPORTED.id}\n`);
      process.env.ARXIV_API_URL = sources.url;
      const out: string[] = [];
      const imported = await runCli(
        ['library', 'import', '--channel', `slack:T0ONDEMAND:${OTHER}`, ids, '--db', db],
        { out: (l) => out.push(l), err: (l) => out.push(l) },
        Readable.from(['']),
      );
      assert.equal(imported, 0, out.join('\n'));
      assert.equal((await pb.papers.get(IMPORTED.id))?.title, IMPORTED.title, 'stored by the import');

      for (const [channel, query] of [
        [READING, 'adapters'],
        [OTHER, 'stacked adapters'],
      ] as const) {
        const reply = await pb.dispatcher.runText(`subscribe ${query}`, invoker(channel, 'slack'));
        assert.match(reply.fallback, /Subscribed/);
      }
      const { poller } = createAlertSystem({
        core: pb,
        config: alertsConfig(sources.url, { sources: ['huggingface', 'arxiv'] }),
        deliveries: [
          createSlackDelivery({
            client: slackAlertClients({ botToken: 'xoxb-news', apiUrl: api.apiUrl, retries: 0 }),
            logger: silentLogger,
            sleep: async () => {},
            minIntervalMs: 0,
          }),
        ],
        logger: silentLogger,
        now: () => new Date('2025-04-02T12:00:00Z'),
        sourceDeps: FAST_SOURCES,
      });
      const list = (hf: CorpusPaper[], rss: CorpusPaper[]) => {
        sources.route('/api/daily_papers', {
          body: renderDailyPapers(hf.map((p) => ({ ...p, upvotes: 5 }))),
          contentType: 'application/json',
        });
        sources.route('/rss/cs.CL+cs.LG', {
          body: renderRssFeed(rss, { day: '2025-04-02', categories: ['cs.CL', 'cs.LG'] }),
          contentType: 'application/rss+xml',
        });
      };
      const alerts = () =>
        api
          .callsTo('chat.postMessage')
          .filter((c) => !c.args.thread_ts && c.args.metadata && c.result?.ok)
          .map((c) => `${c.args.channel} ${blockIds(c.args.blocks).find((id) => id.startsWith('paper:'))}`)
          .sort();

      list([DIGESTED, IMPORTED], []);
      const first = await poller.pollOnce();
      assert.equal(first.sources[0]!.added, 0, 'the store held both already');
      assert.deepEqual(alerts(), [
        `${OTHER} paper:${DIGESTED.id}`,
        `${READING} paper:${DIGESTED.id}`,
        `${READING} paper:${IMPORTED.id}`,
      ]);

      // Listed again by both sources, the next day: nothing more.
      list([DIGESTED, IMPORTED], [DIGESTED, IMPORTED]);
      const again = await poller.pollOnce();
      assert.equal(again.alertsQueued, 0);
      assert.equal(alerts().length, 3);
      assert.ok((await pb.alerts.rows()).every((row) => row.state === 'sent'));
    } finally {
      delete process.env.ARXIV_API_URL;
      await bot.handle.stop();
      await api.close();
      await pb.close();
    }
  },
);

test(
  'GIVEN `/paper summary` of an arXiv id the store lacks (the real Bolt slash command) WHEN it is fetched, summarised ' +
    'and later listed as new THEN the channel it matches gets it once; an id arXiv lacks and a failing arXiv are answered',
  async () => {
    const pb = await openPaperboy({
      dbPath: join(temp.dir, 'summary.db'),
      logger: silentLogger,
      builtinCorpus: false,
      useWorker: false,
      arxivLookup: { apiUrl: sources.url, gate: { wait: async () => {} } },
    });
    const api = await new FakeSlackApi({ botUserId: BOT }).start();
    const bot = await startSlackHttp(api, pb.dispatcher, {
      botToken: 'xoxb-summary',
      signingSecret: SECRET,
      botUserId: BOT,
    });
    const slash = async (text: string) => {
      const body = slashCommandBody(text, api.responseUrl(text));
      assert.equal((await postSigned(bot.eventsUrl, SECRET, body, 'application/x-www-form-urlencoded')).status, 200);
    };
    try {
      await slash(`summary ${SUMMARISED.id}`);
      const [card, summary] = await api.waitFor('chat.postMessage', 2);
      assert.match(JSON.stringify(card!.args.blocks), /Quantised Adapters Summarised on Demand/, 'its card');
      assert.equal(summary!.args.thread_ts, card!.result!.ts, 'its summary in the thread');
      assert.match(JSON.stringify(summary!.args.blocks), /TL;DR/);
      assert.equal((await pb.papers.get(SUMMARISED.id))?.title, SUMMARISED.title, 'stored by the summary');

      await slash('summary 2504.09999');
      const [missing] = await api.waitFor('response_url');
      assert.equal(missing!.args.response_type, 'ephemeral');
      assert.match(
        String(missing!.args.text),
        /^Paper 2504\.09999 is not in the corpus, and arXiv has no paper 2504\.09999\.$/,
      );
      sources.route('/api/query', { status: 503, body: 'Service Unavailable' });
      await slash('summary 2504.09998');
      const [failed] = (await api.waitFor('response_url', 2)).slice(1);
      assert.match(
        String(failed!.args.text),
        /^Paper 2504\.09998 is not in the corpus, and I could not fetch it from arXiv just now: the arXiv look-up failed \(http\)\. Please try again in a minute\.$/,
      );
      assert.equal(await pb.papers.get('2504.09998'), undefined);
      arxivKnows();

      const subscribed = await pb.dispatcher.runText('subscribe quantised adapters', invoker(READING, 'slack'));
      assert.match(subscribed.fallback, /Subscribed/);
      const { poller } = createAlertSystem({
        core: pb,
        config: alertsConfig(sources.url, { sources: ['huggingface'] }),
        deliveries: [
          createSlackDelivery({
            client: slackAlertClients({ botToken: 'xoxb-summary', apiUrl: api.apiUrl, retries: 0 }),
            logger: silentLogger,
            sleep: async () => {},
            minIntervalMs: 0,
          }),
        ],
        logger: silentLogger,
        now: () => new Date('2025-04-02T12:00:00Z'),
        sourceDeps: FAST_SOURCES,
      });
      const alerts = () =>
        api
          .callsTo('chat.postMessage')
          .filter((c) => !c.args.thread_ts && c.args.metadata && c.result?.ok)
          .map((c) => `${c.args.channel} ${blockIds(c.args.blocks).find((id) => id.startsWith('paper:'))}`);
      sources.route('/api/daily_papers', {
        body: renderDailyPapers([{ ...SUMMARISED, upvotes: 5 }]),
        contentType: 'application/json',
      });
      const first = await poller.pollOnce();
      assert.equal(first.sources[0]!.added, 0, 'the store held it already');
      assert.deepEqual(alerts(), [`${READING} paper:${SUMMARISED.id}`]);
      const again = await poller.pollOnce();
      assert.equal(again.alertsQueued, 0, 'listed again: not news');
      assert.equal(alerts().length, 1, 'exactly once');
    } finally {
      await bot.handle.stop();
      await api.close();
      await pb.close();
    }
  },
);
