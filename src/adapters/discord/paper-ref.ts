/**
 * Which paper a message is about, recovered from the message itself (no state in memory): our own cards carry
 * `paper <id>` in the embed footer when the id is one a reader can use (an arXiv id, a DOI); a card of a paper with an
 * internal id is known by its buttons, whose ids carry the paper (`pb:s:t-26512aa32e57`). Anyone else's message
 * counts when it links an arXiv or Hugging Face paper. Used to answer mentions inside a thread started on such a
 * message.
 */
import { inlineButtonArg } from '../../core/actions.ts';
import { findLinkedArxivIds } from '../../core/papers/ids.ts';
import { PAPER_FOOTER_PREFIX, paperIdFromFooter } from './render.ts';

/** A button as discord.js gives it (`customId`) or as Discord's JSON has it (`custom_id`). */
interface ButtonLike {
  customId?: string | null;
  custom_id?: string;
  label?: string | null;
}

/** The parts of a discord.js Message this needs (kept structural so it is easy to test). */
export interface MessageLike {
  author?: { id: string } | null;
  content?: string | null;
  embeds?: readonly { footer?: { text: string } | null; url?: string | null }[];
  /** Action rows (and, in newer layouts, other components): only the buttons of action rows are read. */
  components?: readonly object[];
}

/** The paper a button acts on (the dispatcher's `buttons.paperOf`, which reads stashed ids too). */
export type ButtonPaper = (customId: string) => Promise<string | undefined>;

/** Without the dispatcher: the paper a button id carries inline. */
const inlinePaper: ButtonPaper = async (customId) => inlineButtonArg(customId);

export async function paperIdFromMessage(
  message: MessageLike | null | undefined,
  botUserId: string | undefined,
  paperOf: ButtonPaper = inlinePaper,
): Promise<string | undefined> {
  if (!message) return undefined;
  const ids = await cardPaperIds(message, botUserId, paperOf);
  // A message listing several papers is not "about" one of them.
  if (ids.length === 1) return ids[0];
  if (ids.length > 1) return undefined;
  return findLinkedArxivIds(message.content ?? '')[0];
}

/** The papers of the cards in one of our own messages (none in anyone else's: a footer is easy to imitate). */
export async function cardPaperIds(
  message: MessageLike,
  botUserId: string | undefined,
  paperOf: ButtonPaper = inlinePaper,
): Promise<string[]> {
  if (!botUserId || message.author?.id !== botUserId) return [];
  const embeds = message.embeds ?? [];
  const buttons = (message.components ?? []).flatMap(
    (row) => ((row as { components?: unknown }).components ?? []) as ButtonLike[],
  );
  // Several cards are numbered, and so are their buttons ("2 · Summary"); a card's first button is about its paper.
  const numbered = embeds.length > 1;
  const ids = await Promise.all(
    embeds.map(async (embed, index) => {
      const text = embed.footer?.text ?? '';
      if (text.startsWith(PAPER_FOOTER_PREFIX)) return paperIdFromFooter(text);
      const first = numbered ? buttons.find((b) => b.label?.startsWith(`${index + 1} · `)) : buttons[0];
      const customId = first?.customId ?? first?.custom_id;
      return customId ? await paperOf(customId) : undefined;
    }),
  );
  return ids.filter((id): id is string => Boolean(id));
}
