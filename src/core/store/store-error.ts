/** A database that cannot be used, said in one line that is safe to show and log: never a password. */
import type { StoreLocation } from './store.ts';

/** The database cannot be used (unreachable, refused, a schema from a newer paperboy). */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** `postgres://user:secret@host:5432/db` → `postgres://user@host:5432/db`: a location to show, without its password. */
export function describeLocation(location: StoreLocation): string {
  if (location.engine === 'sqlite') return location.path;
  try {
    const url = new URL(location.url);
    url.password = '';
    return url.toString();
  } catch {
    return 'the PostgreSQL database (its URL could not be read)';
  }
}
