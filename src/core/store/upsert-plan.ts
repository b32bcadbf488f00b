/**
 * What storing a paper does to the store, decided the same way by every engine: the record it is the same paper as
 * (found by arXiv id, else id, else normalized title) is merged with it, or it is new.
 */
import { mergePapers, samePaper } from '../papers/merge.ts';
import type { Paper } from '../papers/paper.ts';

export type UpsertPlan =
  | { kind: 'insert'; paper: Paper }
  | { kind: 'unchanged'; id: string }
  /** `merged` replaces the record `oldId`; when its id changed, `oldId` becomes an alias of the new one. */
  | { kind: 'update'; merged: Paper; oldId: string };

/** `existing` is the stored record found for `paper` (by arXiv id, else id, else normalized title), if any. */
export function planUpsert(existing: Paper | undefined, paper: Paper): UpsertPlan {
  if (!existing) return { kind: 'insert', paper };
  // Two different arXiv ids with the same title are different papers (e.g. a re-submission under a new id).
  if (existing.arxivId && paper.arxivId && existing.arxivId !== paper.arxivId) return { kind: 'insert', paper };
  const merged = mergePapers(existing, paper);
  if (samePaper(existing, merged)) return { kind: 'unchanged', id: existing.id };
  return { kind: 'update', merged, oldId: existing.id };
}
