/**
 * What storing a paper does to the store, decided the same way by every engine: the stored record it is the same
 * paper as is merged with it, or it is new (see ../papers/duplicates.ts for when two records are one paper). Every id
 * the paper was known by keeps finding it: when the two records' ids differ, the one the merged paper does not keep
 * becomes an alias of it (`/paper summary <the other record's id>` still works).
 */
import { contentId, type DuplicateRule, idsConflict, isDistinctiveTitle, sameByTitle } from '../papers/duplicates.ts';
import { isTitleId, normalizeTitle } from '../papers/ids.ts';
import { mergePapers, samePaper } from '../papers/merge.ts';
import type { Paper } from '../papers/paper.ts';

/** `alias` is another id of the paper stored under `paperId`. */
export interface PaperAlias {
  alias: string;
  paperId: string;
}

/** Two records taken for one paper: the ids they came under, the id the paper keeps, and why. */
export interface MergeNote {
  ids: [stored: string, incoming: string];
  keptId: string;
  rule: DuplicateRule;
}

export interface UpsertOptions {
  /**
   * False: records are one paper only when they come under one id (their own, or one arXiv id); a shared DOI or
   * title merges nothing (`paperboy import --no-merge`). Default true.
   */
  merge?: boolean;
}

/** The stored papers an incoming record may be, as each engine looks them up. */
export interface StoredPapers {
  byId(id: string): Paper | undefined;
  /** The paper `alias` is a former or other id of. */
  byAlias(alias: string): Paper | undefined;
  byArxivId(arxivId: string): Paper | undefined;
  /** The earliest-written paper with this DOI. */
  byDoi(doi: string): Paper | undefined;
  /** Papers with this normalized title, earliest-written first. */
  byTitle(normalizedTitle: string): Paper[];
}

export type UpsertPlan =
  | { kind: 'insert'; paper: Paper }
  /** Nothing about the stored paper changes, but `aliases` are recorded (the incoming record's own id). */
  | { kind: 'unchanged'; id: string; aliases: PaperAlias[]; merge?: MergeNote }
  /** `merged` replaces the record `oldId` (its id may differ: a title-derived id gives way to a real one). */
  | { kind: 'update'; merged: Paper; oldId: string; aliases: PaperAlias[]; merge?: MergeNote };

/** The stored record `paper` is, and why: no rule when it is that very record (its id, or an id it was known by). */
interface Match {
  paper: Paper;
  existing?: Paper;
  rule?: DuplicateRule;
}

function find(stored: StoredPapers, incoming: Paper, merge: boolean): Match {
  let paper = incoming;
  const same = stored.byId(paper.id) ?? stored.byAlias(paper.id);
  if (same && !isTitleId(paper.id)) return { paper, existing: same };
  if (same) {
    // A made-up id names this record when the paper stored under it says the same (or, merging, is the same paper
    // by the title rule); else the record takes the id of all it says: two papers titled "Introduction", or two
    // by different authors under one title, must not share one id.
    if (contentId(same) === contentId(paper) || (merge && sameByTitle(same, paper))) return { paper, existing: same };
    paper = { ...paper, id: contentId(paper) };
    const again = stored.byId(paper.id) ?? stored.byAlias(paper.id);
    if (again) return { paper, existing: again };
  }
  // One arXiv id is one paper, in every mode: the store keeps each arXiv id once.
  const byArxiv = paper.arxivId ? stored.byArxivId(paper.arxivId) : undefined;
  if (byArxiv) return { paper, existing: byArxiv, rule: 'arxiv id' };
  if (!merge) return { paper };
  const byDoi = paper.doi ? stored.byDoi(paper.doi) : undefined;
  if (byDoi && !idsConflict(byDoi, paper)) return { paper, existing: byDoi, rule: 'doi' };
  if (!isDistinctiveTitle(paper.title)) return { paper };
  const byTitle = stored.byTitle(normalizeTitle(paper.title)).find((candidate) => sameByTitle(candidate, paper));
  return byTitle ? { paper, existing: byTitle, rule: 'title' } : { paper };
}

export function planUpsert(stored: StoredPapers, incoming: Paper, options: UpsertOptions = {}): UpsertPlan {
  const { paper, existing, rule } = find(stored, incoming, options.merge ?? true);
  if (!existing) return { kind: 'insert', paper };
  const merged = mergePapers(existing, paper);
  const aliases: PaperAlias[] = [];
  // The other record's id keeps finding the paper.
  if (paper.id !== merged.id) aliases.push({ alias: paper.id, paperId: merged.id });
  const merge: MergeNote | undefined =
    rule && existing.id !== paper.id ? { ids: [existing.id, paper.id], keptId: merged.id, rule } : undefined;
  if (samePaper(existing, merged)) return { kind: 'unchanged', id: existing.id, aliases, ...(merge && { merge }) };
  // So does the id it was stored under, when that was only made up from its title (buttons already posted).
  if (existing.id !== merged.id) aliases.push({ alias: existing.id, paperId: merged.id });
  return { kind: 'update', merged, oldId: existing.id, aliases, ...(merge && { merge }) };
}
