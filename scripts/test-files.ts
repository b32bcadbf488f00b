/**
 * What the test runners share: the suite's files, and one PostgreSQL for a whole run. Every test file that needs
 * PostgreSQL asks test/support/postgres.ts for its own databases; given PAPERBOY_TEST_DATABASE_URL, that helper makes
 * them on the shared server instead of starting a server per file (a few seconds each).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.ts';

export const TEST_DATABASE_VARIABLE = 'PAPERBOY_TEST_DATABASE_URL';

/** How many test files run at once. */
export const DEFAULT_TEST_CONCURRENCY = 4;

/** Every `*.test.ts` under `dir`, repository-relative, sorted. */
export function testFiles(dir = 'test'): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts')) found.push(relative('.', path));
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * The PostgreSQL the run's files share: the one PAPERBOY_TEST_DATABASE_URL names already, else a temporary embedded
 * server started now (`stop()` ends it). `env` is what the test processes get.
 */
export async function sharedTestPostgres(): Promise<{ env: NodeJS.ProcessEnv; stop(): Promise<void> }> {
  if (process.env[TEST_DATABASE_VARIABLE]?.trim()) return { env: process.env, stop: async () => undefined };
  // Several files at once, each with its pools (and a cluster test's three bots): more than the default 100.
  const server: EmbeddedPostgres = await startEmbeddedPostgres({ fast: true, maxConnections: 400 });
  return { env: { ...process.env, [TEST_DATABASE_VARIABLE]: server.url }, stop: () => server.stop() };
}

/**
 * The longest files (by `npm run test:times`), started first so that none of them is still running alone at the
 * end of a run while the other workers sit idle. A file missing here just starts in its sorted place.
 */
const LONGEST_FILES = [
  'test/integration/cluster.test.ts',
  'test/bench/scale-smoke.test.ts',
  'test/build/dist.test.ts',
  'test/integration/postgres.test.ts',
  'test/integration/reliability-storage.test.ts',
  'test/integration/alerts-discord-crash.test.ts',
  'test/core/search/compact-fidelity.test.ts',
  'test/integration/console-logs.test.ts',
  'test/hostile/secrets.test.ts',
  'test/cli/cli.test.ts',
];

/** `files` with the longest ones first, the rest in their order. */
export function startFirst(files: string[]): string[] {
  const longest = LONGEST_FILES.filter((file) => files.includes(file));
  return [...longest, ...files.filter((file) => !longest.includes(file))];
}
