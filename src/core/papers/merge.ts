/** Merging two records of the same paper from different sources, keeping the richer value of each field. */
import { isTitleId } from './ids.ts';
import type { Paper } from './paper.ts';

function longer(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b || undefined;
  if (!b) return a;
  return b.length > a.length ? b : a;
}

function union(a: string[] = [], b: string[] = []): string[] {
  return [...new Set([...a, ...b])];
}

export function mergePapers(existing: Paper, incoming: Paper): Paper {
  return {
    // The id a paper was stored under stays, unless it was only made up from the title: a real id is better.
    id: isTitleId(existing.id) && !isTitleId(incoming.id) ? incoming.id : existing.id,
    arxivId: existing.arxivId ?? incoming.arxivId,
    doi: existing.doi ?? incoming.doi,
    title: longer(existing.title, incoming.title) ?? existing.title,
    abstract: longer(existing.abstract, incoming.abstract) ?? '',
    authors: incoming.authors.length > existing.authors.length ? incoming.authors : existing.authors,
    // The first announcement date is the one that matters; a later source may only know a revision date.
    published: existing.published ?? incoming.published,
    updated: [existing.updated, incoming.updated].filter(Boolean).sort().pop(),
    categories: union(existing.categories, incoming.categories),
    source: existing.source,
    upvotes:
      Math.max(existing.upvotes ?? -1, incoming.upvotes ?? -1) >= 0
        ? Math.max(existing.upvotes ?? 0, incoming.upvotes ?? 0)
        : undefined,
    aiSummary: longer(existing.aiSummary, incoming.aiSummary),
    keywords: existing.keywords || incoming.keywords ? union(existing.keywords, incoming.keywords) : undefined,
    githubRepo: existing.githubRepo ?? incoming.githubRepo,
  };
}

/** True when merging changed anything worth storing. */
export function samePaper(a: Paper, b: Paper): boolean {
  return JSON.stringify(normalizeForCompare(a)) === JSON.stringify(normalizeForCompare(b));
}

function normalizeForCompare(paper: Paper): unknown {
  const { source: _source, ...rest } = paper;
  return Object.fromEntries(
    Object.entries(rest)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => x.localeCompare(y)),
  );
}
