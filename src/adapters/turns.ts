/**
 * Command work (search, summaries) is synchronous CPU. Run straight after an acknowledgement, a burst of requests
 * makes each new request's acknowledgement wait behind every earlier request's work: at 200 concurrent slash
 * commands Slack's 3-second ack deadline was missed (see docs/reliability.md). `inTurn` runs such work one job at a
 * time, each after a trip through the event loop (setImmediate), so pending I/O (more requests to acknowledge,
 * timers that defer a slow Discord answer) always gets in between two jobs.
 */
let tail: Promise<unknown> = Promise.resolve();
let queued = 0;

export function inTurn<T>(work: () => Promise<T> | T): Promise<T> {
  queued++;
  const run = tail
    .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
    .then(work)
    .finally(() => queued--);
  tail = run.catch(() => undefined);
  return run;
}

/**
 * Jobs queued or running (the caller's own included). With others ahead, an answer will wait for their work: a
 * Discord handler defers at once instead of after its timer, which could only fire between two (slow) jobs.
 */
export function turnsQueued(): number {
  return queued;
}
