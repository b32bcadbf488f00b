// Worker thread (plain JS: no tsx to boot): checkpoints a database's write-ahead log on its own connection, so the
// fsyncs of a checkpoint (tens of milliseconds) happen here instead of inside a commit on the main thread.
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';

parentPort.on('message', ({ id, dbPath }) => {
  try {
    const db = new Database(dbPath, { fileMustExist: true });
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)');
      parentPort.postMessage({ id, ok: true, result });
    } finally {
      db.close();
    }
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
