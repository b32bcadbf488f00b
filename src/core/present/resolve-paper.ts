/**
 * Finds the paper a user means: its id (exactly as stored, or as a DOI / arXiv reference), a link, or title words;
 * with `fetch`, an arXiv id the corpus lacks is looked up on arXiv and stored (where the arXiv look-up is configured).
 */

import { NOT_ON_ARXIV, type PaperFetcher } from '../importing/arxiv-fetcher.ts';
import { doiReference, idCandidates, parseArxivId } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import type { Services } from '../services.ts';

export type Resolution = { paper: Paper } | { error: string };

export interface ResolveOptions {
  /**
   * Fetch an arXiv id the corpus lacks from arXiv (Services.fetchPapers). It is stored as any paper fetched on demand
   * is, not as listed: when a source later lists it as new, it alerts the channels it matches.
   */
  fetch?: boolean;
}

export async function resolvePaper(
  services: Services,
  reference: string | undefined,
  options: ResolveOptions = {},
): Promise<Resolution> {
  const text = (reference ?? '').trim();
  if (!text) return { error: 'Which paper? Give its id (arXiv id, DOI, your own), a link, or words from its title.' };
  // Ids are tried before title words, so `c_190473` or a DOI never turns into a search for its characters.
  for (const id of idCandidates(text)) {
    const paper = await services.papers.get(id);
    if (paper) return { paper };
  }
  const arxivId = parseArxivId(text);
  const direct = arxivId ? await services.papers.get(arxivId) : undefined;
  if (direct) return { paper: direct };
  if (arxivId && options.fetch && services.fetchPapers) return fetchFromArxiv(services.fetchPapers, arxivId);
  if (arxivId) return { error: `Paper ${arxivId} is not in the corpus yet.` };
  const doi = doiReference(text);
  if (doi) return { error: `Paper ${doi} is not in the corpus yet.` };
  const byTitle = await services.search.search(text, { limit: 1 });
  const hit = byTitle.hits[0];
  if (hit) return { paper: hit.paper };
  return { error: `No paper matches "${text.slice(0, 100)}". Try its id, a link, or other title words.` };
}

async function fetchFromArxiv(fetcher: PaperFetcher, arxivId: string): Promise<Resolution> {
  const fetched = await fetcher.fetch([arxivId]);
  const paper = fetched.papers.get(arxivId);
  if (paper) return { paper };
  const reason = fetched.failed.get(arxivId);
  if (reason === NOT_ON_ARXIV)
    return { error: `Paper ${arxivId} is not in the corpus, and arXiv has no paper ${arxivId}.` };
  return {
    error:
      `Paper ${arxivId} is not in the corpus, and I could not fetch it from arXiv just now` +
      `${reason ? `: ${reason}` : ''}. Please try again in a minute.`,
  };
}
