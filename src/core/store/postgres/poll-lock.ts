/**
 * The poll lock in PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) held on a connection of its own, never
 * one of the pool's (a pooled connection goes back to the pool and would take the lock with it to other work). The
 * lock lives exactly as long as that connection: a process killed with -9 closes it at once, and a machine that
 * vanishes is noticed by the server's TCP keepalives (set short for this session), so another instance can take
 * over within seconds. The holder is named in the connection's `application_name`, for messages.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describeError, type Logger } from '../../logger.ts';
import { THIS_HOST } from '../lease.ts';
import type { LockHolder, PollLock, PollLockOptions } from '../store.ts';
import { POLL_LOCK_SPACE } from './sql.ts';

const HOLDER_PREFIX = 'paperboy-lock:';
/** The server drops a silent peer after about idle + interval × count seconds (10 + 5 × 3 = 25 s). */
const KEEPALIVE = { idle: 10, interval: 5, count: 3 };

export class PostgresPollLock implements PollLock {
  readonly owner = randomUUID();
  private readonly name: string;
  private client: pg.Client | undefined;
  private held = false;

  constructor(
    private readonly url: string,
    options: PollLockOptions = {},
    private readonly logger?: Logger,
  ) {
    this.name = options.name ?? 'poller';
  }

  async acquire(): Promise<boolean> {
    if (this.held && (await this.heartbeat())) return true;
    const client = await this.connect();
    const [row] = (
      await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
        POLL_LOCK_SPACE,
        this.name,
      ])
    ).rows;
    this.held = row?.locked === true;
    return this.held;
  }

  async heartbeat(): Promise<boolean> {
    const client = this.client;
    if (!this.held || !client) return false;
    try {
      await client.query('SELECT 1');
      return this.held;
    } catch {
      this.drop(client);
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.client;
    this.held = false;
    if (!client) return;
    this.client = undefined;
    // Closing the session releases its advisory locks; no unlock statement needed (or possible, if it is broken).
    await client.end().catch(() => undefined);
  }

  async holder(): Promise<LockHolder | undefined> {
    const client = await this.connect();
    const [row] = (
      await client.query<{ application_name: string }>(
        `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::oid
           AND l.objid = (hashtext($2)::bigint & 4294967295)::oid AND l.database = (
             SELECT oid FROM pg_database WHERE datname = current_database())`,
        [POLL_LOCK_SPACE, this.name],
      )
    ).rows;
    const match = row?.application_name.match(/^paperboy-lock:(\d+)@(.*)$/);
    return match ? { pid: Number(match[1]), host: match[2]! } : undefined;
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: `${HOLDER_PREFIX}${process.pid}@${THIS_HOST}`.slice(0, 63),
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE.idle * 1000,
    });
    // A lost connection is a lost lock: the next heartbeat says so, and acquire() starts over on a new one.
    client.on('error', (error) => {
      this.logger?.warn('PostgreSQL: the poll lock connection was lost', { error: describeError(error) });
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    await client.connect();
    await client.query(
      `SET tcp_keepalives_idle = ${KEEPALIVE.idle}; SET tcp_keepalives_interval = ${KEEPALIVE.interval}; ` +
        `SET tcp_keepalives_count = ${KEEPALIVE.count}`,
    );
    this.client = client;
    return client;
  }

  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.held = false;
    void client.end().catch(() => undefined);
  }
}
