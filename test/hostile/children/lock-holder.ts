/**
 * A child process for test/integration/reliability-storage.test.ts: takes the alerts poll lock on a database and
 * holds it (renewing it) until killed, like a second bot process polling the same database.
 */

import { PollLock } from '../../../src/core/alerts/lock.ts';
import { openDatabase } from '../../../src/core/store/database.ts';

const [dbPath] = process.argv.slice(2) as [string];
const db = openDatabase(dbPath);
const lock = new PollLock(db);
process.stdout.write(lock.acquire() ? 'locked\n' : 'busy\n');
setInterval(() => lock.heartbeat(), 1000);
