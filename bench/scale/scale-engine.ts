/** What one engine process of the scale bench drives: the same steps, in the same order, for every engine. */
import type { CorpusPaper } from './corpus.ts';

export interface ScaleEngineOptions {
  /** This engine's own folder for its files (database, serialized index). */
  dir: string;
  /** JSONL of the initial import. */
  initialFile: string;
}

export interface ScaleEngine {
  readonly name: string;
  /** Untimed setup before the import (e.g. opening an empty store). */
  open(): Promise<void> | void;
  /** Timed: the initial papers into the engine's store. */
  importCorpus(): Promise<void> | void;
  /** Timed: the search index built and on disk. */
  buildIndex(): Promise<void> | void;
  /** Bytes of the index on disk. */
  indexBytes(): number;
  /** Extra figures worth reporting (e.g. database size). */
  extras?(): Record<string, number | string | boolean>;
  /** Ids of the best k papers. */
  search(query: string, k: number): string[] | Promise<string[]>;
  /** The daily batch added; resolves once the batch is searchable. */
  ingest(batch: CorpusPaper[]): Promise<void> | void;
  /**
   * Every subscription query run against an index of just the batch; returns the number of (subscription, paper)
   * matches.
   */
  matchAlerts(subscriptions: readonly string[], batch: CorpusPaper[]): number;
  close(): void;
}

/** A fresh process opening an index already on disk (cold start). */
export interface ColdEngine {
  open(): Promise<void> | void;
  search(query: string, k: number): string[] | Promise<string[]>;
  /** True when the engine had to rebuild instead of loading (the cold start figure is then not a load). */
  rebuilt?(): boolean;
  close(): void;
}

export const ENGINE_NAMES = ['paperboy', 'plain-lunr', 'fts5'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export const ENGINE_LABELS: Record<EngineName, string> = {
  paperboy: 'paperboy',
  'plain-lunr': 'plain Lunr',
  fts5: 'SQLite FTS5',
};

/** Field weights of the baselines: title ×10, abstract ×1, authors ×5. */
export const BASELINE_WEIGHTS = { title: 10, abstract: 1, authors: 5 } as const;
