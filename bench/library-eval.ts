/**
 * The library-recommendation task of `npm run eval` (issue 17; docs/relevance.md, "Library recommendations"). On the
 * shared arXiv corpus: a channel's library is K papers of one narrow topic from one month; the candidates are the
 * next month's papers; relevant means the same topic. Topics are chosen by a fixed rule, not by hand:
 *
 * - the months: the two consecutive whole months with the most papers together (library month, then candidate month);
 * - a topic is a (first category, title word pair) with at least LIBRARY_K + 5 papers in the library month whose
 *   title has the pair, and at least MIN_RELEVANT candidate-month papers of that category with the pair in the title
 *   or abstract; the TOPICS narrowest (fewest library-month papers; ties by name) are used, one per word pair;
 * - the library: the first LIBRARY_K of those papers by id; relevant: the candidate-month papers of the category with
 *   the pair in title or abstract (gain 1).
 *
 * Four rankings of the candidate month are scored with P@10 and nDCG@10: the classifier (src/core/library/), the
 * tf-idf centroid of the library, related papers of one saved paper drawn at random, and random.
 *
 * The 👎 feedback task (issue 23; the rule in docs/relevance.md, "👎 feedback", committed before any run) simulates a
 * team that follows a topic but not one of its sub-topics: its library is 20 wanted papers of the library month, its
 * 👎s 5 papers of the sub-topic; the classifier ranks the next month with and without the 👎s.
 */

import path from 'node:path';
import { mulberry32, type RecommendMethod, recommend, trainLibrary } from '../src/core/library/recommender.ts';
import { normalizePaper } from '../src/core/papers/normalize.ts';
import type { Paper } from '../src/core/papers/paper.ts';
import { type PaperFetcher, PaperSearch, papersInMemory } from '../src/core/search/paper-search.ts';
import { analyze } from '../src/core/search/search-index.ts';
import { type CorpusSnapshot, papersSnapshot } from '../src/core/search/snapshot.ts';
import { mean, ndcgAt } from './ndcg.ts';
import { type CorpusPaper, parsePaperLine, readFirstLines } from './scale/corpus.ts';

export const LIBRARY_K = 20;
export const MIN_RELEVANT = 15;
export const TOPICS = 8;
export const AT = 10;

const STOP = new Set(
  'a an and are as at be by for from in into is its of on or over the to towards via with without using based new'.split(
    ' ',
  ),
);

export interface LibraryTopic {
  category: string;
  phrase: string;
  library: string[];
  relevant: number;
}

export interface MethodScore {
  method: string;
  precision: number;
  ndcg: number;
}

export interface LibraryEvalReport {
  libraryMonth: string;
  candidateMonth: string;
  candidates: number;
  topics: LibraryTopic[];
  methods: MethodScore[];
  /** The classifier beats the centroid on nDCG@10. */
  pass: boolean;
  /** The 👎 feedback task. */
  feedback: FeedbackEvalReport;
  seconds: number;
}

/** Papers said 👎 to: the rule's numbers (docs/relevance.md, "👎 feedback"). */
export const FEEDBACK = {
  minSubtopic: 10,
  minWanted: LIBRARY_K + 5,
  minRelevant: MIN_RELEVANT,
  minSubtopicNext: 10,
  topics: 8,
  dislikes: 5,
  /** P@10 with the 👎s at least this × P@10 without them. */
  target: 1.1,
};

export interface FeedbackTopic {
  category: string;
  /** The topic's title word and the unwanted sub-topic's (index tokens, stemmed). */
  word: string;
  subtopic: string;
  /** Library-month sub-topic papers (what the choice ranks by). */
  subtopicPapers: number;
  relevant: number;
  library: string[];
  disliked: string[];
  /** P@10 and nDCG@10 per method, in `FeedbackEvalReport.methods` order. */
  scores: { precision: number; ndcg: number }[];
  /** Sub-topic papers (the unwanted) among each method's top 10 (a figure added after the first run: diagnostic). */
  unwanted: number[];
}

