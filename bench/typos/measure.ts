/**
 * Typo correction on a labelled set from the built-in corpus: which fixes run on their own, which are only offered.
 *
 *   npx tsx bench/typos/measure.ts [--write]
 *
 * Misspellings: one random edit (deletion, insertion or substitution of a neighbouring key, swap) of each real word
 * of the built-in corpus (5+ letters) that gives no English word, plus typing errors written by hand. Real words:
 * words of SciTLDR abstracts (in 3+ of them) and of the CACM and CISI questions that the built-in corpus lacks and
 * that have a close corpus word, i.e. the words a blind correction would change. Needs Debian's wamerican and
 * ../shared. `--write` stores the set as test/fixtures/typos-labelled.json (a sample, for npm test).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../src/core/logger.ts';
import { analyzeWord, type SearchIndex } from '../../src/core/search/search-index.ts';
import { AUTO_MIN_PAPERS, correctToken, loadKnownWords } from '../../src/core/search/typos.ts';
import { openPaperboy } from '../../src/paperboy.ts';

const DICTIONARY = '/usr/share/dict/american-english';
const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/typos-labelled.json', import.meta.url));

/** Typing errors as people make them, of words the built-in corpus has. */
export const HAND_TYPOS: [string, string][] = [
  ['difusion', 'diffusion'],
  ['trasnformer', 'transformer'],
  ['atention', 'attention'],
  ['langauge', 'language'],
  ['optimzation', 'optimization'],
  ['adverserial', 'adversarial'],
  ['graident', 'gradient'],
  ['lenght', 'length'],
  ['acheive', 'achieve'],
  ['paramter', 'parameter'],
  ['efficent', 'efficient'],
  ['perfomance', 'performance'],
  ['architecure', 'architecture'],
  ['distribtion', 'distribution'],
  ['modle', 'model'],
  ['imgae', 'image'],
  ['vidoe', 'video'],
  ['synthsis', 'synthesis'],
  ['instuction', 'instruction'],
  ['benchamrk', 'benchmark'],
  ['tokne', 'token'],
  ['conditonal', 'conditional'],
  ['denosing', 'denoising'],
  ['latnet', 'latent'],
  ['represntation', 'representation'],
  ['retreival', 'retrieval'],
  ['knowlege', 'knowledge'],
  ['pretrainng', 'pretraining'],
];

export interface LabelledSet {
  misspellings: { typo: string; intended: string }[];
  realWords: string[];
}

const words = (text: string) => text.toLowerCase().match(/\p{L}+/gu) ?? [];

function labelledSet(index: SearchIndex, corpusWords: Map<string, number>): LabelledSet {
  const dictionary = new Set(
    readFileSync(DICTIONARY, 'utf8')
      .split('\n')
      .map((w) => w.toLowerCase()),
  );
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const rows = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
  const neighbours = (c: string) => {
    const r = rows.findIndex((row) => row.includes(c));
    const i = rows[r]?.indexOf(c) ?? -1;
    return r < 0 ? [c] : [rows[r]![i - 1], rows[r]![i + 1], rows[r - 1]?.[i], rows[r + 1]?.[i]].filter(Boolean);
  };
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const edit = (w: string) => {
    const i = 1 + Math.floor(random() * (w.length - 2));
    switch (Math.floor(random() * 4)) {
      case 0:
        return w.slice(0, i) + w.slice(i + 1);
      case 1:
        return w.slice(0, i) + pick(neighbours(w[i]!)) + w.slice(i);
      case 2:
        return w.slice(0, i) + pick(neighbours(w[i]!)) + w.slice(i + 1);
      default:
        return w.slice(0, i - 1) + w[i] + w[i - 1] + w.slice(i + 1);
    }
  };
  const misspellings = HAND_TYPOS.map(([typo, intended]) => ({ typo, intended }));
  for (const word of [...corpusWords.keys()].sort()) {
    if (word.length < 5 || !dictionary.has(word) || !analyzeWord(word)) continue;
    const typo = edit(word);
    const token = analyzeWord(typo);
    if (typo !== word && !dictionary.has(typo) && !corpusWords.has(typo) && token && !index.has(token))
      misspellings.push({ typo, intended: word });
  }
  const scitldr = new Map<string, number>();
  for (const line of readFileSync(`${SHARED}eval/scitldr/dev.jsonl`, 'utf8').split('\n').filter(Boolean)) {
    const record = JSON.parse(line) as { title: string; source: string[] };
    for (const w of new Set(words(`${record.title} ${record.source.join(' ')}`)))
      scitldr.set(w, (scitldr.get(w) ?? 0) + 1);
  }
  const candidates = new Set([...scitldr].filter(([, n]) => n >= 3).map(([w]) => w));
  for (const set of ['cacm', 'cisi'])
    for (const line of readFileSync(`${SHARED}eval/${set}/qrels.jsonl`, 'utf8').split('\n').filter(Boolean))
      for (const w of words((JSON.parse(line) as { query: string }).query)) candidates.add(w);
  const realWords = [...candidates]
    .filter((w) => w.length >= 4 && analyzeWord(w) && !index.has(analyzeWord(w)!) && correctToken(index, w))
    .sort();
  return { misspellings, realWords };
}

