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
 *
 * The queue is bounded: with `maxWaiting` jobs waiting to start, a new one is turned away at once (WorkQueueFull),
 * and its adapter answers "busy, try again in a few seconds" instead of letting every answer grow later and later.
 */
import { errorReply, type Reply } from '../core/reply.ts';

/** Jobs running at once; more wait their turn, in arrival order. */
export const MAX_IN_FLIGHT = 8;
/** Jobs waiting to start; more are turned away (WORK_QUEUE_MAX). */
export const MAX_WAITING = 200;

export const BUSY = 'paperboy is busy right now, try again in a few seconds.';

/** The queue was full: the job was not run. */
export class WorkQueueFull extends Error {
  override name = 'WorkQueueFull';
  constructor() {
    super(BUSY);
  }
}

export interface TurnsOptions {
  /** Jobs running at once (default MAX_IN_FLIGHT). */
  maxInFlight?: number;
  /** Jobs waiting to start before new ones are turned away (default MAX_WAITING). */
  maxWaiting?: number;
  /** Called for each job turned away (paperboy_work_shed_total). */
  onShed?: () => void;
}

export class Turns {
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  /** A start is scheduled for the next turn: at most one at a time. */
  private starting = false;
  private readonly maxInFlight: number;
  private readonly maxWaiting: number;

  constructor(private readonly options: TurnsOptions = {}) {
    this.maxInFlight = options.maxInFlight ?? MAX_IN_FLIGHT;
    this.maxWaiting = options.maxWaiting ?? MAX_WAITING;
  }

  /** Runs `work` in its turn; rejects at once with WorkQueueFull when `maxWaiting` jobs are waiting already. */
  run<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.waiting.length >= this.maxWaiting) {
      this.options.onShed?.();
      return Promise.reject(new WorkQueueFull());
    }
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

/**
 * A command's reply, worked out in its turn; with the queue full, at once a "busy" answer for the person who asked
 * (the adapter delivers it as it delivers any reply, so the platform's acknowledgement is never in doubt).
 */
export async function replyInTurn(turns: Turns, work: () => Promise<Reply>): Promise<Reply> {
  try {
    return await turns.run(work);
  } catch (error) {
    if (error instanceof WorkQueueFull) return errorReply(BUSY);
    throw error;
  }
}