export interface FeedbackEvalReport {
  topics: FeedbackTopic[];
  methods: MethodScore[];
  /** The same, for each half of the topics (the first 4 and the last 4 chosen). */
  halves: MethodScore[][];
  /** P@10 with the 👎s / P@10 without them. */
  gain: number;
  pass: boolean;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function pairs(text: string): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  for (let i = 0; i + 1 < w.length; i++) {
    const [a, b] = [w[i]!, w[i + 1]!];
    if (a.length < 3 || b.length < 3 || STOP.has(a) || STOP.has(b) || /\d/.test(a + b)) continue;
    out.add(`${a} ${b}`);
  }
  return out;
}

export function corpusFile(sharedDir: string): string {
  return path.join(sharedDir, 'corpus', 'arxiv-cs-2025-26.jsonl.gz');
}

/** The shared corpus split into the eval's two months, indexed whole. */
export interface EvalMonths {
  papers: Map<string, Paper>;
  libraryMonth: string;
  candidateMonth: string;
  inLibraryMonth: Paper[];
  candidates: Paper[];
  snapshot: CorpusSnapshot;
  fetch: PaperFetcher;
}

export async function loadEvalMonths(sharedDir: string): Promise<EvalMonths> {
  const rows: CorpusPaper[] = (await readFirstLines(corpusFile(sharedDir), Number.MAX_SAFE_INTEGER)).map(
    parsePaperLine,
  );
  const papers = new Map<string, Paper>();
  for (const row of rows) {
    const result = normalizePaper(row, 'eval');
    if (result.ok) papers.set(result.paper.id, result.paper);
  }
  const month = (p: Paper) => p.published?.slice(0, 7) ?? '';
  const counts = new Map<string, number>();
  for (const p of papers.values()) counts.set(month(p), (counts.get(month(p)) ?? 0) + 1);
  const months = [...counts.keys()].filter(Boolean).sort();
  // Whole months: the corpus's first and last months are partial.
  let best = 1;
  for (let i = 1; i + 2 < months.length; i++)
    if (
      counts.get(months[i]!)! + counts.get(months[i + 1]!)! >
      counts.get(months[best]!)! + counts.get(months[best + 1]!)!
    )
      best = i;
  const [libraryMonth, candidateMonth] = [months[best]!, months[best + 1]!];
  const inLibraryMonth = [...papers.values()].filter((p) => month(p) === libraryMonth);
  const candidates = [...papers.values()].filter((p) => month(p) === candidateMonth);
  const snapshot = papersSnapshot([...papers.values()]);
  const fetch = papersInMemory(papers);
  return { papers, libraryMonth, candidateMonth, inLibraryMonth, candidates, snapshot, fetch };
}

