/**
 * The import graph of the source tree, read with the TypeScript compiler's pre-processor (static imports,
 * `export … from`, `import type`, dynamic `import('…')`; comments and strings are skipped), and the two rules the
 * architecture test holds it to: layers that must not import certain modules, and no cycles at all.
 * Pure functions over in-memory file texts, so the checker itself can be tested on a tiny graph.
 */
import { posix } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** As written in the source: `./reply.ts`, `discord.js`, `node:fs`. */
  specifier: string;
  /** Repository-relative path a relative specifier points at; undefined for packages and built-ins. */
  target?: string;
}

/** File (repository-relative, `/`-separated) → the imports it makes, in source order. */
export type ImportGraph = Map<string, ImportEdge[]>;

export interface LayerRule {
  /** Who the rule binds: files under these folders (`src/core/`) or exactly these files. */
  layer: string[];
  /** Packages they must not import: a name (`discord.js`) or a scope (`@slack/`). */
  packages: string[];
  /** Local modules they must not import: folders (`src/adapters/`) or files (`src/main.ts`). */
  paths: string[];
}

export interface Violation {
  file: string;
  specifier: string;
  /** The package or path of the rule it breaks. */
  rule: string;
}

const EXTENSIONS = ['', '.ts', '.mjs', '/index.ts'];

/** The module specifiers `text` imports or re-exports (type-only and dynamic imports included). */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** Builds the graph of `files` (path → text), resolving relative specifiers against the other files' paths. */
export function importGraph(files: ReadonlyMap<string, string>): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const [file, text] of files) {
    const edges = importsOf(text).map((specifier): ImportEdge => {
      if (!specifier.startsWith('.')) return { specifier };
      const base = posix.normalize(posix.join(posix.dirname(file), specifier));
      const target = EXTENSIONS.map((ext) => base + ext).find((candidate) => files.has(candidate)) ?? base;
      return { specifier, target };
    });
    graph.set(file, edges);
  }
  return graph;
}

const within = (path: string, places: string[]) =>
  places.some((place) => (place.endsWith('/') ? path.startsWith(place) : path === place));

const isPackage = (specifier: string, name: string) =>
  name.endsWith('/') ? specifier.startsWith(name) : specifier === name || specifier.startsWith(`${name}/`);

/** Every import by a file of `rule.layer` of a package or path the rule forbids. */
export function forbiddenImports(graph: ImportGraph, rule: LayerRule): Violation[] {
  const violations: Violation[] = [];
  for (const [file, edges] of graph) {
    if (!within(file, rule.layer)) continue;
    for (const { specifier, target } of edges) {
      const broken =
        target === undefined
          ? rule.packages.find((name) => isPackage(specifier, name))
          : rule.paths.find((place) => within(target, [place]));
      if (broken) violations.push({ file, specifier, rule: broken });
    }
  }
  return violations;
}

/**
 * One cycle per strongly connected component of local imports (Tarjan), each written as the path that closes it:
 * `[a, b, c, a]`. Empty when the graph is acyclic.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const next = (file: string) =>
    [...new Set((graph.get(file) ?? []).map((edge) => edge.target))].filter(
      (target): target is string => target !== undefined && graph.has(target),
    );
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  const connect = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const target of next(file)) {
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component = new Set<string>();
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.add(member);
    } while (member !== file);
    if (component.size > 1 || next(file).includes(file)) cycles.push(cycleThrough(file, component, next));
  };

  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);
  return cycles;
}

/** A shortest path from `start` back to itself inside its component (breadth-first). */
function cycleThrough(start: string, component: Set<string>, next: (file: string) => string[]): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!;
    for (const target of next(file)) {
      if (!component.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at = file; at !== start; at = cameFrom.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
