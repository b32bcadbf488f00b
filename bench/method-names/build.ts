/**
 * The method-name known-item set (issue 13): typing a method's name is the most common query in a paper bot
 * (`/paper lisa`). Built deterministically from a corpus by the issue's rule, with its edge cases decided here:
 *
 * - NAME is the text before the first colon of a title (`LISA: Reasoning Segmentation via …`) when it is one
 *   word: 2–30 characters, letters and digits with inner `-`, `.`, `'`, `&` or `/`, optionally a trailing `+`/`++`,
 *   at least two letters. `GPT-4o`, `Qwen2.5-VL`, `DuQuant++` and `mHC` are names; `Position Paper`, `$\pi$-RL`
 *   and `3D` are not.
 * - NAME must be named (written exactly so, case-sensitively, between non-alphanumerics) in at least two OTHER
 *   papers, i.e. papers whose own title name is not NAME: the query is then ambiguous, as real ones are.
 * - NAME must be mostly a name in this corpus: fewer papers write it in lower case as an ordinary word than write
 *   it as NAME. `METHOD: …` (17,788 papers write "method") and `Position: …` (the position-paper convention) are
 *   not names a user types to find one paper; `Sherlock`, `SEAL` and `Falcon` are. A NAME that is all lower case
 *   never passes (it cannot be told from a word).
 * - The query is the lower-cased NAME; names that lower-case alike (`MOSAIC`, `Mosaic`) make one query, and when one
 *   spelling passes, the papers titled by the others are known items too (`Astra: …` answers `astra` as well as
 *   `ASTRA: …`).
 * - Several papers may carry the same NAME (9 papers are titled `SEAL: …`): each of them is a known item of the
 *   query, and the query succeeds at rank r when the first of them is at rank r. One query per distinct name.
 *
 *   npx tsx bench/method-names/build.ts [--corpus PATH] [--json]   # the set's statistics, or the set as JSONL
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePaperLine, readFirstLines } from '../scale/corpus.ts';

export interface TitledPaper {
  id: string;
  title: string;
  abstract: string;
}

export interface MethodNameQuery {
  /** What the user types: the lower-cased name. */
  query: string;
  /** The names as the titles write them (one, or several that lower-case alike). */
  names: string[];
  /** Papers whose title starts with the name and a colon, in corpus order. */
  knownIds: string[];
  /** Papers that name it without being titled by it (at least two). */
  otherMentions: number;
}

export interface MethodNameSet {
  queries: MethodNameQuery[];
  stats: {
    papers: number;
    /** Titles `X: …` with X one word of the allowed shape. */
    namedTitles: number;
    distinctNames: number;
    droppedFewMentions: number;
    droppedCommonWord: number;
  };
}

export const NAME_MIN_CHARS = 2;
export const NAME_MAX_CHARS = 30;
export const MIN_OTHER_MENTIONS = 2;

const NAME_SHAPE = /^[\p{L}\p{N}]+(?:[-.'&/][\p{L}\p{N}]+)*\+{0,2}$/u;
const TITLE_NAME = /^\s*(\S+?)\s*:\s+\S/u;
const CONNECTORS = "-.'&/";
const ALNUM = /[\p{L}\p{N}]/u;

function isAlnum(code: number, ch: string): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return ALNUM.test(ch);
}

/** The one-word name before a title's colon, or undefined. */
export function titleName(title: string): string | undefined {
  const name = TITLE_NAME.exec(title)?.[1];
  if (!name || name.length < NAME_MIN_CHARS || name.length > NAME_MAX_CHARS) return undefined;
  if (!NAME_SHAPE.test(name)) return undefined;
  if ((name.match(/\p{L}/gu)?.length ?? 0) < 2) return undefined;
  return name;
}

/**
 * Every string a text names, by the rule "written exactly so between non-alphanumerics": each run of letters and
 * digits with inner connectors, and each contiguous part of it between connectors (`LISA-based` names `LISA`
 * and `based`; `GPT-4o-mini` names `GPT-4o`).
 */
export function namedStrings(text: string, wanted?: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  // A hand-written scanner: a Unicode regex over 15 million words takes half a minute.
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isAlnum(text.charCodeAt(i), text[i]!)) {
      i++;
      continue;
    }
    // One run: alphanumerics, connectors between alphanumerics, then up to two `+`.
    const start = i;
    const cuts: number[] = [];
    for (;;) {
      while (i < n && isAlnum(text.charCodeAt(i), text[i]!)) i++;
      if (i + 1 < n && CONNECTORS.includes(text[i]!) && isAlnum(text.charCodeAt(i + 1), text[i + 1]!)) {
        cuts.push(i - start);
        i++;
        continue;
      }
      break;
    }
    let end = i;
    while (end < n && end - i < 2 && text[end] === '+') end++;
    const run = text.slice(start, end);
    i = end;
    if (!wanted || wanted.has(run)) out.add(run);
    if (!cuts.length) continue;
    const starts = [0, ...cuts.map((c) => c + 1)];
    const ends = [...cuts, run.length];
    for (let a = 0; a < starts.length; a++) {
      for (let b = a; b < ends.length; b++) {
        const part = run.slice(starts[a], ends[b]);
        if (!wanted || wanted.has(part)) out.add(part);
      }
    }
  }
  return out;
}

