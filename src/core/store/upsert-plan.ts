/**
 * What storing a paper does to the store, decided the same way by every engine: the record it is the same paper as
 * (found by arXiv id, else id, else an alias of a stored paper, else normalized title) is merged with it, or it is
 * new. Every id the paper was known by keeps finding it: when the two records' ids differ, the one the merged paper
 * does not keep becomes an alias of it (`/paper summary <the other record's id>` still works).
 */
import { mergePapers, samePaper } from '../papers/merge.ts';
import type { Paper } from '../papers/paper.ts';

/** `alias` is another id of the paper stored under `paperId`. */
export interface PaperAlias {
  alias: string;
  paperId: string;
}

export type UpsertPlan =
  | { kind: 'insert'; paper: Paper }
  /** Nothing about the stored paper changes, but `aliases` are recorded (the incoming record's own id). */
  | { kind: 'unchanged'; id: string; aliases: PaperAlias[] }
  /** `merged` replaces the record `oldId` (its id may differ: a title-derived id gives way to a real one). */
  | { kind: 'update'; merged: Paper; oldId: string; aliases: PaperAlias[] };

/** `existing` is the stored record found for `paper` (by arXiv id, else id, else alias, else title), if any. */
export function planUpsert(existing: Paper | undefined, paper: Paper): UpsertPlan {
  if (!existing) return { kind: 'insert', paper };
  // Two different arXiv ids with the same title are different papers (e.g. a re-submission under a new id).
  if (existing.arxivId && paper.arxivId && existing.arxivId !== paper.arxivId) return { kind: 'insert', paper };
  const merged = mergePapers(existing, paper);
  const aliases: PaperAlias[] = [];
  // The other record's id keeps finding the paper.
  if (paper.id !== merged.id) aliases.push({ alias: paper.id, paperId: merged.id });
  if (samePaper(existing, merged)) return { kind: 'unchanged', id: existing.id, aliases };
  // So does the id it was stored under, when that was only made up from its title (buttons already posted).
  if (existing.id !== merged.id) aliases.push({ alias: existing.id, paperId: merged.id });
  return { kind: 'update', merged, oldId: existing.id, aliases };
}
