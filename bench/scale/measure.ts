/** Measurement helpers of the scale bench: timing, percentiles, memory, bytes on disk, latency under load. */
import { readdirSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';

export const MB = 1024 * 1024;

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/** Seconds a (possibly async) step takes, and its result. */
export async function timed<T>(step: () => T | Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await step();
  return { seconds: (performance.now() - started) / 1000, value };
}

/** Resident set size in MB after a full GC (when the process runs with --expose-gc). */
export function steadyRssMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().rss / MB;
}

/** Peak resident set size of the process so far (all threads), in MB. */
export function peakRssMB(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}

/** Bytes of a file, or of every file under a folder. 0 when missing. */
export function bytesOnDisk(path: string): number {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of readdirSync(path)) total += bytesOnDisk(join(path, name));
  return total;
}

export interface LoadSample {
  /** Latencies (ms) of the queries that arrived while the work was running, each counted from its arrival. */
  latencies: number[];
  /** Seconds the work took. */
  seconds: number;
}

/**
 * Runs `work` while queries arrive at a fixed rate (one every `intervalMs`), open loop: each query's latency
 * counts from when it arrived, not from when the event loop got round to it, so a stalled event loop shows
 * up in full (a 5 s stall makes every query that arrived during it wait). Only queries that arrived before
 * the work finished are counted. Queries are answered one at a time; an asynchronous one counts until it resolves.
 */
export async function latencyDuring(
  work: () => Promise<unknown> | unknown,
  query: (i: number) => unknown,
  intervalMs: number,
): Promise<LoadSample> {
  const latencies: number[] = [];
  const started = performance.now();
  let nextArrival = started;
  let finishedAt = Infinity;
  let i = 0;
  let serving: Promise<void> | undefined;
  const serve = (): Promise<void> => {
    serving ??= (async () => {
      try {
        while (nextArrival <= performance.now() && nextArrival <= finishedAt) {
          await query(i++);
          latencies.push(performance.now() - nextArrival);
          nextArrival += intervalMs;
        }
      } finally {
        serving = undefined;
      }
    })();
    return serving;
  };
  const timer = setInterval(serve, Math.max(1, intervalMs / 2));
  let workStarted = started;
  try {
    // Let the first arrival be served before the work starts, so even synchronous work is measured against.
    await serve();
    await new Promise((resolve) => setImmediate(resolve));
    workStarted = performance.now();
    await work();
  } finally {
    finishedAt = performance.now();
    clearInterval(timer);
  }
  await serving;
  await serve();
  return { latencies, seconds: (finishedAt - workStarted) / 1000 };
}
