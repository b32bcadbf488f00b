/**
 * Builds data/known-words.txt.gz, the words typo correction treats as spelled right (see src/core/search/typos.ts):
 * every word of an English spelling list (Debian's `wamerican`, SCOWL; `apt-get install wamerican`) and every word
 * in at least MIN_PAPERS of the shared arXiv corpus's titles and abstracts (technical words: relu, softmax, lora).
 *
 *   npx tsx bench/typos/build-known-words.ts [/usr/share/dict/american-english] [../shared/corpus/arxiv-….jsonl.gz]
 *
 * The threshold keeps the corpus's own misspellings out: a typo of a common word rarely recurs in five abstracts.
 */
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip, gzipSync } from 'node:zlib';

const MIN_PAPERS = 5;
const MIN_LENGTH = 3;
const WORD = /\p{L}+/gu;

const [dictPath = '/usr/share/dict/american-english', corpusPath = '../shared/corpus/arxiv-cs-2025-26.jsonl.gz'] =
  process.argv.slice(2);
const out = fileURLToPath(new URL('../../data/known-words.txt.gz', import.meta.url));

const words = new Set<string>();
for (const line of readFileSync(dictPath, 'utf8').split('\n')) {
  const word = line.trim().toLowerCase();
  // Possessives ("aaron's") and abbreviations with dots are not words a query holds.
  if (word.length >= MIN_LENGTH && /^\p{L}+$/u.test(word)) words.add(word);
}
const fromDictionary = words.size;

const papersWith = new Map<string, number>();
const lines = createInterface({ input: createReadStream(corpusPath).pipe(createGunzip()), crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const paper = JSON.parse(line) as { title?: string; abstract?: string };
  for (const word of new Set(`${paper.title ?? ''} ${paper.abstract ?? ''}`.toLowerCase().match(WORD) ?? [])) {
    if (word.length >= MIN_LENGTH) papersWith.set(word, (papersWith.get(word) ?? 0) + 1);
  }
}
for (const [word, count] of papersWith) if (count >= MIN_PAPERS) words.add(word);

const sorted = [...words].sort();
writeFileSync(out, gzipSync(`${sorted.join('\n')}\n`, { level: 9 }));
console.log(
  `${out}: ${sorted.length} words (${fromDictionary} from the spelling list, ` +
    `${sorted.length - fromDictionary} more from the corpus at ${MIN_PAPERS}+ papers)`,
);
