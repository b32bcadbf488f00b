/**
 * Which paper a thread is about: its root message is one of our paper cards (block id `paper:<id>`)
 * or holds an arXiv / Hugging Face paper link.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.ts';
import { findLinkedArxivIds } from '../../core/papers/ids.ts';
import { paperIdFromBlockId } from './render.ts';
import { logSlackFailure, withRateLimitRetry } from './slack-errors.ts';

interface MessageLike {
  text?: string;
  blocks?: { block_id?: string }[];
  attachments?: { from_url?: string; title_link?: string; original_url?: string; text?: string }[];
}

/** The paper a message shows or links to, if any. */
export function paperInMessage(message: MessageLike | undefined): string | undefined {
  if (!message) return undefined;
  for (const block of message.blocks ?? []) {
    const id = paperIdFromBlockId(block.block_id);
    if (id) return id;
  }
  const texts = [
    message.text ?? '',
    ...(message.attachments ?? []).flatMap((a) => [a.from_url, a.title_link, a.original_url]),
  ];
  return findLinkedArxivIds(texts.filter(Boolean).join('\n'))[0];
}

/** Reads a thread's root message and finds its paper; undefined when there is none or Slack refuses. */
export async function findThreadPaper(
  client: webApi.WebClient,
  logger: Logger,
  channel: string,
  threadTs: string,
  sleep?: (ms: number) => Promise<void>,
): Promise<string | undefined> {
  try {
    const result = await withRateLimitRetry(
      () => client.conversations.replies({ channel, ts: threadTs, limit: 1, inclusive: true }),
      { logger, what: 'conversations.replies', sleep },
    );
    const root = result.messages?.find((message) => message.ts === threadTs) ?? result.messages?.[0];
    return paperInMessage(root as MessageLike | undefined);
  } catch (error) {
    logSlackFailure(logger, 'read thread root', error, { channel });
    return undefined;
  }
}
