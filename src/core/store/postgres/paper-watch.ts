/**
 * New papers from any instance, as they commit: paper writes `NOTIFY paper_changes` in their transaction (delivered
 * on commit, see papers.ts), and each watching instance `LISTEN`s on a connection of its own. A notification can be
 * missed while that connection is down, so after every (re)connect the watcher reports a change once, and the
 * caller catches up by change number (`changedSince`); a periodic check covers anything else.
 */
import pg from 'pg';
import { describeError, type Logger } from '../../logger.ts';
import type { PaperWatch, WatchOptions } from '../store.ts';

export const PAPER_CHANNEL = 'paper_changes';
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

export function watchPostgresPapers(
  url: string,
  onChange: () => void,
  options: WatchOptions & { logger?: Logger } = {},
): PaperWatch {
  let closed = false;
  let client: pg.Client | undefined;
  let retryMs = RECONNECT_MIN_MS;
  let retryTimer: NodeJS.Timeout | undefined;
  const check = setInterval(() => onChange(), options.checkEveryMs ?? 30_000);
  check.unref();

  const retry = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void listen();
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(RECONNECT_MAX_MS, retryMs * 2);
  };

  const listen = async () => {
    const next = new pg.Client({ connectionString: url, application_name: 'paperboy-listen', keepAlive: true });
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = undefined;
      void next.end().catch(() => undefined);
      if (closed) return;
      options.logger?.warn('PostgreSQL: the new-papers listener lost its connection; reconnecting', {
        error: error && describeError(error),
      });
      retry();
    };
    next.on('notification', () => onChange());
    next.on('error', lost);
    next.on('end', () => lost());
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${PAPER_CHANNEL}`);
    } catch (error) {
      lost(error as Error);
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    retryMs = RECONNECT_MIN_MS;
    // Whatever was written while no one listened.
    onChange();
  };
  void listen();

  return {
    async close() {
      closed = true;
      clearInterval(check);
      if (retryTimer) clearTimeout(retryTimer);
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}
