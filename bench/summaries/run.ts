/**
 * The SciTLDR summary eval: paperboy's TL;DR beside the lead sentence, the oracle and paperboy's TL;DR before
 * issue 14, each rule's worth (the figure with it switched off), a 2-fold cross-validation of the weights, the
 * time per paper, and the targets of issue 14.
 */
import type { Paper } from '../../src/core/papers/paper.ts';
import { splitSentences } from '../../src/core/summarize/sentences.ts';
import { summarize } from '../../src/core/summarize/summarize.ts';
import { pickTldr, sentenceFeatures, TLDR_RULES, type TldrRules } from '../../src/core/summarize/tldr.ts';
import { leadSentence, oldTldr, oldWhatTheyDid, oracleSentence } from './baselines.ts';
import { meanRouge, type Rouge, rougeMax } from './rouge.ts';
import type { TldrPaper } from './scitldr.ts';

export const SUMMARY_TARGETS = { r1: 42.0, r2: 20.0, rL: 34.0, msPerPaper: 5 } as const;

export interface SystemScore {
  name: string;
  rouge: Rouge;
}

export interface Ablation {
  rule: string;
  rouge: Rouge;
  /** What the rule is worth (ROUGE average with it minus without it) on the even and on the odd papers. */
  worthByHalf: [number, number];
}

export interface FoldResult {
  /** Weights chosen on the tuning half. */
  weights: Partial<TldrRules>;
  tuned: Rouge;
  /** The same weights on the other half. */
  heldOut: Rouge;
  /** The default weights on the other half. */
  defaultsHeldOut: Rouge;
}

export interface SummaryReport {
  papers: number;
  systems: SystemScore[];
  paperboy: Rouge;
  ablations: Ablation[];
  folds: FoldResult[];
  msPerPaper: { mean: number; max: number };
  targets: { name: string; pass: boolean }[];
  pass: boolean;
}

/** A SciTLDR paper as paperboy stores papers: the abstract is its sentences joined. */
export function asPaper(paper: TldrPaper): Paper {
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.sentences.join(' '),
    authors: [],
    categories: [],
    source: 'scitldr',
  };
}

/** One number to rank settings by: the mean of ROUGE-1, -2 and -L. */
export const rougeAverage = (r: Rouge) => (r.r1 + r.r2 + r.rL) / 3;

/** Scores TL;DRs, remembering each (paper, text) pair: tuning asks about the same sentences many times. */
export function createScorer(papers: readonly TldrPaper[]) {
  const cache = papers.map(() => new Map<string, Rouge>());
  return (indexes: readonly number[], tldr: (paper: TldrPaper) => string): Rouge =>
    meanRouge(
      indexes.map((i) => {
        const paper = papers[i]!;
        const text = tldr(paper);
        let rouge = cache[i]!.get(text);
        if (!rouge) {
          rouge = rougeMax(text, paper.targets);
          cache[i]!.set(text, rouge);
        }
        return rouge;
      }),
    );
}

/** Each rule switched off in turn: a weight set to 0, a trimming step skipped. */
export const ABLATIONS: { rule: string; change: Partial<TldrRules> }[] = [
  { rule: 'contribution cue', change: { cue: 0 } },
  { rule: 'title coverage', change: { title: 0 } },
  { rule: 'title density', change: { titleDensity: 0 } },
  { rule: 'centrality', change: { centrality: 0 } },
  { rule: 'position', change: { position: 0 } },
  { rule: 'first own-work sentence', change: { firstOwn: 0 } },
  { rule: 'lead-in trimming', change: { trimLeadIn: false } },
];

/** The weights tried by the cross-validation: each around its default (3^6 = 729 settings). */
export const WEIGHT_GRID: Partial<Record<keyof TldrRules, number[]>> = {
  cue: [0.25, 0.5, 1],
  title: [0.25, 0.5, 1],
  titleDensity: [0, 0.25, 0.5],
  centrality: [0.5, 1, 2],
  position: [-0.5, -0.25, 0],
  firstOwn: [0, 0.1, 0.25],
};

function gridSettings(): Partial<TldrRules>[] {
  let settings: Partial<TldrRules>[] = [{}];
  for (const [key, values] of Object.entries(WEIGHT_GRID)) {
    settings = settings.flatMap((s) => values.map((v) => ({ ...s, [key]: v })));
  }
  return settings;
}

