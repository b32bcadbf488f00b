/** Finds the paper a user means: an id, an arXiv / Hugging Face URL, or words of its title. */

import { parseArxivId } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';
import type { Services } from '../services.ts';

export type Resolution = { paper: Paper } | { error: string };

export async function resolvePaper(services: Services, reference: string | undefined): Promise<Resolution> {
  const text = (reference ?? '').trim();
  if (!text) return { error: 'Which paper? Give an arXiv id, a link, or words from its title.' };
  const direct =
    (await services.papers.get(text)) ??
    (parseArxivId(text) ? await services.papers.get(parseArxivId(text)!) : undefined);
  if (direct) return { paper: direct };
  if (parseArxivId(text)) return { error: `Paper ${parseArxivId(text)} is not in the corpus yet.` };
  const byTitle = await services.search.search(text, { limit: 1 });
  const hit = byTitle.hits[0];
  if (hit) return { paper: hit.paper };
  return { error: `No paper matches "${text.slice(0, 100)}". Try an arXiv id or other title words.` };
}
