/**
 * A node:test reporter that prints, once the run is over, the test files that took longest (each file's process
 * from start to exit, as the runner timed it): `npm test` ends with them, so a file that grows slow is seen.
 * How many: PAPERBOY_SLOWEST_FILES (default 10). Plain JavaScript: node loads reporters before tsx's loader.
 */
import { relative } from 'node:path';

/** @param {AsyncIterable<{ type: string, data: { name: string, file?: string, nesting: number, details?: { duration_ms?: number } } }>} source */
export default async function* slowestFiles(source) {
  const count = Number(process.env.PAPERBOY_SLOWEST_FILES ?? 10);
  /** @type {{ file: string, ms: number }[]} */
  const files = [];
  for await (const event of source) {
    const { data } = event;
    // A file's own entry: the runner reports each file as a test named by its path.
    if (event.type === 'test:complete' && data.nesting === 0 && data.file !== undefined && data.name === data.file)
      files.push({ file: relative('.', data.file), ms: data.details?.duration_ms ?? 0 });
  }
  if (!files.length || !(count > 0)) return;
  const slowest = files.sort((a, b) => b.ms - a.ms).slice(0, count);
  yield `\nslowest ${slowest.length} of ${files.length} test files:\n`;
  for (const { file, ms } of slowest) yield `${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`;
}
