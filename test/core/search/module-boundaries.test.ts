import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMPACT = 'src/core/search/compact/';
/**
 * Search, related papers and the alert matcher reach the compact index through search-index.ts; the index's build
 * and persistence (paper-segment.ts, index-manager.ts) are the only other modules that touch it.
 */
const COMPACT_DOORS = [
  'src/core/search/search-index.ts',
  'src/core/search/paper-segment.ts',
  'src/core/search/index-manager.ts',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every module specifier a file imports or re-exports (static, type-only and dynamic), relative ones resolved. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)'([^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), s)) : s));
}

const files = [...sourceFiles('src'), ...sourceFiles('commands')];

test('GIVEN src/ and commands/ THEN only the search index and its build and persistence import compact/', () => {
  const importers = files.filter(
    (file) => !file.startsWith(COMPACT) && importsOf(file).some((target) => target.startsWith(COMPACT)),
  );
  assert.ok(importers.includes('src/core/search/search-index.ts'), 'the reader finds the imports it checks');
  assert.deepEqual(
    importers.filter((file) => !COMPACT_DOORS.includes(file)),
    [],
  );
});

test('GIVEN src/ and commands/ THEN only the analyzer imports lunr (its pipeline; the bot builds no lunr.Index)', () => {
  const importers = files.filter((file) => importsOf(file).includes('lunr'));
  assert.deepEqual(importers, [`${COMPACT}analyzer.ts`]);
});
