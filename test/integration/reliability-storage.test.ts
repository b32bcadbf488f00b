/**
 * Storage under abuse: a process SIGKILLed in the middle of a large import leaves a database that opens, passes
 * SQLite's integrity check, holds only whole batches, and finishes on a re-import; two processes on one database
 * never both poll (the alerts poll lock: `paperboy poll` exits 3), and a killed lock holder is taken over at once.
 * A corrupt or missing index file is rebuilt from the database: covered by test/core/search/index-manager.test.ts.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/core/store/sqlite/database.ts';
import { openTestPaperboy, tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, renderDailyPapers, startPaperSourceServer } from '../fakes/paper-source-server.ts';

const IMPORT_CHILD = fileURLToPath(new URL('../hostile/children/import-child.ts', import.meta.url));
const LOCK_CHILD = fileURLToPath(new URL('../hostile/children/lock-holder.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));
const PAPERS = 24_000;

const temp = tempDir('paperboy-storage-');
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
  temp.cleanup();
});

interface Running {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first stdout line matching. */
  line(pattern: RegExp): Promise<string>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.add(child);
  const lines: string[] = [];
  let out = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters])
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
    }
  });
  child.stderr!.on('data', (chunk) => (out += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, out });
    }),
  );
  return {
    child,
    lines,
    done,
    line: (pattern) => {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void done.then(() => reject(new Error(`exited before ${pattern}: ${out.slice(-2000)}`)));
      });
    },
  };
}

describe('GIVEN a large import killed with SIGKILL', () => {
  const dbPath = join(temp.dir, 'import.db');
  const file = join(temp.dir, 'big.jsonl');
  before(() => {
    const lines: string[] = [];
    for (let i = 1; i <= PAPERS; i++) {
      lines.push(
        JSON.stringify({
          arxivId: `2501.${String(i).padStart(5, '0')}`,
          title: `Synthetic paper ${i} on sparse attention and retrieval`,
          abstract:
            `We study synthetic problem ${i}. ` +
            `${'Our method improves robustness and speed on many benchmarks. '.repeat(4)}`,
          authors: [`Author ${i % 997}`, `Coauthor ${i % 89}`],
          published: '2025-01-15',
          categories: ['cs.LG'],
        }),
      );
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
  });

  test(
    'WHEN the importer is killed after some batches ' +
      'THEN the database opens, is consistent, and a re-import completes it',
    async () => {
      const importing = run([IMPORT_CHILD, dbPath, file]);
      await importing.line(/^progress [1-9]/);
      // Let it get into the next batch's transaction, then kill it without warning.
      await new Promise((resolve) => setTimeout(resolve, 40));
      importing.child.kill('SIGKILL');
      const result = await importing.done;
      assert.equal(result.signal, 'SIGKILL');
      assert.ok(!importing.lines.includes('done'), 'killed mid-import, not after it');

      const db = openDatabase(dbPath);
      const integrity = db.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
      assert.equal(integrity.integrity_check, 'ok');
      const count = (db.prepare('SELECT COUNT(*) AS n FROM papers').get() as { n: number }).n;
      db.close();
      assert.ok(count > 0 && count < PAPERS, `a partial import survived (${count} papers)`);
      assert.equal(count % 2000, 0, `only whole batches are stored (${count})`);

      const pb = await openTestPaperboy(dbPath);
      try {
        const summary = await pb.importer.importPath(file, { source: 'import' });
        assert.equal(summary.added, PAPERS - count);
        assert.equal(summary.unchanged, count);
        assert.equal(await pb.papers.count(), PAPERS);
      } finally {
        await pb.close();
      }
    },
  );
});

describe('GIVEN two paperboy processes on the same database', () => {
  let sources: PaperSourceServer;
  let releaseSource: () => void = () => {};
  before(async () => {
    sources = await startPaperSourceServer();
  });
  after(async () => {
    releaseSource();
    await sources.close();
  });

  const env = (dbDir: string) => ({
    SOURCES: 'huggingface',
    HF_API_URL: sources.url,
    ALERTS_LOG: join(dbDir, 'console.jsonl'),
    LOG_LEVEL: 'error',
    SLACK_BOT_TOKEN: '',
    SLACK_APP_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    DISCORD_TOKEN: '',
    DISCORD_APP_ID: '',
  });

  test(
    'WHEN another process holds the poll lock ' +
      'THEN `paperboy poll` exits 3; once that process is killed, the next poll runs',
    async () => {
      const dbPath = join(temp.dir, 'locked.db');
      await (await openTestPaperboy(dbPath)).close();
      sources.route('/api/daily_papers', { body: renderDailyPapers([]), contentType: 'application/json' });
      const holder = run([LOCK_CHILD, dbPath]);
      assert.equal(await holder.line(/locked|busy/), 'locked');
      const blocked = await run([CLI, 'poll', '--db', dbPath, '--no-builtin'], env(temp.dir)).done;
      assert.equal(blocked.code, 3, blocked.out);
      holder.child.kill('SIGKILL');
      await holder.done;
      const next = await run([CLI, 'poll', '--db', dbPath, '--no-builtin'], env(temp.dir)).done;
      assert.equal(next.code, 0, next.out);
    },
  );

  test('WHEN two `paperboy poll` processes start together THEN exactly one polls and the other exits 3', async () => {
    const dbPath = join(temp.dir, 'race.db');
    await (await openTestPaperboy(dbPath)).close();
    // The source answers only after one of the two has exited: whoever got the lock waits here meanwhile.
    const firstExit = new Promise<void>((resolve) => (releaseSource = resolve));
    sources.route('/api/daily_papers', async () => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([firstExit, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))]);
      // Cleared: a pending timer would keep this file's process alive for the rest of the 30 s.
      clearTimeout(timer);
      return { body: renderDailyPapers([]), contentType: 'application/json' };
    });
    const a = run([CLI, 'poll', '--db', dbPath, '--no-builtin'], env(temp.dir));
    const b = run([CLI, 'poll', '--db', dbPath, '--no-builtin'], env(temp.dir));
    const first = await Promise.race([a.done, b.done]);
    releaseSource();
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(first.code, 3, `the first to finish was turned away: ${first.out}`);
    assert.deepEqual([ra.code, rb.code].sort(), [0, 3], `${ra.out}\n${rb.out}`);
  });
});