export function runSummaryEval(papers: readonly TldrPaper[]): SummaryReport {
  const all = papers.map((_, i) => i);
  const score = createScorer(papers);
  const stored = papers.map(asPaper);
  const index = new Map(papers.map((paper, i) => [paper, i]));
  const shown = (rules: TldrRules) => (paper: TldrPaper) => summarize(stored[index.get(paper)!]!, rules).tldr;

  // Warmed up first, so the figure is the steady state rather than the JIT compiling the regular expressions.
  for (const paper of stored.slice(0, 20)) summarize(paper);
  const times: number[] = [];
  const timed = (paper: TldrPaper) => {
    const started = performance.now();
    const summary = summarize(stored[index.get(paper)!]!);
    times.push(performance.now() - started);
    return summary.tldr;
  };
  const paperboy = score(all, timed);
  const systems: SystemScore[] = [
    { name: 'first sentence (lead)', rouge: score(all, leadSentence) },
    { name: 'best single sentence (oracle)', rouge: score(all, oracleSentence) },
    { name: 'paperboy before: TL;DR', rouge: score(all, oldTldr) },
    { name: 'paperboy before: "What they did"', rouge: score(all, oldWhatTheyDid) },
    { name: 'paperboy TL;DR', rouge: paperboy },
  ];
  const halves = splitHalves(papers.length);
  const byHalf = halves.map((half) => rougeAverage(score(half, shown(TLDR_RULES))));
  const ablations = ABLATIONS.map(({ rule, change }): Ablation => {
    const without = shown({ ...TLDR_RULES, ...change });
    const worth = (h: 0 | 1) => byHalf[h]! - rougeAverage(score(halves[h]!, without));
    return { rule, rouge: score(all, without), worthByHalf: [worth(0), worth(1)] };
  });
  const msPerPaper = { mean: times.reduce((a, b) => a + b, 0) / times.length, max: Math.max(...times) };
  const targets = [
    { name: `ROUGE-1 >= ${SUMMARY_TARGETS.r1}`, pass: paperboy.r1 >= SUMMARY_TARGETS.r1 },
    { name: `ROUGE-2 >= ${SUMMARY_TARGETS.r2}`, pass: paperboy.r2 >= SUMMARY_TARGETS.r2 },
    { name: `ROUGE-L >= ${SUMMARY_TARGETS.rL}`, pass: paperboy.rL >= SUMMARY_TARGETS.rL },
    { name: `< ${SUMMARY_TARGETS.msPerPaper} ms per paper`, pass: msPerPaper.mean < SUMMARY_TARGETS.msPerPaper },
  ];
  return {
    papers: papers.length,
    systems,
    paperboy,
    ablations,
    folds: crossValidate(papers, score),
    msPerPaper,
    targets,
    pass: targets.every((t) => t.pass),
  };
}

/** The two folds: papers at even and at odd positions of the file. */
export function splitHalves(count: number): [number[], number[]] {
  const all = Array.from({ length: count }, (_, i) => i);
  return [all.filter((i) => i % 2 === 0), all.filter((i) => i % 2 === 1)];
}

/**
 * 2-fold cross-validation: the weights of WEIGHT_GRID tuned on the even papers are measured on the odd ones and
 * the other way round. Sentences are scored from features computed once (the TL;DR unclipped), so the grid runs in
 * seconds.
 */
export function crossValidate(papers: readonly TldrPaper[], score: ReturnType<typeof createScorer>): FoldResult[] {
  const prepared = new Map(
    papers.map((paper) => {
      const sentences = splitSentences(asPaper(paper).abstract);
      return [paper, { sentences, features: sentenceFeatures(sentences, paper.title) }];
    }),
  );
  const tldr = (rules: TldrRules) => (paper: TldrPaper) => {
    const { sentences, features } = prepared.get(paper)!;
    return pickTldr(sentences, features, rules).text;
  };
  const halves = splitHalves(papers.length);
  const settings = gridSettings();
  return halves.map((tune, f): FoldResult => {
    const test = halves[1 - f]!;
    let best: Partial<TldrRules> = {};
    let bestRouge = score(tune, tldr(TLDR_RULES));
    for (const setting of settings) {
      const rouge = score(tune, tldr({ ...TLDR_RULES, ...setting }));
      if (rougeAverage(rouge) > rougeAverage(bestRouge)) {
        best = setting;
        bestRouge = rouge;
      }
    }
    return {
      weights: best,
      tuned: bestRouge,
      heldOut: score(test, tldr({ ...TLDR_RULES, ...best })),
      defaultsHeldOut: score(test, tldr(TLDR_RULES)),
    };
  });
}

const fmt = (r: Rouge) =>
  `${r.r1.toFixed(1).padStart(5)} ${r.r2.toFixed(1).padStart(5)} ${r.rL.toFixed(1).padStart(5)}`;
const delta = (a: Rouge, b: Rouge) =>
  [a.r1 - b.r1, a.r2 - b.r2, a.rL - b.rL].map((d) => `${d >= 0 ? '+' : ''}${d.toFixed(1)}`.padStart(5)).join(' ');

export function formatSummaryTable(report: SummaryReport): string {
  const width = Math.max(
    ...report.systems.map((s) => s.name.length),
    ...report.ablations.map((a) => a.rule.length + 10),
  );
  const out = [`SciTLDR-A dev, ${report.papers} papers: ROUGE-1 / ROUGE-2 / ROUGE-L F1 (max over references)`];
  out.push(`${'TL;DR'.padEnd(width)}    R-1   R-2   R-L`);
  for (const s of report.systems) out.push(`${s.name.padEnd(width)}  ${fmt(s.rouge)}`);
  out.push('', 'rule switched off          (worth = paperboy minus this; by half: ROUGE average, even / odd papers)');
  for (const a of report.ablations) {
    const halves = a.worthByHalf.map((w) => `${w >= 0 ? '+' : ''}${w.toFixed(2)}`).join(' / ');
    out.push(
      `${`  without ${a.rule}`.padEnd(width)}  ${fmt(a.rouge)}   worth ${delta(report.paperboy, a.rouge)}  ${halves}`,
    );
  }
  out.push('', '2-fold cross-validation of the weights (even / odd papers):');
  report.folds.forEach((f, i) => {
    out.push(
      `  tuned on half ${i + 1}: ${fmt(f.tuned)}; on half ${2 - i}: ${fmt(f.heldOut)}` +
        ` (defaults there: ${fmt(f.defaultsHeldOut)}) weights ${JSON.stringify(f.weights)}`,
    );
  });
  out.push(
    '',
    `time: ${report.msPerPaper.mean.toFixed(3)} ms per paper on average, ${report.msPerPaper.max.toFixed(2)} ms at most`,
  );
  for (const t of report.targets) out.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}`);
  out.push(report.pass ? 'PASS' : 'FAIL');
  return out.join('\n');
}
