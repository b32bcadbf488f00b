/**
 * The rule every engine's poll lock follows: a lease row names its holder (owner, pid, host) and an expiry the holder
 * keeps pushing forward. It can be taken when there is none, when it is ours, when it expired, or when its holder is a
 * process on this host that no longer exists (so a restart after kill -9 does not wait for the expiry).
 */
import { hostname } from 'node:os';

export interface LeaseRow {
  owner: string;
  pid: number;
  host: string;
  expiresAt: number;
}

export const THIS_HOST = hostname();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function leaseIsFree(row: LeaseRow | undefined, owner: string, now: number): boolean {
  return (
    !row ||
    row.owner === owner ||
    row.expiresAt < now ||
    (row.host === THIS_HOST && row.pid !== process.pid && !pidAlive(row.pid))
  );
}
