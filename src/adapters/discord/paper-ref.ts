/**
 * Which paper a message is about, recovered from the message itself (no state in memory): our own
 * cards carry `paper <id>` in the embed footer; anyone else's message counts when it links an arXiv
 * or Hugging Face paper. Used to answer mentions inside a thread started on such a message.
 */
import { findLinkedArxivIds } from '../../core/papers/ids.ts';
import { PAPER_FOOTER_PREFIX, paperIdFromFooter } from './render.ts';

/** The parts of a discord.js Message this needs (kept structural so it is easy to test). */
export interface MessageLike {
  author?: { id: string } | null;
  content?: string | null;
  embeds?: readonly { footer?: { text: string } | null; url?: string | null }[];
}

export function paperIdFromMessage(
  message: MessageLike | null | undefined,
  botUserId: string | undefined,
): string | undefined {
  if (!message) return undefined;
  const ids = cardPaperIds(message, botUserId);
  // A message listing several papers is not "about" one of them.
  if (ids.length === 1) return ids[0];
  if (ids.length > 1) return undefined;
  return findLinkedArxivIds(message.content ?? '')[0];
}

/** The papers of the cards in one of our own messages (none in anyone else's: a footer is easy to imitate). */
export function cardPaperIds(message: MessageLike, botUserId: string | undefined): string[] {
  if (!botUserId || message.author?.id !== botUserId) return [];
  return (message.embeds ?? []).flatMap((embed) => {
    const text = embed.footer?.text ?? '';
    const id = text.startsWith(PAPER_FOOTER_PREFIX) ? paperIdFromFooter(text) : '';
    return id ? [id] : [];
  });
}
