/**
 * Importing a reference library into a channel's library: each entry is matched to a corpus paper by arXiv id
 * (an arXiv DOI counts as one), else by DOI (papers imported with a DOI keep it as their id or an alias), else by
 * normalized title; arXiv ids the corpus lacks are fetched from the arXiv API
 * (through its process-wide rate limit) and added to the corpus. Everything is written in one transaction, so a
 * failure changes nothing, and saving is idempotent, so importing a file twice changes nothing the second time.
 */
import type { ChannelKey } from '../../channel-key.ts';
import { doiReference } from '../../papers/ids.ts';
import { normalizePaper } from '../../papers/normalize.ts';
import type { Paper } from '../../papers/paper.ts';
import type { SourceBatch } from '../../sources/types.ts';
import type { Store } from '../../store/store.ts';
import type { LibraryEntry } from './library-file.ts';

/** The library to fill: a channel as one workspace sees it. */
export type ImportTarget = ChannelKey;

export interface ImportedEntry {
  line: number;
  label: string;
  paperId: string;
  title: string;
  by: 'arxiv id' | 'doi' | 'title';
}

export interface LibraryImportReport {
  /** Newly saved to the library. */
  saved: ImportedEntry[];
  /** Matched, and in the library already. */
  already: ImportedEntry[];
  unmatched: { line: number; label: string; reason: string }[];
  /** Papers fetched from arXiv and added to the corpus. */
  fetched: number;
}

export interface ImportLibraryOptions {
  store: Store;
  target: ImportTarget;
  entries: readonly LibraryEntry[];
  /** Looks up arXiv ids the corpus lacks (the arXiv API client's `lookup`); absent: they stay unmatched. */
  lookupArxiv?: (ids: string[]) => Promise<SourceBatch>;
  /** Recorded as who saved the papers. */
  savedBy: { id: string; name: string };
  now?: string;
}

export async function importLibrary(options: ImportLibraryOptions): Promise<LibraryImportReport> {
  const { store, target, entries } = options;
  const found = new Map<LibraryEntry, { paper: Paper; by: ImportedEntry['by'] }>();
  const missingIds = new Set<string>();
  for (const entry of entries) {
    const byId = entry.arxivId ? await store.papers.get(entry.arxivId) : undefined;
    if (byId) found.set(entry, { paper: byId, by: 'arxiv id' });
    else if (entry.arxivId) missingIds.add(entry.arxivId);
    else {
      const byDoi = entry.doi ? await store.papers.get(doiReference(entry.doi) ?? entry.doi) : undefined;
      const byTitle = !byDoi && entry.title ? await store.papers.findByTitle(entry.title) : undefined;
      if (byDoi) found.set(entry, { paper: byDoi, by: 'doi' });
      else if (byTitle) found.set(entry, { paper: byTitle, by: 'title' });
    }
  }
  const fetched = new Map<string, Paper>();
  let lookupProblem: string | undefined;
  if (missingIds.size && options.lookupArxiv) {
    try {
      const batch = await options.lookupArxiv([...missingIds]);
      for (const input of batch.papers) {
        const result = normalizePaper(input, batch.source);
        if (result.ok && result.paper.arxivId) fetched.set(result.paper.arxivId, result.paper);
      }
    } catch (error) {
      lookupProblem = `the arXiv API could not be reached (${(error as Error).message.split('\n')[0]})`;
    }
  }
  const report: LibraryImportReport = { saved: [], already: [], unmatched: [], fetched: 0 };
  const now = options.now ?? new Date().toISOString();
  await store.transaction(async (tx) => {
    const added = fetched.size ? await tx.papers.upsertMany([...fetched.values()]) : [];
    report.fetched = added.filter((a) => a.outcome === 'added').length;
    const fetchedIds = new Map([...fetched.keys()].map((arxivId, i) => [arxivId, added[i]!.id]));
    const seen = new Set<string>();
    for (const entry of entries) {
      let match = found.get(entry);
      if (!match && entry.arxivId && fetchedIds.has(entry.arxivId)) {
        const paper = await tx.papers.get(fetchedIds.get(entry.arxivId)!);
        if (paper) match = { paper, by: 'arxiv id' };
      }
      if (!match) {
        report.unmatched.push({ line: entry.line, label: entry.label, reason: unmatchedReason(entry, lookupProblem) });
        continue;
      }
      const imported: ImportedEntry = {
        line: entry.line,
        label: entry.label,
        paperId: match.paper.id,
        title: match.paper.title,
        by: match.by,
      };
      const { added: isNew } = await tx.library.save({
        platform: target.platform,
        workspaceId: target.workspaceId,
        channelId: target.channelId,
        paperId: match.paper.id,
        savedBy: options.savedBy.id,
        savedByName: options.savedBy.name,
        savedAt: now,
      });
      (isNew && !seen.has(match.paper.id) ? report.saved : report.already).push(imported);
      seen.add(match.paper.id);
    }
  });
  return report;
}

function unmatchedReason(entry: LibraryEntry, lookupProblem: string | undefined): string {
  if (entry.arxivId)
    return lookupProblem
      ? `arXiv ${entry.arxivId} is not in the corpus and ${lookupProblem}`
      : `arXiv ${entry.arxivId} is not in the corpus, nor found on arXiv`;
  const doi = entry.doi ? ` nor DOI ${entry.doi}` : '';
  if (entry.title) return `no corpus paper has this title${doi}, and the entry has no arXiv id`;
  return 'the entry has no arXiv id and no title';
}

export function formatImportReport(report: LibraryImportReport, total: number): string[] {
  const lines = [
    `${total} entries: ${report.saved.length} saved, ${report.already.length} already in the library, ` +
      `${report.unmatched.length} unmatched` +
      (report.fetched ? ` (${report.fetched} papers fetched from arXiv into the corpus)` : ''),
  ];
  for (const e of report.saved) lines.push(`  line ${e.line}: saved ${e.paperId} "${e.title}" (by ${e.by})`);
  for (const e of report.already) lines.push(`  line ${e.line}: already saved ${e.paperId} "${e.title}"`);
  for (const e of report.unmatched) lines.push(`  line ${e.line}: unmatched ${e.label}: ${e.reason}`);
  return lines;
}
