/**
 * Title known items (issue 25): someone remembers a paper's title, not exactly. The rule, written down (here and in
 * docs/relevance.md) before the set was run through any engine:
 *
 * 1. A title's words are its runs of letters and digits (Unicode), in order, lower-cased. A title is eligible when
 *    it has at least 6 words and no other paper in the corpus has the same words (exactly one paper is meant).
 * 2. The eligible papers are shuffled with the seeded PRNG (mulberry32, seed 25); the first 300 are drawn.
 * 3. For each, the PRNG picks one of four damages with equal odds: drop one word; drop two words; misspell one word;
 *    drop one word and misspell another. Dropped words are uniform among all words; a misspelled word is uniform
 *    among the words of at least 4 letters (letters only) not dropped, and with none such the paper falls back to
 *    dropping one word. One edit, at a position after the first letter, of a kind chosen uniformly: delete a
 *    letter, swap two adjacent letters, replace a letter with another (a-z, not itself), insert a letter (a-z).
 * 4. The query is the remaining words joined by single spaces; the one relevant paper is the one drawn.
 * 5. Figures: success@1 and MRR@10 (main: MRR@10). Query ids `ti-0` … `ti-299`, in draw order.
 *
 * The queries are drawn from the whole shared arXiv corpus, which is indexed whole, the same documents as the
 * method-name set (one index serves both; see method-names.ts for --method-sample).
 */
import type { EvalDoc } from '../engine.ts';
import { seededRandom } from '../scale/queries.ts';
import type { KnownItemQuery } from './method-names.ts';

export const TITLE_ITEMS = { minWords: 6, queries: 300, seed: 25, minMisspeltLetters: 4 } as const;

type Damage = 'drop1' | 'drop2' | 'misspell1' | 'drop1misspell1';
const DAMAGES: readonly Damage[] = ['drop1', 'drop2', 'misspell1', 'drop1misspell1'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function titleWords(title: string): string[] {
  return (title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) as string[];
}

/** One edit after the first letter (see rule 3); `word` has at least 4 letters. */
export function misspell(word: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  const kind = pick(4);
  if (kind === 1) {
    // Letters i and i + 1, i from 1 (never the first letter).
    const i = 1 + pick(word.length - 2);
    return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
  const at = 1 + pick(word.length - 1);
  if (kind === 0) return word.slice(0, at) + word.slice(at + 1);
  if (kind === 2) {
    const others = [...LETTERS].filter((c) => c !== word[at]);
    return word.slice(0, at) + others[pick(others.length)] + word.slice(at + 1);
  }
  return word.slice(0, at) + LETTERS[pick(LETTERS.length)] + word.slice(at);
}

/** The damaged title of one paper (rule 3), from the PRNG's next draws. */
export function damageTitle(words: readonly string[], random: () => number): { query: string; damage: Damage } {
  const pick = (n: number) => Math.floor(random() * n);
  let damage = DAMAGES[pick(DAMAGES.length)]!;
  const kept = words.map((word, i) => ({ word, i }));
  const dropOne = () => kept.splice(pick(kept.length), 1);
  const misspellable = () =>
    kept.filter(({ word }) => word.length >= TITLE_ITEMS.minMisspeltLetters && /^\p{L}+$/u.test(word));
  if (damage === 'drop1' || damage === 'drop2' || damage === 'drop1misspell1') dropOne();
  if (damage === 'drop2') dropOne();
  if (damage === 'misspell1' || damage === 'drop1misspell1') {
    const candidates = misspellable();
    if (candidates.length) {
      const chosen = candidates[pick(candidates.length)]!;
      chosen.word = misspell(chosen.word, random);
    } else if (damage === 'misspell1') {
      dropOne();
      damage = 'drop1';
    } else {
      damage = 'drop1';
    }
  }
  return { query: kept.map(({ word }) => word).join(' '), damage };
}

export function buildTitleItems(docs: readonly EvalDoc[]): KnownItemQuery[] {
  const byWords = new Map<string, number>();
  const words = docs.map((doc) => titleWords(doc.title));
  for (const list of words) byWords.set(list.join(' '), (byWords.get(list.join(' ')) ?? 0) + 1);
  const eligible = words.flatMap((list, i) =>
    list.length >= TITLE_ITEMS.minWords && byWords.get(list.join(' ')) === 1 ? [i] : [],
  );
  const random = seededRandom(TITLE_ITEMS.seed);
  for (let i = eligible.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!];
  }
  return eligible.slice(0, TITLE_ITEMS.queries).map((index, n) => ({
    id: `ti-${n}`,
    query: damageTitle(words[index]!, random).query,
    known: new Set([docs[index]!.id]),
  }));
}
