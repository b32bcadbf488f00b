/**
 * Button ids: a compact, self-contained encoding of "run this command with these options", so a button
 * keeps working after a restart (no state in memory) and fits Discord's 100-character custom_id.
 * A query too long to fit is kept in the store's stash and referenced by key.
 */

export type ActionVerb = 'summary' | 'related' | 'random-related' | 'share' | 'search' | 'unsubscribe';

export interface DecodedAction {
  verb: ActionVerb;
  /** The paper id, subscription id, or (for search) the query. */
  arg: string;
  /** Page number for search and related (1-based). */
  page: number;
  /** For search: run the query as typed, without typo correction. */
  literal: boolean;
}

const PREFIX = 'pb';
export const MAX_ACTION_ID = 100;
const CODES: Record<ActionVerb, string> = {
  summary: 's',
  related: 'r',
  'random-related': 'x',
  share: 'h',
  search: 'q',
  unsubscribe: 'u',
};
const VERBS = new Map(Object.entries(CODES).map(([verb, code]) => [code, verb as ActionVerb]));

export interface Stash {
  put(value: string): string;
  get(key: string): string | undefined;
}

export function encodeAction(
  action: Partial<DecodedAction> & { verb: ActionVerb; arg: string },
  stash?: Stash,
): string {
  const flags = `${action.page && action.page > 1 ? action.page : ''}${action.literal ? '!' : ''}`;
  const head = `${PREFIX}:${CODES[action.verb]}${flags}:`;
  const inline = head + action.arg;
  if (inline.length <= MAX_ACTION_ID && !action.arg.startsWith('#')) return inline;
  if (!stash) return head + action.arg.slice(0, MAX_ACTION_ID - head.length);
  return `${head}#${stash.put(action.arg)}`;
}

/** Decodes a button id; undefined for anything that is not one of ours (forged or stale ids included). */
export function decodeAction(id: string, stash?: Stash): DecodedAction | undefined {
  if (typeof id !== 'string' || id.length > MAX_ACTION_ID) return undefined;
  const match = /^pb:([a-z])(\d{0,4})(!?):(.+)$/s.exec(id);
  if (!match) return undefined;
  const verb = VERBS.get(match[1]!);
  if (!verb) return undefined;
  let arg = match[4]!;
  if (arg.startsWith('#')) {
    const stashed = stash?.get(arg.slice(1));
    if (stashed === undefined) return undefined;
    arg = stashed;
  }
  return { verb, arg, page: match[2] ? Math.max(1, Number(match[2])) : 1, literal: match[3] === '!' };
}
