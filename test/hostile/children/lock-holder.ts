/**
 * A child process for test/integration/reliability-storage.test.ts: takes the alerts poll lock on a database and
 * holds it (renewing it) until killed, like a second bot process polling the same database.
 */

import { SqliteStore } from '../../../src/core/store/sqlite/store.ts';

const [dbPath] = process.argv.slice(2) as [string];
const lock = SqliteStore.open(dbPath).pollLock();
process.stdout.write((await lock.acquire()) ? 'locked\n' : 'busy\n');
setInterval(() => void lock.heartbeat(), 1000);
