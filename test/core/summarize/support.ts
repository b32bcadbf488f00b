/** Checks shared by the summary tests. */

/** The words of a text, lower-cased, as letters and digits only. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Whether every word of `part` is a word of `whole`, in the same order (words may be skipped in between). */
export function isWordSubsequence(part: string, whole: string): boolean {
  const source = words(whole);
  let at = 0;
  for (const word of words(part)) {
    while (at < source.length && source[at] !== word) at++;
    if (at === source.length) return false;
    at++;
  }
  return true;
}
