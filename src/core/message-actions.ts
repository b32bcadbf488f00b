/**
 * What a person can do to a message someone posted (a Slack message shortcut, a Discord message context menu):
 * "Summarize papers" (the digest of the papers it links, or the paper's summary when it links one) and "Save to
 * library" (each paper it links, saved as `/paper save` saves, with the same rules). A message with no paper gets a
 * short private answer.
 */
import type { Invoker } from './command.ts';
import { findPaperMentions, type PaperMention } from './digest/paper-mentions.ts';
import { MAX_LISTED, resolveMentions } from './digest/thread-digest.ts';
import { clipLine } from './present/cards.ts';
import { errorReply, type Reply } from './reply.ts';
import type { Services } from './services.ts';
import type { ThreadMessage } from './thread.ts';

export type MessageAction = 'summarize' | 'save';

export const MESSAGE_ACTION_LABELS: Record<MessageAction, string> = {
  summarize: 'Summarize papers',
  save: 'Save to library',
};

export const NO_PAPER_IN_MESSAGE =
  'That message names no paper I can read: no arXiv, Hugging Face or alphaXiv link, no arXiv id, none of my cards.';

/** How a message action runs commands: through the dispatcher, so their rules and permissions hold. */
export interface CommandRunner {
  run(name: string, options: Record<string, string | boolean>, invoker: Invoker): Promise<Reply>;
}

export async function runMessageAction(
  action: MessageAction,
  message: ThreadMessage,
  invoker: Invoker,
  deps: { services: Services; commands: CommandRunner },
): Promise<Reply> {
  const mentions = findPaperMentions([message]);
  if (!mentions.length) return errorReply(NO_PAPER_IN_MESSAGE);
  if (action === 'summarize') {
    // The digest reads "the thread": here, the one message. One paper gets its summary, as in a paper's thread.
    const thread = { read: async () => ({ messages: [message] }) };
    return deps.commands.run('digest', { auto: true }, { ...invoker, thread });
  }
  return saveAll(mentions, invoker, deps);
}

async function saveAll(
  mentions: readonly PaperMention[],
  invoker: Invoker,
  deps: { services: Services; commands: CommandRunner },
): Promise<Reply> {
  // Papers the corpus lacks are looked up on arXiv (where configured), as the digest does, then saved by id.
  const items = await resolveMentions(deps.services, mentions.slice(0, MAX_LISTED));
  const lines: string[] = [];
  for (const item of items) {
    if (!item.paper) {
      lines.push(
        `${item.mention.arxivId ? `arXiv:${item.mention.arxivId}` : 'A paper'}: ${item.missing ?? 'not in the corpus.'}`,
      );
      continue;
    }
    const reply = await deps.commands.run('save', { paper: item.paper.id }, invoker);
    lines.push(reply.fallback || clipLine(item.paper.title, 120));
  }
  if (mentions.length > MAX_LISTED)
    lines.push(`…and ${mentions.length - MAX_LISTED} more not saved: save them one by one.`);
  const text = lines.join('\n');
  return { blocks: [{ kind: 'text', text }], visibility: 'ephemeral', fallback: clipLine(text, 300) };
}
