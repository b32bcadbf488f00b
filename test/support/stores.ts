/**
 * The engines the store contract runs against, each able to open fresh, empty stores: SQLite in memory, and a real
 * PostgreSQL (see postgres.ts: an embedded server for this test file, or PAPERBOY_TEST_DATABASE_URL's).
 */
import { openStore } from '../../src/core/store/open.ts';
import type { Store } from '../../src/core/store/store.ts';
import { testPostgres } from './postgres.ts';

export interface StoreEngine {
  name: string;
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** Ends what the engine started for the tests. */
  stop(): Promise<void>;
}

export async function storeEngines(): Promise<StoreEngine[]> {
  const postgres = testPostgres();
  return [
    {
      name: 'SQLite',
      open: () => openStore({ engine: 'sqlite', path: ':memory:' }),
      stop: async () => {},
    },
    {
      name: 'PostgreSQL',
      open: async () => openStore({ engine: 'postgres', url: await postgres.freshDatabase() }, { poolSize: 4 }),
      stop: () => postgres.stop(),
    },
  ];
}
