/** The engines the store contract runs against, each able to open fresh, empty stores. */
import { openStore } from '../../src/core/store/open.ts';
import type { Store } from '../../src/core/store/store.ts';

export interface StoreEngine {
  name: string;
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** Ends what the engine started for the tests. */
  stop(): Promise<void>;
}

export async function storeEngines(): Promise<StoreEngine[]> {
  return [
    {
      name: 'SQLite',
      open: () => openStore({ engine: 'sqlite', path: ':memory:' }),
      stop: async () => {},
    },
  ];
}
