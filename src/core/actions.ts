/**
 * Button ids: a compact, self-contained encoding of "press this button with this argument", so a button
 * keeps working after a restart (no state in memory) and fits Discord's 100-character custom_id.
 * The wire format is `pb:<code><page><!>:<arg>`: `pb:s:2503.20680`, `pb:q2!:lora` (page 2, literal).
 * A query too long to fit is kept in the store's stash and referenced by key (`pb:q:#<key>`).
 * Which command a code runs, and with which options, is declared by the command that owns the button
 * (`Command.buttons`); buttons.ts maps codes to commands.
 */
import type { Action } from './reply.ts';

/** What a pressed button carries besides its code. */
export interface ButtonPress {
  /** The paper id, subscription id, or (for search) the query. */
  arg: string;
  /** Page number for paging buttons (1-based). */
  page: number;
  /** For search: run the query as typed, without typo correction. */
  literal: boolean;
}

/** A button id taken apart. */
export interface ButtonWire extends ButtonPress {
  /** One lower-case letter naming the button (see `ButtonSpec.code`). */
  code: string;
}

/** A button to make: a verb some command declares, and what it carries. */
export interface ButtonRequest {
  verb: string;
  arg: string;
  page?: number;
  literal?: boolean;
  /** Overrides the label the verb declares ("More results", `Search "x" instead`). */
  label?: string;
}

/** Makes buttons for the verbs the registered commands declare. */
export interface Buttons {
  action(request: ButtonRequest): Action;
  /**
   * Resolves once every button made so far works on any instance (the values they keep in the stash are stored):
   * awaited before a reply carrying them leaves.
   */
  settled(): Promise<void>;
}

/** Long button arguments kept under short keys (see button-stash.ts). */
export interface Stash {
  /** The key for `value`, at once; the value is stored in the background (see `Buttons.settled`). */
  put(value: string): string;
  get(key: string): Promise<string | undefined>;
  /** Resolves once every value put so far is stored (or could not be: the failure is logged). */
  settled(): Promise<void>;
}

const PREFIX = 'pb';
export const MAX_ACTION_ID = 100;
export const BUTTON_CODE = /^[a-z]$/;

export function encodeButtonId(button: Partial<ButtonPress> & { code: string; arg: string }, stash?: Stash): string {
  const flags = `${button.page && button.page > 1 ? button.page : ''}${button.literal ? '!' : ''}`;
  const head = `${PREFIX}:${button.code}${flags}:`;
  const inline = head + button.arg;
  if (inline.length <= MAX_ACTION_ID && !button.arg.startsWith('#')) return inline;
  if (!stash) return head + button.arg.slice(0, MAX_ACTION_ID - head.length);
  return `${head}#${stash.put(button.arg)}`;
}

/** The argument a button id carries inline (`pb:s:t-26512aa32e57` → `t-26512aa32e57`); undefined when stashed or not ours. */
export function inlineButtonArg(id: string): string | undefined {
  if (typeof id !== 'string' || id.length > MAX_ACTION_ID) return undefined;
  const arg = /^pb:[a-z]\d{0,4}!?:(.+)$/s.exec(id)?.[1];
  return arg && !arg.startsWith('#') ? arg : undefined;
}

/** Takes a button id apart; undefined for anything not in our format (forged ids, stale stash keys). */
export async function decodeButtonId(id: string, stash?: Stash): Promise<ButtonWire | undefined> {
  if (typeof id !== 'string' || id.length > MAX_ACTION_ID) return undefined;
  const match = /^pb:([a-z])(\d{0,4})(!?):(.+)$/s.exec(id);
  if (!match) return undefined;
  let arg = match[4]!;
  if (arg.startsWith('#')) {
    const stashed = await stash?.get(arg.slice(1));
    if (stashed === undefined) return undefined;
    arg = stashed;
  }
  return { code: match[1]!, arg, page: match[2] ? Math.max(1, Number(match[2])) : 1, literal: match[3] === '!' };
}
