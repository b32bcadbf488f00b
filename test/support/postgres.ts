/**
 * A real PostgreSQL for a test file. `npm test` (scripts/test.ts) starts one server for the whole run and names it in
 * PAPERBOY_TEST_DATABASE_URL; with that set, the file makes its databases there and starts nothing. Without it (a
 * file run on its own), the file starts its own embedded server (scripts/embedded-postgres.ts: a temporary folder, a
 * free port on 127.0.0.1, removed again by `stop()`; a few seconds to start), lazily, on first use. Either way every `freshDatabase()` is a new, empty database, dropped by
 * `stop()`; call `stop()` from the file's `after` hook.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../scripts/embedded-postgres.ts';

export interface TestPostgres {
  /** The URL of a new, empty database. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function testPostgres(): TestPostgres {
  const external = process.env.PAPERBOY_TEST_DATABASE_URL?.trim() || undefined;
  let server: Promise<EmbeddedPostgres> | undefined;
  const created: string[] = [];
  const adminUrl = async (): Promise<string> => {
    if (external) return external;
    server ??= startEmbeddedPostgres({ fast: true });
    return (await server).url;
  };
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: await adminUrl() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    async freshDatabase() {
      const name = `paperboy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      created.push(name);
      return withDatabase(await adminUrl(), name);
    },
    async stop() {
      if (external && created.length)
        await admin(async (client) => {
          for (const name of created.splice(0)) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        });
      if (server) await (await server).stop();
    },
  };
}