/** How a rule fares: misspellings fixed on their own (to the intended word) or offered, real words changed. */
export function score(
  set: LabelledSet,
  index: SearchIndex,
  known: (word: string) => boolean,
  minPapers: number,
): { fixed: number; offered: number; realChanged: number; changedWords: string[] } {
  const auto = (word: string) => {
    const token = correctToken(index, word);
    return token && !known(word) && index.docFreq(token) >= minPapers ? token : undefined;
  };
  const fixed = set.misspellings.filter(({ typo, intended }) => auto(typo) === analyzeWord(intended)).length;
  const offered = set.misspellings.filter(({ typo }) => correctToken(index, typo)).length;
  const changedWords = set.realWords.filter((w) => auto(w));
  return {
    fixed: fixed / set.misspellings.length,
    offered: offered / set.misspellings.length,
    realChanged: changedWords.length / set.realWords.length,
    changedWords,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pb = await openPaperboy({ dbPath: ':memory:', logger: silentLogger, useWorker: false });
  const index = pb.index.snapshot.index;
  const corpusWords = new Map<string, number>();
  for (const { paper } of await pb.papers.changedSince(0))
    for (const w of new Set(words(`${paper.title} ${paper.abstract}`)))
      corpusWords.set(w, (corpusWords.get(w) ?? 0) + 1);
  const set = labelledSet(index, corpusWords);
  console.log(
    `${set.misspellings.length} misspellings (${HAND_TYPOS.length} by hand), ${set.realWords.length} real words`,
  );
  const dictionary = new Set(
    readFileSync(DICTIONARY, 'utf8')
      .split('\n')
      .map((w) => w.toLowerCase()),
  );
  const shipped = loadKnownWords();
  const rules: [string, (w: string) => boolean, number][] = [
    ['every close word (before)', () => false, 1],
    ['English spelling list only', (w) => dictionary.has(w), AUTO_MIN_PAPERS],
    ['known words (shipped)', (w) => shipped.has(w), 1],
    ['known words, fix in 2+ papers (shipped rule)', (w) => shipped.has(w), AUTO_MIN_PAPERS],
  ];
  console.log('| rule | misspellings fixed on their own | offered (fixed or button) | real words changed |');
  console.log('| --- | --- | --- | --- |');
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  for (const [name, known, minPapers] of rules) {
    const s = score(set, index, known, minPapers);
    console.log(`| ${name} | ${pct(s.fixed)} | ${pct(s.offered)} | ${pct(s.realChanged)} |`);
    if (minPapers === AUTO_MIN_PAPERS && known !== rules[1]![1])
      console.log(`  still changed: ${s.changedWords.join(', ')}`);
  }
  if (process.argv.includes('--write')) {
    // Every tenth synthetic misspelling and real word keeps npm test quick; the hand-written ones all stay.
    const sample: LabelledSet = {
      misspellings: set.misspellings.filter((_, i) => i < HAND_TYPOS.length || i % 10 === 0),
      realWords: set.realWords.filter((_, i) => i % 3 === 0),
    };
    writeFileSync(FIXTURE, `${JSON.stringify(sample, null, 1)}\n`);
    console.log(`wrote ${FIXTURE}: ${sample.misspellings.length} misspellings, ${sample.realWords.length} real words`);
  }
  await pb.close();
}
