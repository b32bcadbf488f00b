/**
 * A clean, bounded shutdown on SIGTERM / SIGINT: stop taking new events; let the requests in hand finish and the
 * poll round in progress cancel itself (source fetches and their backoff / Retry-After waits are aborted), for at
 * most `graceMs`; then close what is open, each step bounded (platform connections, the health server, the poll
 * lock, the database); flush the logs and exit 0 — within 5 s. Whatever hangs anyway, the process exits at
 * `hardExitMs` (10 s) with an error logged, so an orchestrator never has to SIGKILL it.
 */
import { describeError, type RootLogger } from '../core/logger.ts';

export interface ShutdownPlan {
  /** Stops taking new events (synchronous: from this moment on, new requests are turned away). */
  stopIntake(): void;
  /** Work to wait for, together, for at most `graceMs`: in-flight requests, the poll round being cancelled. */
  drain: (() => Promise<unknown>)[];
  /** Then, in this order, each given at most `stepMs`. */
  close: { name: string; run: () => Promise<unknown> | unknown }[];
}

export interface ShutdownOptions {
  logger: RootLogger;
  graceMs?: number;
  stepMs?: number;
  hardExitMs?: number;
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** Runs the plan once (later calls get the same run) and exits with `code`. */
  run(reason: string, code?: number): Promise<void>;
  /** Runs it on SIGTERM and SIGINT. */
  onSignals(): void;
}

/** Resolves with the promise's outcome or 'late' after `ms`, whichever comes first; never rejects. */
async function bounded(work: () => Promise<unknown> | unknown, ms: number): Promise<'done' | 'late' | Error> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    // Not unref'd: while shutting down, this wait is what the process is doing.
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(work)
        .then(() => 'done' as const),
      late,
    ]);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

export function createShutdown(plan: ShutdownPlan, options: ShutdownOptions): Shutdown {
  const { logger } = options;
  const graceMs = options.graceMs ?? 3_500;
  const stepMs = options.stepMs ?? 1_000;
  const hardExitMs = options.hardExitMs ?? 10_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  async function shut(reason: string, code: number): Promise<void> {
    const started = Date.now();
    logger.info(`${reason}: shutting down`, { graceMs, hardExitMs });
    const hard = setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting anyway', { afterMs: Date.now() - started });
      logger.flush();
      exit(1);
    }, hardExitMs);
    plan.stopIntake();
    const drained = await bounded(() => Promise.allSettled(plan.drain.map((wait) => wait())), graceMs);
    if (drained === 'late') logger.warn('shutdown: work still running after the grace period; closing anyway');
    for (const step of plan.close) {
      const outcome = await bounded(step.run, stepMs);
      if (outcome === 'late') logger.warn('shutdown: a step did not finish in time', { step: step.name });
      else if (outcome instanceof Error)
        logger.warn('shutdown: a step failed', { step: step.name, error: describeError(outcome) });
    }
    clearTimeout(hard);
    logger.info('shutdown complete', { tookMs: Date.now() - started });
    logger.flush();
    exit(code);
  }

  const shutdown: Shutdown = {
    run(reason, code = 0) {
      running ??= shut(reason, code);
      return running;
    },
    onSignals() {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.on(signal, () => {
          if (running) logger.warn(`received ${signal} again; already shutting down`);
          void shutdown.run(`received ${signal}`);
        });
      }
    },
  };
  return shutdown;
}
