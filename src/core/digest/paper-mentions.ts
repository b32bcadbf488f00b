/**
 * The papers a conversation mentions, in the order first mentioned, each with who brought it up: the bot's own
 * cards, arXiv / Hugging Face / alphaXiv links (ids.ts knows them) and arXiv ids written out (`2503.20680v2`,
 * `arXiv:2503.20680`, `cs/0112017`).
 */
import { findArxivIds, findLinkedArxivIds, parseArxivId } from '../papers/ids.ts';
import type { ThreadMessage } from '../thread.ts';

export interface PaperMention {
  /** The paper's id: its arXiv id, or the id a card carries for a paper without one. */
  id: string;
  /** The arXiv id, when the paper has one (what arXiv can be asked for). */
  arxivId?: string;
  /** The link it was shared as, when it was a link. */
  link?: string;
  /** The author of the first message that mentions it. */
  sharedBy: string;
}

const URL_TEXT = /https?:\/\/\S+/gi;
/**
 * Punctuation that ends a sentence rather than a link. The look-behind starts a match only where a run of it starts:
 * without it, a link followed by 40,000 `)` and a letter took over a second (each `)` began a scan to the end).
 */
const TRAILING_PUNCTUATION = /(?<![.,;:!?'")\]])[.,;:!?'")\]]+$/;

export function findPaperMentions(messages: readonly ThreadMessage[]): PaperMention[] {
  const mentions = new Map<string, PaperMention>();
  const add = (mention: PaperMention) => {
    if (!mentions.has(mention.id)) mentions.set(mention.id, mention);
  };
  for (const message of messages) {
    const sharedBy = message.author;
    for (const paperId of message.paperIds) {
      const arxivId = parseArxivId(paperId);
      add({ id: arxivId ?? paperId, ...(arxivId ? { arxivId } : {}), sharedBy });
    }
    for (const link of [...message.links, ...(message.text.match(URL_TEXT) ?? [])]) {
      const arxivId = findLinkedArxivIds(link)[0];
      if (arxivId) add({ id: arxivId, arxivId, link: link.replace(TRAILING_PUNCTUATION, ''), sharedBy });
    }
    // Ids inside links were read above as links (and a link elsewhere may carry an id-like path).
    for (const arxivId of findArxivIds(message.text.replace(URL_TEXT, ' '))) add({ id: arxivId, arxivId, sharedBy });
  }
  return [...mentions.values()];
}
