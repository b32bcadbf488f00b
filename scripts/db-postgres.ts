/**
 * `npm run db:postgres [-- --dir PATH | --temp] [--port N]`: a local PostgreSQL for trying paperboy on PostgreSQL.
 * Data stays in ./data/postgres (or PATH) across runs, or in a temporary folder removed at the end (--temp). Prints
 * the DATABASE_URL of its `paperboy` database and runs until Ctrl-C.
 */
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

const DEFAULT_PORT = 54329;

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, temp: { type: 'boolean', default: false }, port: { type: 'string' } },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    process.stderr.write('db:postgres: --port must be a port number\n');
    return 2;
  }
  const chosen = port ?? ((await portFree(DEFAULT_PORT)) ? DEFAULT_PORT : undefined);
  const dir = values.temp ? undefined : resolve(values.dir ?? 'data/postgres');
  process.stderr.write(`starting PostgreSQL (${dir ? `data in ${dir}` : 'temporary data'}) …\n`);
  const server = await startEmbeddedPostgres({ dir, port: chosen });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'paperboy'");
  if (!exists.rowCount) await admin.query('CREATE DATABASE paperboy');
  await admin.end();
  const url = new URL(server.url);
  url.pathname = '/paperboy';
  process.stdout.write(`DATABASE_URL=${url}\n`);
  process.stderr.write(
    'PostgreSQL is running on 127.0.0.1 (local connections only). Put the line above in .env, or run e.g.\n' +
      `  DATABASE_URL='${url}' npm start\nPress Ctrl-C to stop it.\n`,
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  process.stderr.write('stopping PostgreSQL …\n');
  await server.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`db:postgres: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
