/**
 * `paperboy poll`: one round against the fake sources, console subscriptions printed, then exit (and 3 when locked).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import { invoker, openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';

let server: PaperSourceServer;
const temp = tempDir();
before(async () => {
  server = await startPaperSourceServer();
  server.route('/api/daily_papers', {
    body: renderDailyPapers([
      {
        id: '2503.40001',
        title: 'Mixture of adapters',
        abstract:
          'We propose a mixture of adapters for multilingual models. It beats single adapters on ten languages.',
        authors: ['Ada'],
        categories: ['cs.CL'],
        published: '2025-03-18',
        upvotes: 12,
      },
    ]),
    contentType: 'application/json',
  });
  Object.assign(process.env, {
    SOURCES: 'huggingface',
    HF_API_URL: server.url,
    ALERTS_LOG: join(temp.dir, 'console-alerts.jsonl'),
    LOG_LEVEL: 'error',
  });
  for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_TOKEN', 'DISCORD_APP_ID'])
    delete process.env[name];
});
after(async () => {
  await server.close();
  temp.cleanup();
});

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, Readable.from(['']));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test(
  'GIVEN a console subscription WHEN `paperboy poll` runs ' +
    'THEN it prints the alert once, logs it, and a second run prints nothing new',
  async () => {
    const db = join(temp.dir, 'cli.db');
    const pb = await openTestPaperboy(db);
    await pb.dispatcher.runText('subscribe adapters', invoker('console'));
    await pb.close();
    const first = await cli(['poll', '--db', db, '--no-builtin']);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /huggingface: 1 fetched, 1 new, 1 alerts queued/);
    assert.match(first.out, /Mixture of adapters/);
    assert.match(first.out, /why: Matched your subscription #1 "adapters": adapters/);
    assert.match(first.out, /console: 1 messages \(1 alerts\)/);
    assert.equal(
      readFileSync(join(temp.dir, 'console-alerts.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l.includes('"kind":"post"')).length,
      1,
    );
    const second = await cli(['poll', '--db', db, '--no-builtin']);
    assert.equal(second.code, 0);
    assert.match(second.out, /huggingface: 1 fetched, 0 new, 0 alerts queued/);
    assert.doesNotMatch(second.out, /Mixture of adapters/);
  },
);

test('GIVEN another live process holds the poll lock THEN `paperboy poll` exits 3 without fetching', async () => {
  const db = join(temp.dir, 'locked.db');
  const pb = await openTestPaperboy(db);
  const lock = pb.store.pollLock();
  assert.ok(await lock.acquire());
  const before = server.requests.length;
  try {
    const result = await cli(['poll', '--db', db, '--no-builtin']);
    assert.equal(result.code, 3);
    assert.match(result.err, /another paperboy process is polling/);
    assert.equal(server.requests.length, before);
  } finally {
    await lock.release();
    await pb.close();
  }
});
