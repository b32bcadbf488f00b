/**
 * A child process for test/cli/backup.test.ts: the bot writing while a backup is taken. Through the store, it commits
 * one subscription and one library entry per transaction (channel C<n>, paper p<n>), one after another, and says so
 * on standard output ("committed <n>"); it stops when its standard input closes.
 */
import { SqliteStore } from '../../../src/core/store/sqlite/store.ts';

const [dbPath] = process.argv.slice(2) as [string];
const store = SqliteStore.open(dbPath);
let stopping = false;
process.stdin.on('end', () => {
  stopping = true;
});
process.stdin.resume();

for (let n = 1; !stopping; n++) {
  const channel = { platform: 'slack', workspaceId: 'T1', channelId: `C${n}` };
  await store.transaction(async (tx) => {
    await tx.alerts.addSubscription({ ...channel, query: `query ${n}`, mode: 'instant' });
    await tx.library.save({ ...channel, paperId: `p${n}`, savedBy: 'U1', savedAt: new Date().toISOString() });
  });
  process.stdout.write(`committed ${n}\n`);
  // Lets the end of standard input be noticed.
  await new Promise((resolve) => setImmediate(resolve));
}
await store.close();
