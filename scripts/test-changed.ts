/**
 * `npm run test:changed [-- --base REF] [--list] [--concurrency N]`: the inner loop's test run. Runs (through
 * scripts/test.ts, so with the shared PostgreSQL) the test files that a change can affect: the files changed since
 * they left `--base` (default: main; committed, uncommitted and new files alike) and every test file that imports
 * one of them, directly or through other modules, or starts it as a process or worker
 * (`new URL('…/main.ts', import.meta.url)`). A changed file outside the import graph (a fixture, data/) selects the
 * test files that name it; a changed package.json, lock file or tsconfig selects them all. `--list` prints the
 * files instead of running them. `npm test` stays the whole suite.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, posix, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { importGraph } from '../test/support/import-graph.ts';
import { testFiles } from './test-files.ts';

const SOURCE_FOLDERS = ['src', 'commands', 'test', 'bench', 'scripts', 'bin'];
/** Changes that can affect any test. */
const EVERYTHING = new Set(['package.json', 'package-lock.json', 'tsconfig.json']);
/** Files a module starts rather than imports: `new URL('./worker.ts', import.meta.url)`. */
const STARTED = /new URL\(\s*['"](\.{1,2}\/[^'"]+\.(?:ts|mjs|js))['"]\s*,\s*import\.meta\.url\s*\)/g;

function git(...args: string[]): string[] {
  return execFileSync('git', args, { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Repository-relative paths changed since the merge base with `base`, in the work tree, or new and untracked. */
function changedFiles(base: string): string[] {
  const mergeBase = git('merge-base', base, 'HEAD')[0];
  if (!mergeBase) throw new Error(`no common ancestor of ${base} and HEAD`);
  return [
    ...new Set([...git('diff', '--name-only', mergeBase), ...git('ls-files', '--others', '--exclude-standard')]),
  ].sort();
}

function sourceTree(): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of SOURCE_FOLDERS) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
      if (!/\.(ts|mjs|js)$/.test(name) || name.split(sep).includes('node_modules')) continue;
      const path = join(folder, name);
      files.set(path.split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  }
  return files;
}

/** Every module → the modules it imports or starts. */
function dependencies(files: Map<string, string>): Map<string, Set<string>> {
  const graph = importGraph(files);
  const edges = new Map<string, Set<string>>();
  for (const [file, imports] of graph) {
    const targets = new Set(imports.map((edge) => edge.target).filter((target) => target !== undefined));
    for (const match of files.get(file)!.matchAll(STARTED))
      targets.add(posix.normalize(posix.join(posix.dirname(file), match[1]!)));
    edges.set(file, targets);
  }
  return edges;
}

/** The test files that depend on any of `changed`, through any chain of imports and starts. */
function affectedTests(changed: string[], tests: string[], files: Map<string, string>): string[] {
  if (changed.some((file) => EVERYTHING.has(file))) return tests;
  const edges = dependencies(files);
  const dependents = new Map<string, string[]>();
  for (const [file, targets] of edges)
    for (const target of targets) dependents.set(target, [...(dependents.get(target) ?? []), file]);
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const dependent of dependents.get(file) ?? []) visit(dependent);
  };
  for (const file of changed) {
    if (files.has(file) || !existsSync(file)) visit(file);
    // Not a module (a fixture, data/, a doc): the test files that name it.
    else for (const test of tests) if (files.get(test)?.includes(basename(file))) visit(test);
  }
  return tests.filter((test) => reached.has(test));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string', default: 'main' },
      list: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
    },
  });
  const tests = testFiles();
  const selected = affectedTests(changedFiles(values.base), tests, sourceTree());
  if (values.list) {
    process.stdout.write(selected.map((file) => `${file}\n`).join(''));
    return 0;
  }
  if (!selected.length) {
    process.stderr.write(`test:changed: no test file depends on what changed since ${values.base}\n`);
    return 0;
  }
  process.stderr.write(`test:changed: ${selected.length} of ${tests.length} test files\n`);
  const runner = relative('.', join(import.meta.dirname, 'test.ts'));
  const concurrency = values.concurrency === undefined ? [] : ['--concurrency', values.concurrency];
  const child = spawn(process.execPath, ['--import', 'tsx', runner, ...concurrency, ...selected], { stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

process.exitCode = await main();
