/**
 * Every ranking parameter the research varies, with the sets it acts on and the grid it is searched over.
 * A knob is set by name (`RANKING.alternativeBoost`) on the module objects the engine reads at query time.
 */
import { RANKING } from '../../src/core/search/engine.ts';
import { PROXIMITY } from '../../src/core/search/proximity.ts';
import { PLAN } from '../../src/core/search/query-plan.ts';
import { RELATED } from '../../src/core/search/related.ts';
import { BM25, FIELD_BOOSTS, FIELDS } from '../../src/core/search/search-index.ts';
import { RELATED_SETS, type ResearchKey, type ResearchSet, SEARCH_SETS, withScoring } from './harness.ts';

type Value = number | boolean;

export interface Knob {
  name: string;
  sets: readonly ResearchKey[];
  grid: readonly Value[];
  get(): Value;
  set(value: Value, sets: readonly ResearchSet[]): void;
}

function field<T extends Record<string, unknown>>(
  objName: string,
  obj: T,
  key: keyof T & string,
  sets: readonly ResearchKey[],
  grid: readonly Value[],
): Knob {
  return {
    name: `${objName}.${key}`,
    sets,
    grid,
    get: () => obj[key] as Value,
    set: (value) => {
      (obj as Record<string, unknown>)[key] = value;
    },
  };
}

/** Index-level knobs: the scoring of every set's index changes. */
function scoringKnob(name: string, sets: readonly ResearchKey[], grid: readonly Value[], apply: (v: number) => void) {
  let current: Value = 0;
  return {
    name,
    sets,
    grid,
    get: () => current,
    set: (value: Value, all: readonly ResearchSet[]) => {
      current = value;
      apply(typeof value === 'boolean' ? Number(value) : value);
      withScoring(all, {
        k1: BM25.k1,
        b: BM25.b,
        boosts: FIELDS.map((f) => FIELD_BOOSTS[f]),
        bm25f: BM25.bm25f,
      });
    },
  } satisfies Knob;
}

const ALL_RANKED: readonly ResearchKey[] = [...SEARCH_SETS, ...RELATED_SETS];

export function knobs(): Knob[] {
  const titleBoost = scoringKnob('FIELD_BOOSTS.title', SEARCH_SETS, [1, 1.5, 2, 3, 4, 5], (v) => {
    FIELD_BOOSTS.title = v;
  });
  titleBoost.get = () => FIELD_BOOSTS.title;
  const k1 = scoringKnob('BM25.k1', SEARCH_SETS, [0.6, 0.9, 1.2, 1.5, 2], (v) => {
    BM25.k1 = v;
  });
  k1.get = () => BM25.k1;
  const b = scoringKnob('BM25.b', SEARCH_SETS, [0.3, 0.5, 0.75, 0.9, 1], (v) => {
    BM25.b = v;
  });
  b.get = () => BM25.b;
  const bm25f = scoringKnob('BM25.bm25f', SEARCH_SETS, [false, true], (v) => {
    BM25.bm25f = Boolean(v);
  });
  bm25f.get = () => BM25.bm25f;
  return [
    bm25f,
    field('RELATED', RELATED, 'bm25f', RELATED_SETS, [false, true]),
    field('RANKING', RANKING, 'alternativeBoost', SEARCH_SETS, [0, 0.3, 0.5, 0.7, 1]),
    field('RANKING', RANKING, 'coordinationPower', SEARCH_SETS, [0, 1, 2, 3]),
    field('RANKING', RANKING, 'minFullMatches', SEARCH_SETS, [1, 3, 5, 10]),
    field('PLAN', PLAN, 'dropRequestWords', SEARCH_SETS, [false, true]),
    {
      name: 'PLAN.requestWords',
      sets: SEARCH_SETS,
      grid: [0, 1],
      get: () => (PLAN.requestWords === 'framing' ? 1 : 0),
      set: (v) => {
        PLAN.requestWords = v === 1 ? 'framing' : 'list';
      },
    },
    {
      name: 'PLAN.proseAcronyms',
      sets: SEARCH_SETS,
      grid: [0, 1, 2],
      get: () => ['none', 'certain', 'all'].indexOf(PLAN.proseAcronyms),
      set: (v) => {
        PLAN.proseAcronyms = (['none', 'certain', 'all'] as const)[Number(v)]!;
      },
    },
    field('PLAN', PLAN, 'quotesInProse', SEARCH_SETS, [false, true]),
    field('PLAN', PLAN, 'splitNeedsCommonHalves', SEARCH_SETS, [false, true]),
    field('PLAN', PLAN, 'splitOnlyShort', SEARCH_SETS, [false, true]),
    field('PLAN', PLAN, 'sentenceQueryWords', SEARCH_SETS, [3, 4, 6, 8]),
    field('RANKING', RANKING, 'fullFirst', SEARCH_SETS, [false, true]),
    field('PLAN', PLAN, 'shortAcronyms', SEARCH_SETS, [false, true]),
    field('PLAN', PLAN, 'compoundVariants', SEARCH_SETS, [false, true]),
    field('PROXIMITY', PROXIMITY, 'shortQueries', SEARCH_SETS, [false, true]),
    field('RANKING', RANKING, 'titleMatchFirst', SEARCH_SETS, [false, true]),
    field('RANKING', RANKING, 'titlePhraseFirst', SEARCH_SETS, [false, true]),
    field('PROXIMITY', PROXIMITY, 'weight', SEARCH_SETS, [0, 0.3, 0.6, 1, 2]),
    field('PROXIMITY', PROXIMITY, 'candidates', ALL_RANKED, [20, 50, 100]),
    titleBoost,
    k1,
    b,
    {
      name: 'RELATED.titleBoost',
      sets: RELATED_SETS,
      grid: [1, 1.25, 1.5, 2, 3],
      get: () => RELATED.boosts[0]!,
      set: (v) => {
        RELATED.boosts = [Number(v), 1, 1];
      },
    },
    field('RELATED', RELATED, 'titleWeight', RELATED_SETS, [1, 1.5, 2, 3]),
    field('RELATED', RELATED, 'maxTerms', RELATED_SETS, [30, 60, 120, 200]),
    field('RELATED', RELATED, 'maxDocShare', RELATED_SETS, [0.1, 0.25, 0.5, 1]),
    field('RELATED', RELATED, 'tfPower', RELATED_SETS, [0.5, 1]),
    field('RELATED', RELATED, 'idfPower', RELATED_SETS, [-0.5, -0.2, 0, 0.5, 1]),
    field('RELATED', RELATED, 'proximityWeight', RELATED_SETS, [0, 1, 2, 4, 6]),
    field('RELATED', RELATED, 'b', RELATED_SETS, [0.5, 0.75, 0.9, 1]),
  ];
}

/** Sets knobs by `NAME=value` strings (numbers or true/false). */
export function applyOverrides(overrides: readonly string[], sets: readonly ResearchSet[]): void {
  const all = knobs();
  for (const override of overrides) {
    const [name, raw] = override.split('=');
    const knob = all.find((k) => k.name === name);
    if (!knob || raw === undefined) throw new Error(`unknown knob ${override} (${all.map((k) => k.name).join(', ')})`);
    knob.set(
      raw === 'true' ? true : raw === 'false' ? false : raw === 'inf' ? Number.POSITIVE_INFINITY : Number(raw),
      sets,
    );
  }
}
