/** Sentence splitting for abstracts: avoids breaking at "e.g.", "et al.", decimals and initials. */

const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Eq|Sec|approx|resp|No)\.|\b[A-Z]\.)$/;

export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const pieces = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z0-9("'\u201c[])/);
  let buffer = '';
  for (const piece of pieces) {
    buffer = buffer ? `${buffer} ${piece}` : piece;
    if (!ABBREVIATIONS.test(buffer)) {
      sentences.push(buffer);
      buffer = '';
    }
  }
  if (buffer) sentences.push(buffer);
  return sentences.filter((s) => s.length > 0);
}
