/**
 * The requests a process is answering right now. Adapters run each incoming command, click or mention through it;
 * at shutdown it stops admitting new ones and waits (for a bounded time) for those in hand to finish, so a restart
 * does not cut an answer off half-way.
 */
export class InFlight {
  private admitting = true;
  private readonly active = new Set<Promise<unknown>>();

  /** False once shutdown began: adapters turn new requests away (with a "restarting" note where they can). */
  get accepting(): boolean {
    return this.admitting;
  }

  get size(): number {
    return this.active.size;
  }

  /** Runs `work`, tracked until it settles. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    const tracked = running.finally(() => this.active.delete(tracked));
    this.active.add(tracked);
    tracked.catch(() => undefined);
    return running;
  }

  /** Stops admitting new work. */
  close(): void {
    this.admitting = false;
  }

  /** Resolves once nothing is in flight, or after `timeoutMs`; returns how many requests were still unfinished. */
  async settle(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    while (this.active.size > 0) {
      const done = Promise.allSettled([...this.active]).then(() => 'done' as const);
      if ((await Promise.race([done, deadline.then(() => 'late' as const)])) === 'late') break;
    }
    clearTimeout(timer);
    return this.active.size;
  }
}
