/** Test helper: a real paperboy core (in-memory SQLite, built-in corpus or given papers, no worker). */

import assert from 'node:assert/strict';
import { type Logger, silentLogger } from '../../src/core/logger.ts';
import type { PaperInput } from '../../src/core/papers/paper.ts';
import type { Db } from '../../src/core/store/sqlite/database.ts';
import { SqliteStore } from '../../src/core/store/sqlite/store.ts';
import { openPaperboy, type Paperboy, type PaperboyOptions } from '../../src/paperboy.ts';

export interface TestPaperboyOptions {
  /** Extra papers to import (after the built-in 71 unless builtin is false). */
  papers?: PaperInput[];
  builtin?: boolean;
  logger?: Logger;
  /** Deterministic randomness: a fixed value or a function. */
  random?: number | (() => number);
  /** More of openPaperboy's options (the arXiv look-up, a language model). */
  open?: Partial<PaperboyOptions>;
}

export async function testPaperboy(options: TestPaperboyOptions = {}): Promise<Paperboy> {
  const random = typeof options.random === 'number' ? () => options.random as number : (options.random ?? (() => 0.42));
  const pb = await openPaperboy({
    dbPath: ':memory:',
    logger: options.logger ?? silentLogger,
    builtinCorpus: options.builtin ?? true,
    random,
    useWorker: false,
    ...options.open,
  });
  if (options.papers?.length) {
    await pb.importer.importInputs(options.papers, 'test');
    await pb.index.refresh();
  }
  return pb;
}

/** The SQLite connection under a paperboy on SQLite, for tests that look at the database file itself. */
export function sqliteDb(pb: Paperboy): Db {
  assert.ok(pb.store instanceof SqliteStore, 'a paperboy on SQLite');
  return pb.store.db;
}

/** A paper whose text is hostile: it tries to ping everyone and smuggle links and markup. */
export const HOSTILE_PAPER: PaperInput = {
  arxivId: '2501.00001',
  title: '<!channel> @everyone @here <@U123> <https://evil.example|click> **bold** `code` Attention Is All You Need',
  abstract:
    'We propose <!here> a model. ```js\nalert(1)\n``` Results: ' +
    'it achieves 99% on @everyone benchmarks <#C123> &amp; more.\u200b\u202e',
  authors: ['<@U999>', 'Mallory @everyone'],
  published: '2025-01-02',
  categories: ['cs.CL'],
};
