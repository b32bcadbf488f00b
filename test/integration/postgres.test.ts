/**
 * paperboy on PostgreSQL, end to end, on a real server (an embedded one for this file, or
 * PAPERBOY_TEST_DATABASE_URL's): `npm start` with DATABASE_URL runs the console chat on it, `paperboy poll` makes an
 * alert round into it, two instances share one database (a button made by one works on the other), and a bad
 * DATABASE_URL stops the bot and the CLI with one line that names the problem and not the password.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger, silentLogger } from '../../src/core/logger.ts';
import { indexFileFor, openPaperboy } from '../../src/paperboy.ts';
import { tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { testPostgres } from '../support/postgres.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));

const postgres = testPostgres();
const temp = tempDir('paperboy-postgres-');
let sources: PaperSourceServer;
before(async () => {
  sources = await startPaperSourceServer();
});
after(async () => {
  await sources?.close();
  await postgres.stop();
  temp.cleanup();
});

/** Environment for a child paperboy: nothing from a developer's .env leaks in (set, even empty, wins over .env). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PAPERBOY_DB: join(temp.dir, 'unused.db'),
    PAPERBOY_INDEX_DIR: join(temp.dir, 'index'),
    LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: '',
    SLACK_APP_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    DISCORD_TOKEN: '',
    DISCORD_APP_ID: '',
    SOURCES: 'huggingface',
    HF_API_URL: sources.url,
    POLL_INTERVAL_MINUTES: '0',
    ALERTS_LOG: join(temp.dir, 'alerts.jsonl'),
    DATABASE_URL: '',
    ...extra,
  };
}

interface Run {
  out: () => string;
  err: () => string;
  write(line: string): void;
  exited: Promise<number | null>;
}

function start(file: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  after(() => void child.kill('SIGKILL'));
  return { out: () => out, err: () => err, write: (line) => child.stdin.write(`${line}\n`), exited };
}

async function until(what: string, check: () => boolean, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const LORA = {
  id: '2503.00001',
  title: 'LoRA Adapters for Tiny Language Models',
  abstract:
    'We propose a low-rank adapter method that fine-tunes small language models with few parameters. ' +
    'Results show strong gains on reasoning benchmarks while training one percent of the weights.',
  authors: ['Ada Lovelace', 'Alan Turing'],
  categories: ['cs.CL'],
  published: '2025-03-18',
};

test(
  'GIVEN DATABASE_URL=postgres://… WHEN the console chat runs and then `paperboy poll` ' +
    'THEN both work on PostgreSQL and the new paper is alerted once and searchable',
  async () => {
    const url = await postgres.freshDatabase();
    const chat = start(MAIN, [], childEnv({ DATABASE_URL: url }));
    await until('the prompt', () => chat.out().includes('you › '));
    chat.write('/paper lora');
    await until('the answer to /paper lora', () => /Results for "lora" \(1–5 of \d+\)/.test(chat.out()));
    chat.write('/paper subscribe lora adapter');
    await until('the subscription', () => /Subscribed this channel to: lora adapter/.test(chat.out()));
    chat.write('/quit');
    assert.equal(await chat.exited, 0, chat.err());

    sources.route('/api/daily_papers', {
      body: renderDailyPapers([{ ...LORA, upvotes: 7 }]),
      contentType: 'application/json',
    });
    const poll = start(CLI, ['poll'], childEnv({ DATABASE_URL: url }));
    assert.equal(await poll.exited, 0, poll.err());
    assert.match(poll.out(), /huggingface: 1 fetched, 1 new, 1 alerts queued/);
    assert.match(poll.out(), /console: 1 messages \(1 alerts\)/);
    assert.match(poll.out(), /LoRA Adapters for Tiny Language Models/);
    const again = start(CLI, ['poll'], childEnv({ DATABASE_URL: url }));
    assert.equal(await again.exited, 0, again.err());
    assert.doesNotMatch(again.out(), /LoRA Adapters for Tiny Language Models/, 'alerted once');

    const search = start(CLI, ['search', 'tiny language models lora', '--json'], childEnv({ DATABASE_URL: url }));
    assert.equal(await search.exited, 0, search.err());
    assert.equal(JSON.parse(search.out().split('\n')[0]!).id, '2503.00001');
  },
);

test(
  'GIVEN two instances on one PostgreSQL database WHEN a button made by one is clicked on the other ' +
    'THEN it works, and a restart loads the persisted index instead of rebuilding',
  async () => {
    const databaseUrl = await postgres.freshDatabase();
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    const dbPath = join(temp.dir, 'instances', 'pb.db');
    const a = await openPaperboy({ dbPath, databaseUrl, logger });
    assert.equal(a.store.engine, 'postgres');
    assert.equal(a.seeded?.added, 71);
    assert.ok(
      lines.some((line) => line.includes('search index built')),
      'built (in a build process, from PostgreSQL)',
    );
    const corpusId = (await a.store.meta.get('corpus_id'))!;
    assert.ok(existsSync(indexFileFor(dbPath, undefined, { corpusId })!));
    const b = await openPaperboy({ dbPath: join(temp.dir, 'other', 'pb.db'), databaseUrl, logger: silentLogger });
    try {
      assert.equal(b.seeded, undefined, 'the built-in papers are loaded once per database');
      const invoker = { platform: 'slack' as const, userId: 'U1', channelId: 'C1' };
      const long = `"speculative decoding" ${'draft model verification '.repeat(8)}diffusion`;
      const reply = await a.dispatcher.runText(long, invoker);
      const id = JSON.stringify(reply).match(/pb:q\d*!?:#[\w-]+/)?.[0];
      assert.ok(id, 'a paging button keeps its long query in the stash');
      const clicked = await b.dispatcher.runAction(id, invoker);
      assert.doesNotMatch(clicked.fallback, /no longer valid/);
    } finally {
      await a.close();
      await b.close();
    }
    lines.length = 0;
    const restarted = await openPaperboy({ dbPath, databaseUrl, logger });
    try {
      assert.ok(!lines.some((line) => line.includes('search index built')), 'loaded, not rebuilt');
      assert.equal((await restarted.services.search.search('lora')).hits.length, 5);
    } finally {
      await restarted.close();
    }
  },
);

test(
  'GIVEN an unreachable or wrong DATABASE_URL ' + 'THEN the bot and the CLI stop with one line, no password',
  async () => {
    const closed = `postgres://paperboy:hunter2-secret@127.0.0.1:${await closedPort()}/paperboy`;
    const bot = start(MAIN, [], childEnv({ DATABASE_URL: closed }));
    assert.equal(await bot.exited, 1);
    assert.equal(bot.out(), '', 'the chat never started');
    const lines = bot.err().trim().split('\n');
    assert.equal(lines.length, 1, bot.err());
    assert.match(
      lines[0]!,
      /^paperboy: cannot connect to PostgreSQL at postgres:\/\/paperboy@127\.0\.0\.1:\d+\/paperboy: connection refused/,
    );
    assert.doesNotMatch(bot.err(), /hunter2/);

    const wrongPassword = new URL(await postgres.freshDatabase());
    wrongPassword.password = 'not-the-password';
    const cli = start(CLI, ['stats'], childEnv({ DATABASE_URL: wrongPassword.toString() }));
    assert.equal(await cli.exited, 1);
    assert.equal(cli.err().trim().split('\n').length, 1, cli.err());
    assert.match(cli.err(), /^paperboy: cannot connect to PostgreSQL at .*: password authentication failed/);
    assert.doesNotMatch(cli.err(), /not-the-password/);

    const notPostgres = start(CLI, ['stats'], childEnv({ DATABASE_URL: 'mysql://root:pw123456@localhost/db' }));
    assert.equal(await notPostgres.exited, 2);
    assert.match(
      notPostgres.err(),
      /^paperboy: configuration error: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    assert.doesNotMatch(notPostgres.err(), /pw123456/);
  },
);

/** A port nothing listens on (taken and let go). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
