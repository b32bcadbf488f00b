/**
 * Opens the store a location names: a SQLite file (the default) or a PostgreSQL database. Only the engine in use is
 * loaded. A database that cannot be opened is a `StoreError` whose message is one line naming the problem.
 */
import type { OpenStoreOptions, Store, StoreLocation } from './store.ts';
import { StoreError } from './store-error.ts';

export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  if (location.engine === 'postgres') {
    const { PostgresStore } = await import('./postgres/store.ts');
    return PostgresStore.open(location.url, options, location.timeouts);
  }
  const { SqliteStore } = await import('./sqlite/store.ts');
  try {
    return SqliteStore.open(location.path, options);
  } catch (error) {
    throw new StoreError(`cannot open the SQLite database ${location.path}: ${(error as Error).message}`);
  }
}
