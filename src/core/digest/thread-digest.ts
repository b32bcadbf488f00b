/**
 * A thread's digest: the papers it mentions in the order first mentioned, found in the corpus or else fetched from
 * arXiv by id, each with its TL;DR (a generated one when a model is configured) and who shared it, then the key
 * terms they share. Papers that cannot be had are kept, to be listed by link.
 */
import type { Paper } from '../papers/paper.ts';
import type { Services } from '../services.ts';
import { commonGround, type SharedTerm } from './common-ground.ts';
import type { PaperMention } from './paper-mentions.ts';

/** Papers listed in one digest message; the rest are counted. */
export const MAX_LISTED = 10;
/** Papers looked up per thread (one arXiv request holds them all); later ones are only counted. */
export const MAX_RESOLVED = 100;

export interface DigestItem {
  mention: PaperMention;
  paper?: Paper;
  /** Says the paper is not in the corpus, and why when known (set exactly when `paper` is not). */
  missing?: string;
}

export interface ListedPaper extends DigestItem {
  /** The TL;DR shown (empty for a paper not in the corpus) and whether a model wrote it. */
  tldr: string;
  generated: boolean;
}

export interface ThreadDigest {
  listed: ListedPaper[];
  /** Papers mentioned but not listed. */
  more: number;
  common: SharedTerm[];
  /** The model that wrote the generated TL;DRs, when any is. */
  generatedBy?: string;
  /** Seconds until TL;DRs left extractive because the model budget was spent may be generated (fair use). */
  pausedFor?: number;
}

/** Each mention's paper: from the corpus, else fetched from arXiv (and stored), else why not. */
export async function resolveMentions(services: Services, mentions: readonly PaperMention[]): Promise<DigestItem[]> {
  const items: DigestItem[] = [];
  for (const mention of mentions.slice(0, MAX_RESOLVED)) {
    const paper = await services.papers.get(mention.id);
    items.push(paper ? { mention, paper } : { mention });
  }
  const unknown = items.filter((item) => !item.paper && item.mention.arxivId);
  const fetched =
    services.fetchPapers && unknown.length ? await services.fetchPapers.fetch(arxivIds(unknown)) : undefined;
  for (const item of items) {
    if (item.paper) continue;
    const id = item.mention.arxivId;
    item.paper = id ? fetched?.papers.get(id) : undefined;
    const reason = id ? fetched?.failed.get(id) : undefined;
    if (!item.paper) item.missing = reason ? `Not in the corpus (${reason}).` : 'Not in the corpus.';
  }
  return items;
}

function arxivIds(items: DigestItem[]): string[] {
  return items.flatMap((item) => (item.mention.arxivId ? [item.mention.arxivId] : []));
}

/** The digest of resolved mentions (`total`: how many papers the thread mentions in all). */
export async function buildDigest(
  services: Services,
  items: readonly DigestItem[],
  total: number,
): Promise<ThreadDigest> {
  const shown = items.slice(0, MAX_LISTED);
  const generator = services.generatedTldrs;
  let pausedFor: number | undefined;
  const listed = await Promise.all(
    shown.map(async (item): Promise<ListedPaper> => {
      if (!item.paper) return { ...item, tldr: '', generated: false };
      const generated = await generator?.tldrFor(item.paper);
      if (generated && 'text' in generated) return { ...item, tldr: generated.text, generated: true };
      if (generated) pausedFor = Math.max(pausedFor ?? 0, generated.pausedFor);
      return { ...item, tldr: services.summarize(item.paper).tldr, generated: false };
    }),
  );
  const papers = items.flatMap((item) => (item.paper ? [item.paper] : []));
  return {
    listed,
    more: Math.max(0, total - listed.length),
    common: commonGround(papers),
    ...(generator && listed.some((item) => item.generated) ? { generatedBy: generator.model } : {}),
    ...(pausedFor !== undefined ? { pausedFor } : {}),
  };
}
