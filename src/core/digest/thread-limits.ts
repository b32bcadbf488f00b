/**
 * How much of a thread a digest reads: messages, characters per message and characters in all. A thread is read to
 * find links and ids, and the work grows with its text: without a cap, one person's thread of forty-thousand-character
 * messages would cost every other user's command its time. What is cut is said in the digest's answer.
 */
import type { ThreadMessage, ThreadRead } from '../thread.ts';

export interface DigestLimits {
  /** Messages read, from the first (DIGEST_MAX_MESSAGES). */
  maxMessages: number;
  /** Characters read of one message, its links counted (DIGEST_MAX_MESSAGE_CHARS). */
  maxMessageChars: number;
  /** Characters read of the whole thread (DIGEST_MAX_THREAD_CHARS). */
  maxThreadChars: number;
}

export const DEFAULT_DIGEST_LIMITS: DigestLimits = {
  maxMessages: 500,
  maxMessageChars: 10_000,
  maxThreadChars: 200_000,
};

const count = (n: number) => n.toLocaleString('en');

/**
 * The part of a thread within the limits, and a notice saying what was left out (joined to the reader's own). A
 * long message keeps its links first (they are what a digest looks for), then its text up to the limit.
 */
export function capThread(read: ThreadRead, limits: DigestLimits): ThreadRead {
  const offered = read.messages.slice(0, limits.maxMessages);
  let budget = limits.maxThreadChars;
  /** Messages cut to maxMessageChars; and whether the thread's own limit cut one or stopped the reading. */
  let clipped = 0;
  let threadFull = false;
  const messages: ThreadMessage[] = [];
  for (const message of offered) {
    if (budget <= 0) {
      threadFull = true;
      break;
    }
    const byThread = budget < limits.maxMessageChars;
    const kept = within(message, byThread ? budget : limits.maxMessageChars);
    if (kept.clipped && byThread) threadFull = true;
    else if (kept.clipped) clipped++;
    budget -= kept.size;
    messages.push(kept.message);
  }
  const notices: string[] = [];
  const which = read.messages.length > offered.length ? 'first' : read.read;
  if (threadFull) {
    notices.push(
      `This thread is long: I read its ${which ?? 'first'} ${count(messages.length)} messages ` +
        `(${count(limits.maxThreadChars)} characters).`,
    );
  } else if (which) {
    notices.push(`This thread is long: I read its ${which} ${count(messages.length)} messages.`);
  }
  if (clipped) {
    notices.push(
      `${clipped === 1 ? 'One message was' : `${count(clipped)} messages were`} long: ` +
        `I read the first ${count(limits.maxMessageChars)} characters of ${clipped === 1 ? 'it' : 'each'}.`,
    );
  }
  if (read.notice) notices.push(read.notice);
  return { messages, ...(notices.length ? { notice: notices.join(' ') } : {}) };
}

function within(message: ThreadMessage, allowed: number): { message: ThreadMessage; size: number; clipped: boolean } {
  const links: string[] = [];
  let size = 0;
  for (const link of message.links) {
    if (size + link.length > allowed) continue;
    links.push(link);
    size += link.length;
  }
  const text = message.text.slice(0, allowed - size);
  size += text.length;
  const clipped = links.length < message.links.length || text.length < message.text.length;
  return { message: clipped ? { ...message, text, links } : message, size, clipped };
}
