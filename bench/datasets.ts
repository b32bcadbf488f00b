/**
 * Loaders for the relevance test collections in ../shared/eval (read in place, never copied into
 * the project): CACM (free-text queries, binary relevance) and CSFCube (query papers, graded 0-3); CISI and the
 * method-name known items are in datasets/.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvalDoc } from './engine.ts';

/** Relevance judgments of one query: document id -> grade (0 = judged not relevant). */
export type Gains = Map<string, number>;

export interface SearchQuery {
  id: string;
  query: string;
  gains: Gains;
}

export interface RelatedQuery {
  id: string;
  /** The paper whose related papers are ranked; it is never a result itself. */
  queryPaperId: string;
  facet: string;
  gains: Gains;
}

export interface SearchDataset {
  name: string;
  docs: EvalDoc[];
  queries: SearchQuery[];
}

export interface RelatedDataset {
  name: string;
  docs: EvalDoc[];
  queries: RelatedQuery[];
}

/** The project root (the folder holding package.json), from this file's location. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `<root>/../shared`: where the shared material is checked out beside the project. */
export const defaultSharedDir = path.resolve(projectRoot, '..', 'shared');

export function readJsonl(file: string): unknown[] {
  if (!existsSync(file)) {
    throw new Error(`eval data not found: ${file} (is ../shared checked out? override with --shared PATH)`);
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (error) {
        throw new Error(`${file}:${i + 1}: invalid JSON (${(error as Error).message})`);
      }
    });
}

export function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected an object`);
  }
  return value as Record<string, unknown>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function requiredString(obj: Record<string, unknown>, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value === '') throw new Error(`${where}: missing "${key}"`);
  return value;
}

function toDoc(value: unknown, where: string): EvalDoc {
  const obj = record(value, where);
  const authors = Array.isArray(obj.authors) ? obj.authors.filter((a): a is string => typeof a === 'string') : [];
  return { id: requiredString(obj, 'id', where), title: text(obj.title), abstract: text(obj.abstract), authors };
}

function loadCorpus(dir: string): EvalDoc[] {
  const file = path.join(dir, 'corpus.jsonl');
  return readJsonl(file).map((line, i) => toDoc(line, `${file}:${i + 1}`));
}

/**
 * A collection of free-text queries with binary judgments (CACM, CISI): `<sharedDir>/eval/<folder>/` holds
 * corpus.jsonl and qrels.jsonl (`query_id`, `query`, `relevant_ids`); every relevant id has gain 1.
 */
export function loadBinarySearchSet(sharedDir: string, folder: string, name: string): SearchDataset {
  const dir = path.join(sharedDir, 'eval', folder);
  const file = path.join(dir, 'qrels.jsonl');
  const queries = readJsonl(file).map((line, i): SearchQuery => {
    const where = `${file}:${i + 1}`;
    const obj = record(line, where);
    const relevant = Array.isArray(obj.relevant_ids) ? obj.relevant_ids.map(String) : [];
    return {
      id: requiredString(obj, 'query_id', where),
      query: requiredString(obj, 'query', where),
      gains: new Map(relevant.map((id) => [id, 1])),
    };
  });
  return { name, docs: loadCorpus(dir), queries };
}

/** CACM: `query` against the corpus, every id in `relevant_ids` with gain 1. */
export function loadCacm(sharedDir = defaultSharedDir): SearchDataset {
  return loadBinarySearchSet(sharedDir, 'cacm', 'CACM');
}

/** CSFCube: rank the corpus against `query_paper_id`, graded gains from `graded` {id: 0-3}. */
export function loadCsfcube(sharedDir = defaultSharedDir): RelatedDataset {
  const dir = path.join(sharedDir, 'eval', 'csfcube');
  const file = path.join(dir, 'qrels.jsonl');
  const queries = readJsonl(file).map((line, i): RelatedQuery => {
    const where = `${file}:${i + 1}`;
    const obj = record(line, where);
    const graded = record(obj.graded, `${where} "graded"`);
    const gains: Gains = new Map();
    for (const [id, grade] of Object.entries(graded)) {
      if (typeof grade !== 'number' || !Number.isFinite(grade))
        throw new Error(`${where}: grade of ${id} is not a number`);
      gains.set(id, grade);
    }
    return {
      id: requiredString(obj, 'query_id', where),
      queryPaperId: requiredString(obj, 'query_paper_id', where),
      facet: text(obj.facet),
      gains,
    };
  });
  return { name: 'CSFCube', docs: loadCorpus(dir), queries };
}
