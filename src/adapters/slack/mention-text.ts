/**
 * What a user asked in an `@paperboy ...` message: Slack's markup (`<@U..>`, `<url|label>`, `<#C..|name>`,
 * `&amp;`) turned back into plain words, the bot's own mention removed, and paper links pulled out
 * so `@paperboy related https://arxiv.org/abs/...` is about that paper.
 */
import { findLinkedArxivIds } from '../../core/papers/ids.ts';

export interface MentionText {
  /** The words after removing mentions and paper links. */
  words: string;
  /** arXiv ids of paper links in the message, in order. */
  linkedIds: string[];
}

export function parseMentionText(text: string, botUserId?: string): MentionText {
  const linkedIds: string[] = [];
  const plain = text
    .replace(/<([^<>]*)>/g, (_whole, inner: string) => {
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
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const withoutBot = botUserId ? plain.split(`@${botUserId}`).join(' ') : plain;
  return { words: withoutBot.replace(/\s+/g, ' ').trim(), linkedIds };
}
