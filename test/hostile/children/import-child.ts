/**
 * A child process for test/integration/reliability-storage.test.ts: imports a large JSONL file into a file database
 * (WAL) and prints a line after every stored batch, so the test can SIGKILL it mid-import.
 */

import { silentLogger } from '../../../src/core/logger.ts';
import { openPaperboy } from '../../../src/paperboy.ts';

const [dbPath, file] = process.argv.slice(2) as [string, string];
const pb = await openPaperboy({ dbPath, logger: silentLogger, builtinCorpus: false, useWorker: false });
process.stdout.write('opened\n');
await pb.importer.importPath(file, {
  source: 'import',
  onProgress: (processed) => process.stdout.write(`progress ${processed}\n`),
});
process.stdout.write('done\n');
await pb.close();