/**
 * `commonWords: 'keep'` builds the rule to the letter, keeping names that are more often an ordinary word
 * (`Position: …`); the eval drops them (see above), bench/research/method-names-rule.ts measures both.
 */
export function buildMethodNameSet(
  papers: readonly TitledPaper[],
  options: { commonWords?: 'drop' | 'keep' } = {},
): MethodNameSet {
  const titled = new Map<string, string[]>();
  let namedTitles = 0;
  for (const paper of papers) {
    const name = titleName(paper.title);
    if (!name) continue;
    namedTitles++;
    titled.set(name, [...(titled.get(name) ?? []), paper.id]);
  }
  // How many papers name each candidate, and how many write its lower-case form (as an ordinary word).
  const wanted = new Set<string>();
  for (const name of titled.keys()) {
    wanted.add(name);
    wanted.add(name.toLowerCase());
  }
  const mentions = new Map<string, number>();
  for (const paper of papers) {
    for (const s of namedStrings(`${paper.title}\n${paper.abstract}`, wanted))
      mentions.set(s, (mentions.get(s) ?? 0) + 1);
  }
  let droppedFewMentions = 0;
  let droppedCommonWord = 0;
  const passed = new Map<string, number>();
  for (const [name, ids] of titled) {
    const named = mentions.get(name) ?? 0;
    const others = named - ids.length;
    if (others < MIN_OTHER_MENTIONS) {
      droppedFewMentions++;
      continue;
    }
    const lower = name.toLowerCase();
    if (options.commonWords !== 'keep' && (lower === name || (mentions.get(lower) ?? 0) >= named)) {
      droppedCommonWord++;
      continue;
    }
    passed.set(lower, Math.max(passed.get(lower) ?? 0, others));
  }
  // A query that passes by one spelling has every paper titled by any spelling as a known item (`Astra: …` is as
  // right an answer to `astra` as `ASTRA: …`).
  const byQuery = new Map<string, MethodNameQuery>();
  for (const [name, ids] of titled) {
    const lower = name.toLowerCase();
    const others = passed.get(lower);
    if (others === undefined) continue;
    const entry = byQuery.get(lower) ?? { query: lower, names: [], knownIds: [], otherMentions: others };
    entry.names.push(name);
    entry.knownIds.push(...ids);
    byQuery.set(lower, entry);
  }
  const order = new Map(papers.map((p, i) => [p.id, i]));
  const queries = [...byQuery.values()]
    .map((q) => ({
      ...q,
      names: q.names.sort(),
      knownIds: [...new Set(q.knownIds)].sort((a, b) => order.get(a)! - order.get(b)!),
    }))
    .sort((a, b) => (a.query < b.query ? -1 : a.query > b.query ? 1 : 0));
  return {
    queries,
    stats: {
      papers: papers.length,
      namedTitles,
      distinctNames: titled.size,
      droppedFewMentions,
      droppedCommonWord,
    },
  };
}

/** The shared arXiv corpus (74,728 papers) beside the project. */
export const DEFAULT_METHOD_CORPUS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'shared',
  'corpus',
  'arxiv-cs-2025-26.jsonl.gz',
);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { corpus: { type: 'string', default: DEFAULT_METHOD_CORPUS }, json: { type: 'boolean', default: false } },
  });
  const papers = (await readFirstLines(values.corpus, Number.POSITIVE_INFINITY)).map(parsePaperLine);
  const set = buildMethodNameSet(papers);
  if (values.json) {
    for (const q of set.queries) console.log(JSON.stringify(q));
    return;
  }
  const shared = set.queries.filter((q) => q.knownIds.length > 1).length;
  const caps = set.queries.filter((q) => q.names.every((n) => n === n.toUpperCase())).length;
  console.log(JSON.stringify(set.stats));
  console.log(
    `${set.queries.length} queries (${caps} all-caps names, ${set.queries.length - caps} mixed case; ` +
      `${shared} with several papers titled by the name), ` +
      `${set.queries.reduce((n, q) => n + q.knownIds.length, 0)} known items`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  });
}
