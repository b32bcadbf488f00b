/**
 * How eval queries are split (issue 25, defined in docs/relevance.md before any result): into halves by a fixed
 * hash of the query id, and into shapes by length.
 */

export type Half = 'a' | 'b';
export type QueryShape = 'short' | 'long';

/** A query of at most this many words is short. */
export const SHORT_QUERY_MAX_WORDS = 5;

/** 32-bit FNV-1a of the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Half A: the query ids with an even hash; half B: odd. */
export function halfOf(queryId: string): Half {
  return fnv1a32(queryId) % 2 === 0 ? 'a' : 'b';
}

/** Words are runs of letters or digits. */
export function queryShape(query: string): QueryShape {
  const words = query.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return words <= SHORT_QUERY_MAX_WORDS ? 'short' : 'long';
}
