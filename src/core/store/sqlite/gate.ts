/**
 * One SQLite connection serves the whole process, and its statements run synchronously. A transaction that awaits
 * between statements (`Store.transaction`, a corpus read) must not have anyone else's statements run inside it, so
 * while one holds the connection every other call waits for it to finish. Calls made when nothing holds it run at
 * once, synchronously, as before the store became asynchronous.
 */

/** Runs a synchronous piece of work on the connection; resolves to its result. */
export type Runner = <T>(work: () => T) => Promise<T>;

export class Gate {
  private held: Promise<void> | undefined;

  /** For calls from outside a transaction: waits while one holds the connection, then runs `work` immediately. */
  readonly run: Runner = async <T>(work: () => T): Promise<T> => {
    while (this.held) await this.held;
    // No await between the check above and the work: nothing can take the connection in between.
    return work();
  };

  /** Holds the connection for `work` (a transaction); calls made meanwhile through `run` wait. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.held) await this.held;
    let release!: () => void;
    this.held = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      return await work();
    } finally {
      this.held = undefined;
      release();
    }
  }
}

/** For calls inside a transaction: they run at once (the transaction holds the connection). */
export const runNow: Runner = async <T>(work: () => T): Promise<T> => work();
