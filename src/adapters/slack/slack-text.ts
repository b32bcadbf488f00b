/**
 * What users typed, back from Slack's markup to plain text: `&amp;`/`&lt;`/`&gt;` unescaped, links,
 * user and channel references turned into words. Mentions also lose the bot's own mention and have
 * their paper links pulled out, so `@paperboy related https://arxiv.org/abs/...` is about that paper.
 */
import { findLinkedArxivIds } from '../../core/papers/ids.ts';

export interface MentionText {
  /** The words after removing mentions and paper links. */
  words: string;
  /** arXiv ids of paper links in the message, in order. */
  linkedIds: string[];
}

function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Slash command text: links stay as URLs (commands resolve them), references become names. */
export function commandText(text: string): string {
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = inner.split('|');
    if (target.startsWith('@')) return label ? `@${label}` : '';
    if (target.startsWith('#')) return label ? `#${label}` : '';
    if (target.startsWith('!')) return '';
    return target;
  });
  return unescapeEntities(plain).replace(/\s+/g, ' ').trim();
}

export function parseMentionText(text: string, botUserId?: string): MentionText {
  const linkedIds: string[] = [];
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = inner.split('|');
    if (target.startsWith('@')) return ''; // user mentions, the bot's included
    if (target.startsWith('!')) return ''; // <!here>, <!channel>, <!subteam^..>
    if (target.startsWith('#')) return label ? `#${label}` : '';
    const ids = findLinkedArxivIds(target);
    if (ids.length) {
      for (const id of ids) if (!linkedIds.includes(id)) linkedIds.push(id);
      return ' ';
    }
    return label ?? target;
  });
  const withoutBot = botUserId ? plain.split(`@${botUserId}`).join(' ') : plain;
  return { words: unescapeEntities(withoutBot).replace(/\s+/g, ' ').trim(), linkedIds };
}

/**
 * A message of a thread as plain text with its links: user and group mentions dropped (nothing to ping, nothing to
 * read as words), channel references as names, links as their URL and their label.
 */
export function threadMessageText(text: string): { text: string; links: string[] } {
  const links: string[] = [];
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = inner.split('|');
    if (target.startsWith('@') || target.startsWith('!')) return ' ';
    if (target.startsWith('#')) return label ? `#${label}` : ' ';
    if (/^https?:\/\//i.test(target)) links.push(unescapeEntities(target));
    return ` ${label ?? ''} `;
  });
  return { text: unescapeEntities(plain).replace(/\s+/g, ' ').trim(), links };
}
