/** Finds the paper a user means: its id (exactly as stored, or as a DOI / arXiv reference), a link, or title words. */

import { doiReference, idCandidates, parseArxivId } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import type { Services } from '../services.ts';

export type Resolution = { paper: Paper } | { error: string };

export async function resolvePaper(services: Services, reference: string | undefined): Promise<Resolution> {
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
  if (arxivId) return { error: `Paper ${arxivId} is not in the corpus yet.` };
  const doi = doiReference(text);
  if (doi) return { error: `Paper ${doi} is not in the corpus yet.` };
  const byTitle = await services.search.search(text, { limit: 1 });
  const hit = byTitle.hits[0];
  if (hit) return { paper: hit.paper };
  return { error: `No paper matches "${text.slice(0, 100)}". Try its id, a link, or other title words.` };
}