export async function runLibraryEval(sharedDir: string, log: (line: string) => void): Promise<LibraryEvalReport> {
  const started = performance.now();
  const months = await loadEvalMonths(sharedDir);
  const { papers, libraryMonth, candidateMonth, inLibraryMonth, candidates, snapshot, fetch } = months;
  const candidateIds = new Set(candidates.map((p) => p.id));

  const first = (p: Paper) => p.categories[0] ?? '';
  const titleTopics = new Map<string, string[]>();
  for (const p of inLibraryMonth)
    for (const pair of pairs(p.title)) {
      const key = `${first(p)}|${pair}`;
      titleTopics.set(key, [...(titleTopics.get(key) ?? []), p.id]);
    }
  const relevantOf = (category: string, phrase: string) =>
    new Set(
      candidates
        .filter((p) => first(p) === category && pairs(`${p.title}. ${p.abstract}`).has(phrase))
        .map((p) => p.id),
    );
  const eligible = [...titleTopics]
    .filter(([, ids]) => ids.length >= LIBRARY_K + 5)
    .sort((a, b) => a[1].length - b[1].length || a[0].localeCompare(b[0]));
  const topics: (LibraryTopic & { relevantIds: Set<string> })[] = [];
  const phrasesUsed = new Set<string>();
  for (const [key, ids] of eligible) {
    if (topics.length >= TOPICS) break;
    const [category, phrase] = key.split('|') as [string, string];
    if (phrasesUsed.has(phrase)) continue;
    const relevantIds = relevantOf(category, phrase);
    if (relevantIds.size < MIN_RELEVANT) continue;
    phrasesUsed.add(phrase);
    const library = [...ids].sort().slice(0, LIBRARY_K);
    topics.push({ category, phrase, library, relevant: relevantIds.size, relevantIds });
  }
  log(`library eval: ${libraryMonth} → ${candidateMonth}, ${candidates.length} candidates, ${topics.length} topics`);

  const search = new PaperSearch({ snapshot: () => snapshot, papers: fetch });
  const inCandidateMonth = (ref: string) => candidateIds.has(ref);

  const rankers: { method: string; rank: (library: Paper[], seed: number) => Promise<string[]> }[] = [
    ...(['classifier', 'centroid'] as RecommendMethod[]).map((method) => ({
      method: method === 'classifier' ? 'paperboy (logistic regression)' : 'tf-idf centroid',
      rank: async (library: Paper[]) => {
        const trained = await trainLibrary(library, snapshot, fetch, method);
        const recs = await recommend(trained, snapshot, fetch, { limit: AT, eligible: inCandidateMonth });
        return recs.map((r) => r.paper.id);
      },
    })),
    {
      method: 'related papers of a random saved paper',
      rank: async (library, seed) => {
        const pick = library[Math.floor(mulberry32(seed)() * library.length)]!;
        const saved = new Set(library.map((p) => p.id));
        const result = await search.related(pick.id, { limit: 100 });
        return result.hits.map((h) => h.paper.id).filter((id) => candidateIds.has(id) && !saved.has(id));
      },
    },
    {
      method: 'random',
      rank: async (_library, seed) => {
        const random = mulberry32(seed);
        const pool = [...candidateIds];
        const out: string[] = [];
        while (out.length < AT && pool.length) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
        return out;
      },
    },
  ];
  const methods: MethodScore[] = [];
  for (const ranker of rankers) {
    const precision: number[] = [];
    const ndcg: number[] = [];
    for (const [t, topic] of topics.entries()) {
      const library = topic.library.map((id) => papers.get(id)!);
      const ranking = (await ranker.rank(library, 17 + t)).slice(0, AT);
      const gains = new Map([...topic.relevantIds].map((id) => [id, 1]));
      precision.push(ranking.filter((id) => topic.relevantIds.has(id)).length / AT);
      ndcg.push(ndcgAt(AT, ranking, gains));
    }
    methods.push({ method: ranker.method, precision: mean(precision), ndcg: mean(ndcg) });
  }
  const [ours, centroid] = methods;
  const feedback = await runFeedbackTask(months);
  log(`feedback eval: ${feedback.topics.length} topics`);
  return {
    libraryMonth,
    candidateMonth,
    candidates: candidates.length,
    topics: topics.map(({ relevantIds: _, ...topic }) => topic),
    methods,
    pass: !!ours && !!centroid && ours.ndcg > centroid.ndcg,
    feedback,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A text's words by the rule: the index's tokens (stemmed), 4+ letters, not in the stop list. */
export function ruleWords(text: string): Set<string> {
  return new Set(analyze(text).filter((token) => /^[a-z]{4,}$/.test(token) && !STOP.has(token)));
}

export interface FeedbackInput {
  inLibraryMonth: Paper[];
  candidates: Paper[];
  snapshot: CorpusSnapshot;
  fetch: PaperFetcher;
}

/** How the classifier ranks the candidate month (its best AT ids) for a library and its 👎s. */
export type FeedbackRanker = (
  library: Paper[],
  disliked: Paper[],
  eligible: (ref: string) => boolean,
) => Promise<string[]>;

/** The task's ranking with the 👎s: the channel's model as paperboy trains it. */
export const classifierRanker =
  (input: FeedbackInput): FeedbackRanker =>
  async (library, disliked, eligible) => {
    const trained = await trainLibrary(library, input.snapshot, input.fetch, 'classifier', disliked);
    const recs = await recommend(trained, input.snapshot, input.fetch, { limit: AT, eligible });
    return recs.map((r) => r.paper.id);
  };

/**
 * The 👎 feedback task, by the rule in docs/relevance.md ("👎 feedback"). `withDislikes` ranks with the 👎s (the
 * research into other ways of using them passes its own); the rankings without them are always paperboy's.
 */
export async function runFeedbackTask(
  input: FeedbackInput,
  withDislikes: FeedbackRanker = classifierRanker(input),
): Promise<FeedbackEvalReport> {
  const described = (papers: Paper[]) =>
    papers.map((p) => ({
      id: p.id,
      category: p.categories[0] ?? '',
      title: ruleWords(p.title),
      all: ruleWords(`${p.title} ${p.abstract}`),
    }));
  const month1 = described(input.inLibraryMonth);
  const month2 = described(input.candidates);
  type Described = (typeof month1)[number];
  const byTopic = (papers: Described[]) => {
    const topics = new Map<string, Described[]>();
    for (const p of papers)
      for (const w of p.title) {
        const key = `${p.category}|${w}`;
        const list = topics.get(key);
        if (list) list.push(p);
        else topics.set(key, [p]);
      }
    return topics;
  };
  const topics1 = byTopic(month1);
  const topics2 = byTopic(month2);
  const split = (papers: Described[], u: string) => ({
    sub: papers.filter((p) => p.title.has(u)),
    wanted: papers.filter((p) => !p.all.has(u)),
  });
  const qualifying: { category: string; word: string; subtopic: string; m1: ReturnType<typeof split> }[] = [];
  for (const [key, papers] of topics1) {
    if (papers.length < FEEDBACK.minSubtopic + FEEDBACK.minWanted) continue;
    const [category, word] = key.split('|') as [string, string];
    const subwords = new Map<string, number>();
    for (const p of papers) for (const u of p.title) if (u !== word) subwords.set(u, (subwords.get(u) ?? 0) + 1);
    for (const [u, count] of subwords) {
      if (count < FEEDBACK.minSubtopic) continue;
      const m1 = split(papers, u);
      if (m1.wanted.length < FEEDBACK.minWanted || m1.wanted.length <= m1.sub.length) continue;
      const m2 = split(topics2.get(key) ?? [], u);
      if (m2.wanted.length < FEEDBACK.minRelevant || m2.sub.length < FEEDBACK.minSubtopicNext) continue;
      qualifying.push({ category, word, subtopic: u, m1 });
    }
  }
  qualifying.sort(
    (a, b) =>
      b.m1.sub.length - a.m1.sub.length ||
      a.category.localeCompare(b.category) ||
      a.word.localeCompare(b.word) ||
      a.subtopic.localeCompare(b.subtopic),
  );
  const chosen: typeof qualifying = [];
  const used = new Set<string>();
  for (const triple of qualifying) {
    if (chosen.length >= FEEDBACK.topics) break;
    if (used.has(triple.word) || used.has(triple.subtopic)) continue;
    chosen.push(triple);
    used.add(triple.word);
    used.add(triple.subtopic);
  }

  const papers = new Map([...input.inLibraryMonth, ...input.candidates].map((p) => [p.id, p]));
  const candidateIds = new Set(input.candidates.map((p) => p.id));
  const eligible = (ref: string) => candidateIds.has(ref);
  const methodNames = ['paperboy without the 👎s', 'paperboy with the 👎s', 'tf-idf centroid (no 👎s)'];
  const rank = async (library: Paper[], disliked: Paper[], method: RecommendMethod) => {
    const trained = await trainLibrary(library, input.snapshot, input.fetch, method, disliked);
    const recs = await recommend(trained, input.snapshot, input.fetch, { limit: AT, eligible });
    return recs.map((r) => r.paper.id);
  };
  const topics: FeedbackTopic[] = [];
  for (const triple of chosen) {
    const library = triple.m1.wanted
      .map((p) => p.id)
      .sort()
      .slice(0, LIBRARY_K);
    const disliked = triple.m1.sub
      .map((p) => p.id)
      .sort()
      .slice(0, FEEDBACK.dislikes);
    const next = split(topics2.get(`${triple.category}|${triple.word}`) ?? [], triple.subtopic);
    const relevantIds = new Set(next.wanted.map((p) => p.id));
    const unwantedIds = new Set(next.sub.map((p) => p.id));
    const libraryPapers = library.map((id) => papers.get(id)!);
    const dislikedPapers = disliked.map((id) => papers.get(id)!);
    const rankings = [
      await rank(libraryPapers, [], 'classifier'),
      await withDislikes(libraryPapers, dislikedPapers, eligible),
      await rank(libraryPapers, [], 'centroid'),
    ];
    const gains = new Map([...relevantIds].map((id) => [id, 1]));
    topics.push({
      category: triple.category,
      word: triple.word,
      subtopic: triple.subtopic,
      subtopicPapers: triple.m1.sub.length,
      relevant: relevantIds.size,
      library,
      disliked,
      scores: rankings.map((ranking) => ({
        precision: ranking.slice(0, AT).filter((id) => relevantIds.has(id)).length / AT,
        ndcg: ndcgAt(AT, ranking.slice(0, AT), gains),
      })),
      unwanted: rankings.map((ranking) => ranking.slice(0, AT).filter((id) => unwantedIds.has(id)).length),
    });
  }
  const summarize = (subset: FeedbackTopic[]): MethodScore[] =>
    methodNames.map((method, i) => ({
      method,
      precision: mean(subset.map((t) => t.scores[i]!.precision)),
      ndcg: mean(subset.map((t) => t.scores[i]!.ndcg)),
    }));
  const methods = summarize(topics);
  const half = Math.ceil(topics.length / 2);
  const without = methods[0]!.precision;
  const gain = without > 0 ? methods[1]!.precision / without : methods[1]!.precision > 0 ? Number.POSITIVE_INFINITY : 1;
  return {
    topics,
    methods,
    halves: [summarize(topics.slice(0, half)), summarize(topics.slice(half))],
    gain,
    pass: topics.length > 0 && gain >= FEEDBACK.target,
  };
}

export function formatFeedbackTable(report: FeedbackEvalReport): string {
  const header = ['👎 feedback (mean of topics)', 'P@10', 'nDCG@10'];
  const rows = report.methods.map((m) => [m.method, m.precision.toFixed(3), m.ndcg.toFixed(3)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const perTopic = report.topics.map(
    (t, i) =>
      `  ${i + 1}. ${t.category} "${t.word}" not "${t.subtopic}" (${t.subtopicPapers} sub-topic papers, ` +
      `${t.relevant} relevant): P@10 ${t.scores.map((s) => s.precision.toFixed(1)).join(' / ')}, ` +
      `nDCG@10 ${t.scores.map((s) => s.ndcg.toFixed(3)).join(' / ')}, sub-topic papers in the top 10 ` +
      `${t.unwanted.join(' / ')}`,
  );
  const halves = report.halves.map(
    (h, i) =>
      `  topics ${i === 0 ? 'first' : 'second'} half: P@10 ${h.map((m) => m.precision.toFixed(3)).join(' / ')}, ` +
      `nDCG@10 ${h.map((m) => m.ndcg.toFixed(3)).join(' / ')}`,
  );
  return [
    `👎 feedback: ${report.topics.length} topics (per topic and per half: without / with the 👎s / centroid):`,
    ...perTopic,
    ...halves,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    `  ${report.pass ? 'PASS' : 'FAIL'}  P@10 with the 👎s = ${report.gain.toFixed(3)} × without (target ≥ ${FEEDBACK.target})`,
  ].join('\n');
}

export function formatLibraryTable(report: LibraryEvalReport): string {
  const header = ['library recommendations', 'P@10', 'nDCG@10'];
  const rows = report.methods.map((m) => [m.method, m.precision.toFixed(3), m.ndcg.toFixed(3)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `library of ${LIBRARY_K} papers from ${report.libraryMonth}, ranking ${report.candidates} papers of ` +
      `${report.candidateMonth}; ${report.topics.length} topics:`,
    ...report.topics.map((t) => `  ${t.category} "${t.phrase}" (${t.relevant} relevant)`),
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    `  ${report.pass ? 'PASS' : 'FAIL'}  the classifier beats the tf-idf centroid (nDCG@10)`,
    '',
    formatFeedbackTable(report.feedback),
  ].join('\n');
}

if (process.argv[1]?.endsWith('library-eval.ts')) {
  const { defaultSharedDir } = await import('./datasets.ts');
  const report = await runLibraryEval(defaultSharedDir, console.log);
  console.log(formatLibraryTable(report));
  console.log(`${report.seconds.toFixed(1)} s`);
}
