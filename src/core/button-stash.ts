/**
 * The button stash: a query too long for a button id is kept in the store under a short key derived from the value
 * (the same value always gets the same key, on every instance). Cards are built synchronously, so `put` returns the
 * key at once and writes in the background; the dispatcher awaits `settled()` before a reply leaves, so a click on any
 * instance sharing the database finds the value.
 */
import { createHash } from 'node:crypto';
import type { Stash } from './actions.ts';
import { describeError, type Logger } from './logger.ts';
import type { StashStore } from './store/store.ts';

/** The key of a value: 16 characters of its SHA-256 (base64url). */
export function stashKey(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 16);
}

export class ButtonStash implements Stash {
  /** Values whose write is under way, by key (a click on this instance meanwhile finds them here). */
  private readonly writing = new Map<string, { value: string; done: Promise<void> }>();

  constructor(
    private readonly store: StashStore,
    private readonly logger: Logger,
  ) {}

  put(value: string): string {
    const key = stashKey(value);
    if (this.writing.has(key)) return key;
    const done = this.store.put(key, value).then(
      () => undefined,
      (error: unknown) => {
        // The reply still goes out; only this button will say it is no longer valid.
        this.logger.warn('could not keep a button value in the stash', { error: describeError(error) });
      },
    );
    this.writing.set(key, { value, done });
    void done.then(() => this.writing.delete(key));
    return key;
  }

  async get(key: string): Promise<string | undefined> {
    return this.writing.get(key)?.value ?? (await this.store.get(key));
  }

  async settled(): Promise<void> {
    await Promise.all([...this.writing.values()].map((w) => w.done));
  }
}
