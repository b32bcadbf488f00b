/**
 * The name a title gives its paper: the one word before the colon (`LISA: Reasoning Segmentation …` → `LISA`).
 * A query that is a paper's name, or its whole title, asks for that paper (issue 13): see `titleMatchKey`.
 */
import { normalizeTitle } from '../papers/ids.ts';

const TITLE_NAME = /^\s*(\S+?)\s*:\s+\S/u;
/** Letters and digits with inner `-`, `.`, `'`, `&` or `/`, and up to two trailing `+` (`DuQuant++`). */
const NAME_SHAPE = /^[\p{L}\p{N}]+(?:[-.'&/][\p{L}\p{N}]+)*\+{0,2}$/u;
const MAX_NAME_CHARS = 30;

/** The one-word name before a title's colon, as written, or undefined. */
export function titleNameOf(title: string): string | undefined {
  const name = TITLE_NAME.exec(title)?.[1];
  if (!name || name.length < 2 || name.length > MAX_NAME_CHARS || !NAME_SHAPE.test(name)) return undefined;
  if ((name.match(/\p{L}/gu)?.length ?? 0) < 2) return undefined;
  return name;
}

/**
 * Written as a coined name, not as a word in Title Case: a capital after the first letter (`LISA`, `LoRA`, `mHC`)
 * or a digit (`Qwen2`). `Position: …` and `Segmentation: …` are words; `Sherlock: …` is decided by how rare the
 * word is (see engine.ts).
 */
export function isCoinedName(name: string): boolean {
  return /\p{N}/u.test(name) || /^.+\p{Lu}/u.test(name);
}

/** How a query, a title and a title's name are compared: case, accents and punctuation ignored. */
export function titleMatchKey(text: string): string {
  return normalizeTitle(text);
}

/** The `titleName` fact of a paper's index entry (empty when the title has no name). */
export function nameMeta(title: string): { titleName?: string } {
  const name = titleNameOf(title);
  return name ? { titleName: name } : {};
}
