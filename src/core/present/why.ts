/**
 * "Why this paper": one short line on every alert and recommendation card saying why it came. The reason is decided
 * where the paper is matched (a subscription's query, the library's model, Hugging Face's upvotes), kept with the
 * alert, and turned into plain text here; adapters escape and clip it for their platform.
 */
import { clipLine } from './cards.ts';

export type Why =
  /** A query subscription matched: the query as the channel wrote it, and the words the paper matched. */
  | { kind: 'query'; subscriptionId?: number; query: string; terms: string[] }
  /** Like a paper in the channel's library (the nearest saved one; absent: the library), with the terms they share. */
  | { kind: 'like'; title?: string; savedBy?: string; terms: string[] }
  /** Hugging Face upvotes: a trending alert, or the trending list. */
  | { kind: 'trending'; upvotes: number; comments?: number; day?: string; minUpvotes?: number };

/** The longest why line, in characters: one line on a phone. */
export const MAX_WHY = 200;

function termList(terms: readonly string[]): string {
  return terms
    .slice(0, 5)
    .map((term) => clipLine(term, 40))
    .join(', ');
}

function count(n: number, what: string): string {
  return `${n.toLocaleString('en')} ${what}${n === 1 ? '' : 's'}`;
}

export function whyLine(why: Why): string {
  switch (why.kind) {
    case 'query': {
      const which = why.subscriptionId === undefined ? 'subscription' : `subscription #${why.subscriptionId}`;
      const terms = why.terms.length ? `: ${termList(why.terms)}` : '';
      return clipLine(`Matched your ${which} "${clipLine(why.query, 60)}"${terms}`, MAX_WHY);
    }
    case 'like': {
      const like = why.title ? `"${clipLine(why.title, 70)}"` : "this channel's library";
      const by = why.savedBy ? ` (saved by ${clipLine(why.savedBy, 40)})` : '';
      const terms = why.terms.length ? `: shared terms ${termList(why.terms)}` : '';
      return clipLine(`Like ${like}${by}${terms}`, MAX_WHY);
    }
    case 'trending': {
      const when = why.day ? ` (on Hugging Face's list of ${why.day})` : ' on Hugging Face';
      const comments = why.comments ? `, ${count(why.comments, 'comment')}` : '';
      const crossed = why.minUpvotes === undefined ? '' : `; passed ${why.minUpvotes}`;
      return clipLine(`Trending: ${count(why.upvotes, 'upvote')}${comments}${when}${crossed}`, MAX_WHY);
    }
  }
}

/** A Why read back from the store (JSON); undefined for anything that is not one. */
export function parseWhy(json: string | undefined): Why | undefined {
  if (!json) return undefined;
  try {
    const value = JSON.parse(json) as Partial<Why> & Record<string, unknown>;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []);
    if (value.kind === 'query' && typeof value.query === 'string')
      return {
        kind: 'query',
        query: value.query,
        terms: strings(value.terms),
        ...(typeof value.subscriptionId === 'number' ? { subscriptionId: value.subscriptionId } : {}),
      };
    if (value.kind === 'like')
      return {
        kind: 'like',
        ...(typeof value.title === 'string' ? { title: value.title } : {}),
        terms: strings(value.terms),
        ...(typeof value.savedBy === 'string' ? { savedBy: value.savedBy } : {}),
      };
    if (value.kind === 'trending' && typeof value.upvotes === 'number')
      return {
        kind: 'trending',
        upvotes: value.upvotes,
        ...(typeof value.comments === 'number' ? { comments: value.comments } : {}),
        ...(typeof value.day === 'string' ? { day: value.day } : {}),
        ...(typeof value.minUpvotes === 'number' ? { minUpvotes: value.minUpvotes } : {}),
      };
  } catch {
    // Not JSON: no reason.
  }
  return undefined;
}
