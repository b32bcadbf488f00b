/**
 * A node:test reporter that prints, once the run is over, the test files that took longest (each file's process
 * from start to exit, as the runner timed it) and how much of that was outside their tests (start-up, file-level
 * hooks, or a forgotten timer keeping the process alive): `npm test` ends with them, so a file that grows slow is
 * seen. How many: PAPERBOY_SLOWEST_FILES (default 10). Plain JavaScript: node loads reporters before tsx's loader.
 */
import { relative } from 'node:path';

/**
 * @param {AsyncIterable<{ type: string, data: { name: string, file?: string, nesting: number,
 *   details?: { duration_ms?: number } } }>} source
 */
export default async function* slowestFiles(source) {
  const count = Number(process.env.PAPERBOY_SLOWEST_FILES ?? 10);
  /** @type {Map<string, { ms: number, testsMs: number }>} */
  const files = new Map();
  const entry = (/** @type {string} */ file) => {
    if (!files.has(file)) files.set(file, { ms: 0, testsMs: 0 });
    return /** @type {{ ms: number, testsMs: number }} */ (files.get(file));
  };
  for await (const event of source) {
    const { data } = event;
    if (event.type !== 'test:complete' || data.nesting !== 0 || data.file === undefined) continue;
    // The runner reports each file as a test named by its path; the file's own top-level tests come beside it.
    if (data.name === data.file) entry(data.file).ms = data.details?.duration_ms ?? 0;
    else entry(data.file).testsMs += data.details?.duration_ms ?? 0;
  }
  if (!files.size || !(count > 0)) return;
  const slowest = [...files].sort(([, a], [, b]) => b.ms - a.ms).slice(0, count);
  const seconds = (/** @type {number} */ ms) => (ms / 1000).toFixed(1).padStart(7);
  yield `\nslowest ${slowest.length} of ${files.size} test files (seconds):\n   wall outside tests\n`;
  for (const [file, { ms, testsMs }] of slowest)
    yield `${seconds(ms)}${seconds(Math.max(0, ms - testsMs))}  ${relative('.', file)}\n`;
}
