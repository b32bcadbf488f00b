/**
 * Checkpoints a SQLite write-ahead log from a worker thread. SQLite checkpoints automatically once the log
 * holds 1,000 pages, inside whichever commit crosses that line: on the main thread that is ~30 ms of fsyncs
 * while the bot should be answering (measured during a 500-paper batch). Checkpointing here first keeps the
 * log short, so the main connection's commits never reach the automatic checkpoint; each then only restarts
 * the log. The worker is plain JavaScript (booting tsx in it would cost seconds of CPU) and keeps the process
 * alive only while a checkpoint is pending.
 */
import { Worker } from 'node:worker_threads';

interface Reply {
  id: number;
  ok: boolean;
  error?: string;
}

export class WalCheckpointer {
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(private readonly dbPath: string) {}

  /**
   * Resolves once the log's committed pages are in the database file (a failure rejects; the data is safe either way).
   */
  checkpoint(): Promise<void> {
    const worker = this.ensureWorker();
    const id = ++this.next;
    // Held while a checkpoint is pending (a caller awaits it), let go when idle.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, dbPath: this.dbPath });
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./wal-checkpoint-worker.mjs', import.meta.url));
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.ok) waiter?.resolve();
      else waiter?.reject(new Error(reply.error ?? 'checkpoint failed'));
    });
    const fail = (error: Error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`checkpoint worker exited with code ${code}`)));
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
