/**
 * Fidelity of paperboy's search to Lunr, on two levels, for every bench query, against `lunr.Index#query` on a
 * real lunr.Index of the same papers (bench/support/lunr-reference.ts) with the clauses a plain word query gets
 * (every analyzed word an OPTIONAL term):
 * - engine: paperboy's search index (SearchIndex#top, the compact index that replaces lunr.Index) with the
 *   same clauses must give the same top 10: same ids in the same order, scores within 1e-6 (documents tied on
 *   score may swap places). Any difference is a failure.
 * - search: the top 10 of the SearchService the bot uses; where it ranks differently on purpose (papers
 *   matching every word first, acronym expansion, typo correction, re-ranking such as proximity), the
 *   difference is named, not hidden; a paper Lunr does not match at all is unexplained.
 */
export interface RankedHit {
  id: string;
  score: number;
}

export interface LunrHit extends RankedHit {
  /** The document matched every query word. */
  allWords: boolean;
}

export const SCORE_EPSILON = 1e-6;
export const TOP_K = 10;

/** Verdicts: identical, or different for a named, deliberate reason, or unexplained. */
export type Verdict = 'identical' | 'all-words-first' | 'expansion' | 'typo-correction' | 're-ranked' | 'different';

export const VERDICT_LABELS: Record<Exclude<Verdict, 'identical' | 'different'>, string> = {
  'all-words-first': 'papers matching every word first',
  expansion: 'acronym/variant expansion or repeated words',
  'typo-correction': 'typo correction',
  're-ranked': 're-ranked among the papers Lunr matches',
};

/**
 * `actual` equals the first k of `reference`: same length, scores within epsilon rank by rank, and ids equal
 * except that documents tied on score (in the whole reference list) may appear in any order.
 */
export function sameTopK(
  actual: readonly RankedHit[],
  reference: readonly RankedHit[],
  k: number,
  epsilon = SCORE_EPSILON,
): boolean {
  const n = Math.min(k, reference.length);
  if (actual.length !== n) return false;
  for (let i = 0; i < n; i++) if (Math.abs(actual[i]!.score - reference[i]!.score) > epsilon) return false;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const { id } = actual[i]!;
    if (seen.has(id)) return false;
    seen.add(id);
    if (id === reference[i]!.id) continue;
    const score = reference[i]!.score;
    const tied = reference.some((hit) => hit.id === id && Math.abs(hit.score - score) <= epsilon);
    if (!tied) return false;
  }
  return true;
}

export interface QueryFacts {
  /** The planner added alternatives (acronym ↔ long form, spelling variants) or weighted repeated words. */
  expanded: boolean;
  /** paperboy ran a corrected query. */
  corrected: boolean;
}

/** Why paperboy's top 10 differs from Lunr's (or that it doesn't). */
export function verdictFor(
  actual: readonly RankedHit[],
  lunrHits: readonly LunrHit[],
  facts: QueryFacts,
  k = TOP_K,
): Verdict {
  if (sameTopK(actual, lunrHits, k)) return 'identical';
  if (facts.corrected) return 'typo-correction';
  if (facts.expanded) return 'expansion';
  // paperboy shows the papers that match every word (in Lunr's order, with Lunr's scores) before any partial match.
  const full = lunrHits.filter((hit) => hit.allWords);
  const fullIds = new Set(full.map((hit) => hit.id));
  let f = 0;
  while (f < actual.length && fullIds.has(actual[f]!.id)) f++;
  if (f > 0 && sameTopK(actual.slice(0, f), full, f)) {
    const allIds = new Set(lunrHits.map((hit) => hit.id));
    const restArePartial = actual.slice(f).every((hit) => allIds.has(hit.id) && !fullIds.has(hit.id));
    if ((f === actual.length || f === full.length) && restArePartial) return 'all-words-first';
  }
  const matched = new Set(lunrHits.map((hit) => hit.id));
  if (actual.every((hit) => matched.has(hit.id))) return 're-ranked';
  return 'different';
}

export interface FidelityExample {
  query: string;
  verdict: Verdict;
  paperboy: RankedHit[];
  lunr: RankedHit[];
}

export interface FidelityReport {
  /** Engine level: SearchIndex#top against lunr.Index#query, same clauses. */
  engine: { total: number; identical: number; examples: Omit<FidelityExample, 'verdict'>[] };
  /** Search level: SearchService#search against lunr.Index#query. */
  total: number;
  identical: number;
  deliberate: Record<Exclude<Verdict, 'identical' | 'different'>, number>;
  unexplained: number;
  /** Up to five unexplained differences, for debugging. */
  examples: FidelityExample[];
}

export function emptyFidelity(): FidelityReport {
  return {
    engine: { total: 0, identical: 0, examples: [] },
    total: 0,
    identical: 0,
    deliberate: { 'all-words-first': 0, expansion: 0, 'typo-correction': 0, 're-ranked': 0 },
    unexplained: 0,
    examples: [],
  };
}

export function addEngineComparison(
  report: FidelityReport,
  identical: boolean,
  example: Omit<FidelityExample, 'verdict'>,
): void {
  report.engine.total++;
  if (identical) report.engine.identical++;
  else if (report.engine.examples.length < 5) report.engine.examples.push(example);
}

export function addVerdict(report: FidelityReport, verdict: Verdict, example: Omit<FidelityExample, 'verdict'>): void {
  report.total++;
  if (verdict === 'identical') report.identical++;
  else if (verdict === 'different') {
    report.unexplained++;
    if (report.examples.length < 5) report.examples.push({ ...example, verdict });
  } else report.deliberate[verdict]++;
}

export function fidelityLine(report: FidelityReport): string {
  const deliberate = Object.values(report.deliberate).reduce((a, b) => a + b, 0);
  const reasons = (Object.keys(VERDICT_LABELS) as (keyof typeof VERDICT_LABELS)[])
    .filter((key) => report.deliberate[key] > 0)
    .map((key) => `${VERDICT_LABELS[key]} ${report.deliberate[key]}`);
  return (
    `fidelity: engine ${report.engine.identical}/${report.engine.total} identical top-10 to lunr.Index#query ` +
    `on paperboy's index (same clauses; ids, scores within ${SCORE_EPSILON}); ` +
    `search ${report.identical}/${report.total} identical, ` +
    `${deliberate} deliberately different${reasons.length ? ` (${reasons.join(', ')})` : ''}, ` +
    `${report.unexplained} unexplained`
  );
}
