/**
 * The two baselines as scale-bench engines: plain Lunr (immutable: a batch means a full rebuild, synchronous)
 * and SQLite FTS5 (a batch is 500 INSERTs). Both reuse bench/baselines unchanged in behaviour.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFts5Engine, type Fts5Engine } from '../baselines/fts5.ts';
import { createPlainLunrEngine, type PlainLunrEngine } from '../baselines/plain-lunr.ts';
import type { EvalDoc } from '../engine.ts';
import { type CorpusPaper, readPapers } from './corpus.ts';
import { bytesOnDisk } from './measure.ts';
import { BASELINE_WEIGHTS, type ColdEngine, type ScaleEngine, type ScaleEngineOptions } from './scale-engine.ts';

export function toEvalDoc(paper: CorpusPaper): EvalDoc {
  return { id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors };
}

const LUNR_FILE = 'plain-lunr.index.json';
const FTS5_FILE = 'fts5.db';

export class PlainLunrScale implements ScaleEngine {
  readonly name = 'plain Lunr';
  private docs: EvalDoc[] = [];
  private engine: PlainLunrEngine | undefined;
  private serializeSeconds = 0;

  constructor(private readonly options: ScaleEngineOptions) {}

  open(): void {}

  importCorpus(): void {
    this.docs = readPapers(this.options.initialFile).map(toEvalDoc);
  }

  buildIndex(): void {
    this.engine = createPlainLunrEngine({ boosts: BASELINE_WEIGHTS });
    this.engine.build(this.docs);
    const started = performance.now();
    writeFileSync(join(this.options.dir, LUNR_FILE), JSON.stringify(this.engine.index));
    this.serializeSeconds = (performance.now() - started) / 1000;
  }

  indexBytes(): number {
    return bytesOnDisk(join(this.options.dir, LUNR_FILE));
  }

  extras() {
    return { serializeS: this.serializeSeconds };
  }

  search(query: string, k: number): string[] {
    return this.engine!.search(query, k);
  }

  /** Lunr indexes are immutable: the batch means a full rebuild. The old index is dropped first (it could
   * not answer during the synchronous rebuild anyway), so two full indexes never sit in memory together. */
  ingest(batch: CorpusPaper[]): void {
    this.docs = [...this.docs, ...batch.map(toEvalDoc)];
    this.engine = undefined;
    const engine = createPlainLunrEngine({ boosts: BASELINE_WEIGHTS });
    engine.build(this.docs);
    this.engine = engine;
  }

  matchAlerts(subscriptions: readonly string[], batch: CorpusPaper[]): number {
    const engine = createPlainLunrEngine({ boosts: BASELINE_WEIGHTS });
    engine.build(batch.map(toEvalDoc));
    let matches = 0;
    for (const query of subscriptions) matches += engine.search(query, Infinity).length;
    return matches;
  }

  close(): void {
    this.engine = undefined;
  }
}

export class PlainLunrCold implements ColdEngine {
  private engine = createPlainLunrEngine({ boosts: BASELINE_WEIGHTS });
  constructor(private readonly dir: string) {}
  open(): void {
    this.engine.load(JSON.parse(readFileSync(join(this.dir, LUNR_FILE), 'utf8')) as object);
  }
  search(query: string, k: number): string[] {
    return this.engine.search(query, k);
  }
  close(): void {}
}

export class Fts5Scale implements ScaleEngine {
  readonly name = 'SQLite FTS5';
  private docs: EvalDoc[] = [];
  private readonly engine: Fts5Engine;

  constructor(private readonly options: ScaleEngineOptions) {
    this.engine = createFts5Engine({ weights: BASELINE_WEIGHTS, filename: join(options.dir, FTS5_FILE) });
  }

  open(): void {}

  importCorpus(): void {
    this.docs = readPapers(this.options.initialFile).map(toEvalDoc);
  }

  buildIndex(): void {
    this.engine.build(this.docs);
    this.docs = [];
  }

  /** The whole database file: FTS5 keeps its text (title, abstract, authors) next to the index. */
  indexBytes(): number {
    return bytesOnDisk(join(this.options.dir, FTS5_FILE));
  }

  search(query: string, k: number): string[] {
    return this.engine.search(query, k);
  }

  ingest(batch: CorpusPaper[]): void {
    const db = this.engine.database;
    const insert = db.prepare('INSERT INTO papers (id, title, abstract, authors) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const paper of batch) insert.run(paper.id, paper.title, paper.abstract, paper.authors.join(' '));
    })();
  }

  matchAlerts(subscriptions: readonly string[], batch: CorpusPaper[]): number {
    const engine = createFts5Engine({ weights: BASELINE_WEIGHTS });
    engine.build(batch.map(toEvalDoc));
    let matches = 0;
    for (const query of subscriptions) matches += engine.search(query, batch.length).length;
    engine.close();
    return matches;
  }

  close(): void {
    this.engine.close();
  }
}

export class Fts5Cold implements ColdEngine {
  private readonly engine: Fts5Engine;
  constructor(dir: string) {
    this.engine = createFts5Engine({ weights: BASELINE_WEIGHTS, filename: join(dir, FTS5_FILE) });
  }
  open(): void {
    this.engine.open();
  }
  search(query: string, k: number): string[] {
    return this.engine.search(query, k);
  }
  close(): void {
    this.engine.close();
  }
}
