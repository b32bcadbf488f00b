/**
 * The house rules of the README's architecture, read from the imports of every module under src/ and commands/:
 * the core and the commands know no platform and no composition root, and no two modules import each other
 * (type-only imports included). The checker itself is tested first on tiny graphs, so a pass means something.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  forbiddenImports,
  type ImportGraph,
  importCycles,
  importGraph,
  importsOf,
  type LayerRule,
  type Violation,
} from './support/import-graph.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The core and the commands: what must stay platform-neutral and never reach back to where it is wired. */
const CORE_KNOWS_NO_PLATFORM: LayerRule = {
  layer: ['src/core/', 'commands/'],
  packages: ['@slack/', 'discord.js'],
  paths: ['src/adapters/', 'src/cli/', 'src/main.ts', 'src/paperboy.ts', 'src/config.ts'],
};

/**
 * Search, related papers and the alert matcher reach the compact engine through search-index.ts; the index's build
 * and persistence (paper-segment.ts, index-manager.ts) are the only other modules that touch it.
 */
const COMPACT = 'src/core/search/compact/';
const COMPACT_DOORS = [
  'src/core/search/search-index.ts',
  'src/core/search/paper-segment.ts',
  'src/core/search/index-manager.ts',
  // The child process that builds a whole index file (the bot adopts the file it writes).
  'src/core/search/build-process.ts',
];

function sourceTree(folders: string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of folders) {
    for (const name of readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })) {
      if (!/\.(ts|mjs)$/.test(name)) continue;
      const path = join(ROOT, folder, name);
      files.set(relative(ROOT, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  }
  return files;
}

const describeViolations = (violations: Violation[]) =>
  violations.map((v) => `${v.file} imports '${v.specifier}' (forbidden: ${v.rule})`).join('\n');
const describeCycles = (cycles: string[][]) => cycles.map((cycle) => cycle.join(' → ')).join('\n');

describe('the import checker', () => {
  const tiny = (files: Record<string, string>): ImportGraph => importGraph(new Map(Object.entries(files)));

  test('reads static, type-only, re-exported and dynamic imports, but not comments, strings or worker URLs', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "export { c } from './c.ts';",
      "export type * from './d.ts';",
      "const e = await import('./e.ts');",
      "import '@slack/bolt';",
      "// import x from './comment.ts';",
      'const s = "import y from \'./string.ts\'";',
      "const worker = new URL('./worker.mjs', import.meta.url);",
    ].join('\n');
    assert.deepEqual(importsOf(text), ['./a.ts', './b.ts', './c.ts', './d.ts', './e.ts', '@slack/bolt']);
  });

  test('names the file and the import that break a layer rule, and lets the rest through', () => {
    const graph = tiny({
      'src/core/a.ts': [
        "import type { App } from '@slack/bolt';",
        "import { Client } from 'discord.js/typings';",
        "import { x } from '../adapters/slack/render.ts';",
        "import type { P } from '../paperboy.ts';",
        "import { y } from './b.ts';",
        "import { z } from 'node:fs';",
        "import { slackish } from '@slackware/x';",
      ].join('\n'),
      'src/core/b.ts': "export const y = 1; const m = import('../main.ts');",
      'src/adapters/slack/render.ts': "import { App } from '@slack/bolt'; import { y } from '../../core/b.ts';",
      'src/paperboy.ts': "import { y } from './core/b.ts';",
      'src/main.ts': "import { openPaperboy } from './paperboy.ts';",
    });
    assert.deepEqual(forbiddenImports(graph, CORE_KNOWS_NO_PLATFORM), [
      { file: 'src/core/a.ts', specifier: '@slack/bolt', rule: '@slack/' },
      { file: 'src/core/a.ts', specifier: 'discord.js/typings', rule: 'discord.js' },
      { file: 'src/core/a.ts', specifier: '../adapters/slack/render.ts', rule: 'src/adapters/' },
      { file: 'src/core/a.ts', specifier: '../paperboy.ts', rule: 'src/paperboy.ts' },
      { file: 'src/core/b.ts', specifier: '../main.ts', rule: 'src/main.ts' },
    ]);
  });

  test('finds every cycle, type-only and self imports included, and writes each as a closed path', () => {
    const graph = tiny({
      'src/a.ts': "import type { B } from './b.ts';",
      'src/b.ts': "import { c } from './c';",
      'src/c.ts': "export { a } from './a.ts';",
      'src/d.ts': "import { a } from './a.ts'; import { e } from './e.ts';",
      'src/e.ts': "const d = () => import('./d.ts');",
      'src/f.ts': "import { f } from './f.ts';",
      'src/g.ts': "import { a } from './a.ts'; import fs from 'node:fs';",
    });
    assert.deepEqual(importCycles(graph), [
      ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/a.ts'],
      ['src/d.ts', 'src/e.ts', 'src/d.ts'],
      ['src/f.ts', 'src/f.ts'],
    ]);
  });

  test('an acyclic graph has no cycles', () => {
    const graph = tiny({
      'src/a.ts': "import { b } from './b.ts'; import { c } from './c.ts';",
      'src/b.ts': "import { c } from './c.ts';",
      'src/c.ts': 'export const c = 1;',
    });
    assert.deepEqual(importCycles(graph), []);
  });
});

describe('the source tree', () => {
  const graph = importGraph(sourceTree(['src', 'commands']));

  test('reads a real graph (the composition root reaches the core and the adapters)', () => {
    const targets = (graph.get('src/main.ts') ?? []).map((edge) => edge.target);
    assert.ok(targets.includes('src/paperboy.ts'), 'src/main.ts imports src/paperboy.ts');
    assert.ok(graph.size > 100, `only ${graph.size} modules read`);
  });

  test('src/core/ and commands/ import no platform library, adapter, CLI or composition root', () => {
    const violations = forbiddenImports(graph, CORE_KNOWS_NO_PLATFORM);
    assert.equal(violations.length, 0, `\n${describeViolations(violations)}`);
  });

  test('only the search index and its build and persistence reach into the compact engine', () => {
    const importers = [...graph]
      .filter(([file, edges]) => !file.startsWith(COMPACT) && edges.some((e) => e.target?.startsWith(COMPACT)))
      .map(([file]) => file);
    assert.ok(importers.includes('src/core/search/search-index.ts'), 'the reader finds the imports it checks');
    assert.deepEqual(
      importers.filter((file) => !COMPACT_DOORS.includes(file)),
      [],
    );
  });

  test('only the analyzer imports lunr (its pipeline): the bot builds no lunr.Index', () => {
    const importers = [...graph].filter(([, edges]) => edges.some((e) => e.specifier === 'lunr')).map(([f]) => f);
    assert.deepEqual(importers, [`${COMPACT}analyzer.ts`]);
  });

  test('no import cycles among src/ and commands/ (type-only imports count)', () => {
    const cycles = importCycles(graph);
    assert.equal(cycles.length, 0, `\n${describeCycles(cycles)}`);
  });
});
