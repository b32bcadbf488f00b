/**
 * The fixed query sets of the scale bench, chosen deterministically (seeded RNG) from corpus titles so that
 * every engine answers exactly the same queries in every run: ≥ 300 title-derived 2–3-word queries plus real
 * ones people type, and the alert subscriptions (1–3 words) matched against the daily batch.
 */
/** Queries people really type; always part of the bench set. */
export const REAL_QUERIES: readonly string[] = [
  'lora',
  'diffusion model',
  'instruction tuning large language models',
  'kv cache compression',
  'rlhf reward hacking',
  'retrieval augmented generation',
  'vision transformer',
  'mixture of experts',
  'chain of thought reasoning',
  'graph neural networks',
  'speculative decoding',
  'gaussian splatting',
];

/**
 * A seeded PRNG (mulberry32, shared with the fake paper sources), so the query sets are the same on every machine and
 * run.
 */
import { mulberry32 as seededRandom } from '../../test/fakes/paper-source-server.ts';

export { seededRandom };

/** lunr's own stop word list, plus a few words too common in titles to make a useful query word. */
const STOP_WORDS = new Set(
  (
    'a able about across after all almost also am among an and any are as at be because been but by can ' +
    'cannot could dear did do does either else ever every for from get got had has have he her hers him his ' +
    'how however i if in into is it its just least let like likely may me might most must my neither no nor ' +
    'not of off often on only or other our own rather said say says she should since so some than that the ' +
    'their them then there these they this tis to too twas us wants was we were what when where which while ' +
    'who whom why will ' +
    'with would yet you your via towards toward using'
  ).split(' '),
);

/** The content words of a title: letters/digits runs, lower-cased, no stop words, no bare numbers, ≥ 2 chars. */
export function titleWords(title: string): string[] {
  const words = title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => w.length >= 2 && !/^\p{N}+$/u.test(w) && !STOP_WORDS.has(w));
}

export interface TitledDoc {
  id: string;
  title: string;
}

export interface BenchQuery {
  text: string;
  /** The paper whose title the query was taken from (undefined for real queries). */
  sourceId?: string;
}

/**
 * `count` distinct queries of minWords..maxWords consecutive content words from the titles of random docs.
 * Deterministic for a given (docs, seed).
 */
export function titleQueries(
  docs: readonly TitledDoc[],
  count: number,
  seed: number,
  minWords = 2,
  maxWords = 3,
): BenchQuery[] {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const out: BenchQuery[] = [];
  if (docs.length === 0) return out;
  for (let attempts = 0; out.length < count && attempts < count * 50; attempts++) {
    const doc = docs[Math.floor(random() * docs.length)]!;
    const words = titleWords(doc.title);
    const length = minWords + Math.floor(random() * (maxWords - minWords + 1));
    if (words.length < length) continue;
    const start = Math.floor(random() * (words.length - length + 1));
    const text = words.slice(start, start + length).join(' ');
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ text, sourceId: doc.id });
  }
  return out;
}

export const QUERY_SEED = 20250101;
export const SUBSCRIPTION_SEED = 7;

/** The bench query set: `titleCount` title-derived 2–3-word queries, then the real ones. */
export function benchQueries(docs: readonly TitledDoc[], titleCount = 300): BenchQuery[] {
  const fromTitles = titleQueries(docs, titleCount, QUERY_SEED);
  const titles = new Set(fromTitles.map((q) => q.text));
  return [...fromTitles, ...REAL_QUERIES.filter((q) => !titles.has(q)).map((text) => ({ text }))];
}

/** Alert subscriptions: `count` deterministic 1–3-word queries from titles (what people subscribe to). */
export function subscriptionQueries(docs: readonly TitledDoc[], count = 1000): string[] {
  const real = [...REAL_QUERIES];
  const rest = titleQueries(docs, count, SUBSCRIPTION_SEED, 1, 3)
    .map((q) => q.text)
    .filter((q) => !real.includes(q));
  return [...real, ...rest].slice(0, count);
}
