/**
 * Command work runs after the acknowledgement, and part of it is synchronous CPU (search, summaries). Started all at
 * once, a burst of requests made each new request's acknowledgement wait behind every earlier request's work: at 200
 * concurrent slash commands Slack's 3-second ack deadline was missed (see docs/reliability.md). So jobs start at most
 * one per event-loop turn (each after a trip through setImmediate): pending I/O (more requests to acknowledge, timers
 * that defer a slow Discord answer) always gets in between two starts.
 *
 * Jobs also wait on the network (a thread read for a digest, a language model, PostgreSQL). While one waits, others
 * run: up to MAX_IN_FLIGHT at a time, started in arrival order (none is starved), so a slow command holds up nobody
 * else's. A job's failure is its caller's alone.
 */

/** Jobs running at once; more wait their turn, in arrival order. */
export const MAX_IN_FLIGHT = 8;

export class Turns {
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  /** A start is scheduled for the next turn: at most one at a time. */
  private starting = false;

  constructor(private readonly maxInFlight = MAX_IN_FLIGHT) {}

  run<T>(work: () => Promise<T> | T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        this.running++;
        const done = () => {
          this.running--;
          this.next();
        };
        let result: Promise<T>;
        try {
          result = Promise.resolve(work());
        } catch (error) {
          result = Promise.reject(error);
        }
        result.then(
          (value) => {
            done();
            resolve(value);
          },
          (error: unknown) => {
            done();
            reject(error);
          },
        );
      });
      this.next();
    });
  }

  /** Jobs waiting or running. */
  get queued(): number {
    return this.waiting.length + this.running;
  }

  /** Starts the oldest waiting job on the next turn, when there is room for it. */
  private next(): void {
    if (this.starting || !this.waiting.length || this.running >= this.maxInFlight) return;
    this.starting = true;
    // An immediate scheduled from an immediate runs on the next turn: one start per turn.
    setImmediate(() => {
      this.starting = false;
      if (this.running < this.maxInFlight) this.waiting.shift()?.();
      this.next();
    });
  }
}

/** The adapters' shared turns: every platform's command work goes through one. */
const turns = new Turns();

export function inTurn<T>(work: () => Promise<T> | T): Promise<T> {
  return turns.run(work);
}

/**
 * Jobs waiting or running (the caller's own included). With others about, an answer may wait for their work: a
 * Discord handler defers at once instead of after its timer, which could only fire between two (slow) starts.
 */
export function turnsQueued(): number {
  return turns.queued;
}
