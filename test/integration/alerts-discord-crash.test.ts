/**
 * `paperboy poll` in cron mode delivering to Discord (REST only, no gateway login), killed with SIGKILL after Discord
 * created the alert card but before the answer reached the process (so before the outbox recorded it). The next
 * `paperboy poll` must recognise the card as its own (it learns the bot's user id from GET /users/@me) and post no
 * second one: only its summary thread is still missing.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { FakeDiscord, type RecordedRequest } from '../fakes/discord-api.ts';
import { TEST_TOKEN } from '../fakes/discord-harness.ts';
import { defaultWorld } from '../fakes/discord-payloads.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';

const CLI = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));
const world = defaultWorld();
let discord: FakeDiscord;
let sources: PaperSourceServer;
const temp = tempDir('paperboy-discord-crash-');

before(async () => {
  discord = await new FakeDiscord(world).start();
  sources = await startPaperSourceServer();
  sources.route('/api/daily_papers', {
    body: renderDailyPapers([
      {
        id: '2503.50001',
        title: 'Speculative decoding with tiny drafts',
        abstract:
          'We propose speculative decoding with tiny draft models. Experiments show a three times speed-up ' +
          'on common benchmarks at equal quality.',
        authors: ['Ada'],
        categories: ['cs.CL'],
        published: '2025-03-18',
        upvotes: 9,
      },
    ]),
    contentType: 'application/json',
  });
});
after(async () => {
  await discord.close();
  await sources.close();
  temp.cleanup();
});

function poll(dbPath: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'poll', '--db', dbPath, '--no-builtin'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: '',
      SLACK_APP_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_APP_ID: world.appId,
      DISCORD_API_URL: discord.apiUrl,
      SOURCES: 'huggingface',
      HF_API_URL: sources.url,
      ALERTS_LOG: join(temp.dir, 'console-alerts.jsonl'),
      LOG_LEVEL: 'warn',
    },
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const done = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // A failed run explains itself in the test output.
  done.then(({ code }) => void (code ? process.stderr.write(out) : undefined));
  return { child, done };
}

const isCardPost = (r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${world.channelId}/messages`;

test(
  'GIVEN `paperboy poll` killed between Discord creating the card and the outbox commit ' +
    'WHEN the next poll runs THEN it finds its own card and posts no duplicate, only the missing thread',
  async () => {
    const dbPath = join(temp.dir, 'pb.db');
    const pb = await openTestPaperboy(dbPath);
    await pb.dispatcher.runText('subscribe speculative decoding', invoker(world.channelId, 'discord'));
    await pb.close();

    const first = poll(dbPath);
    discord.holdAnswer = async (request) => {
      if (!isCardPost(request)) return false;
      first.child.kill('SIGKILL');
      await first.done;
      return true;
    };
    assert.equal((await first.done).signal, 'SIGKILL');
    discord.holdAnswer = async () => false;
    assert.equal(discord.requests.filter(isCardPost).length, 1, 'Discord created the card once');

    const seen = discord.requests.length;
    const second = poll(dbPath);
    assert.equal((await second.done).code, 0);

    const later = discord.since(seen);
    assert.equal(later.filter(isCardPost).length, 0, 'no second card');
    assert.equal(later.filter((r) => r.method === 'GET' && r.path === '/users/@me').length, 1, 'asked who it is once');
    const cards = [...discord.messages.values()].filter((m) => m.channel_id === world.channelId);
    assert.equal(cards.length, 1);
    assert.match(JSON.stringify(cards[0]!.embeds), /Speculative decoding with tiny drafts/);
    const thread = cards[0]!.id;
    assert.ok(
      later.some((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`),
      'the summary went into the card thread',
    );
    const check = await openTestPaperboy(dbPath);
    try {
      assert.deepEqual(
        (await check.alerts.rows()).map((r) => r.state),
        ['sent'],
      );
    } finally {
      await check.close();
    }
  },
);
