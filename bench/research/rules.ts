/**
 * The per-rule table (issue 25): each search rule measured on and off on its own (the rest as configured: the
 * defaults, or `--set` values), and each parameter at paperboy's value and at the baseline's, scored on every search
 * set, on both halves of each and on each query shape (bench/splits.ts), beside plain Lunr. A rule stays on by
 * default only if switching it off never raises a set's or a half's main figure (docs/relevance.md, "Halves and query
 * shapes").
 *
 *   npx tsx bench/research/rules.ts [--sets cacm,cisi,methodNames,titleItems,cacmCiting] [--method-sample N]
 *       [--set KNOB=VALUE ...]   run everything on top of these knob values
 *       [--json FILE]            every row's figures as JSON
 *       [--no-lunr]              without the plain Lunr row (it takes minutes on the whole arXiv corpus)
 *       [--only]                 only the configured row (each --config, or the defaults), no rule switched
 *       [--config 'KNOB=V KNOB=V' ...]  with --only: one row per configuration, on top of --set
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RANKING } from '../../src/core/search/engine.ts';
import { PROXIMITY } from '../../src/core/search/proximity.ts';
import { PLAN } from '../../src/core/search/query-plan.ts';
import { BM25, FIELD_BOOSTS, FIELDS } from '../../src/core/search/search-index.ts';
import { createPlainLunrEngine } from '../baselines/plain-lunr.ts';
import { loadCacmCiting } from '../datasets/cacm-citing.ts';
import { loadCisi } from '../datasets/cisi.ts';
import { loadMethodNames, loadTitleItems } from '../datasets/method-names.ts';
import { defaultSharedDir, loadCacm } from '../datasets.ts';
import type { EvalDoc, EvalEngine } from '../engine.ts';
import { type LoadedSet, loadSets, type SetKey } from '../eval.ts';
import { mean } from '../ndcg.ts';
import { halfOf, queryShape } from '../splits.ts';
import {
  loadResearchSets,
  RESEARCH_LABELS,
  type ResearchKey,
  type ResearchSet,
  runAll,
  withScoring,
} from './harness.ts';
import { applyOverrides } from './knobs.ts';

/** Where a rule's switches live. */
const TARGETS = { BM25, FIELD_BOOSTS, RANKING, PLAN, PROXIMITY } as const;
type Target = keyof typeof TARGETS;
type Setting = Partial<Record<Target, Record<string, unknown>>>;

/** A rule or parameter: its values when on (or at paperboy's value) and off (or at the baseline's value). */
export interface Rule {
  name: string;
  on: Setting;
  off: Setting;
}

/** Index-level knobs re-score every set's segments (see harness.ts withScoring). */
function rescore(sets: readonly ResearchSet[]): void {
  withScoring(sets, { k1: BM25.k1, b: BM25.b, boosts: FIELDS.map((f) => FIELD_BOOSTS[f]), bm25f: BM25.bm25f });
}

/** Applies a setting; returns how to put back what it changed. */
function apply(setting: Setting, sets: readonly ResearchSet[]): () => void {
  const undo: (() => void)[] = [];
  for (const [target, values] of Object.entries(setting) as [Target, Record<string, unknown>][]) {
    const object = TARGETS[target] as Record<string, unknown>;
    const before = Object.fromEntries(Object.keys(values).map((k) => [k, object[k]]));
    Object.assign(object, values);
    undo.push(() => Object.assign(object, before));
  }
  rescore(sets);
  return () => {
    for (const step of undo.reverse()) step();
    rescore(sets);
  };
}

/** True when the engine is at this setting now. */
function isAt(setting: Setting): boolean {
  return (Object.entries(setting) as [Target, Record<string, unknown>][]).every(([target, values]) =>
    Object.entries(values).every(([k, v]) => (TARGETS[target] as Record<string, unknown>)[k] === v),
  );
}

export const RULES: Rule[] = [
  { name: 'BM25F (off: per-field BM25)', on: { BM25: { bm25f: true } }, off: { BM25: { bm25f: false } } },
  { name: 'title weight 2 (off: 1)', on: { FIELD_BOOSTS: { title: 2 } }, off: { FIELD_BOOSTS: { title: 1 } } },
  {
    name: "k1 1.2, b 0.75 (off: Anserini's 0.9, 0.4)",
    on: { BM25: { k1: 1.2, b: 0.75 } },
    off: { BM25: { k1: 0.9, b: 0.4 } },
  },
  {
    name: 'title/name match first',
    on: { RANKING: { titleMatchFirst: true } },
    off: { RANKING: { titleMatchFirst: false } },
  },
  {
    name: 'title phrase first (short)',
    on: { RANKING: { titlePhraseFirst: true } },
    off: { RANKING: { titlePhraseFirst: false } },
  },
  {
    name: 'all words first (short)',
    on: { RANKING: { fullFirst: true } },
    off: { RANKING: { fullFirst: false } },
  },
  {
    name: 'partial matches × coverage^2 (off: ^0)',
    on: { RANKING: { coordinationPower: 2 } },
    off: { RANKING: { coordinationPower: 0 } },
  },
  { name: 'acronyms in short queries', on: { PLAN: { shortAcronyms: true } }, off: { PLAN: { shortAcronyms: false } } },
  { name: 'compound spellings', on: { PLAN: { compoundVariants: true } }, off: { PLAN: { compoundVariants: false } } },
  {
    name: 'request framing dropped (long)',
    on: { PLAN: { dropRequestWords: true } },
    off: { PLAN: { dropRequestWords: false } },
  },
  {
    name: 'quotes in prose join (long)',
    on: { PLAN: { quotesInProse: true } },
    off: { PLAN: { quotesInProse: false } },
  },
  {
    name: "prose acronyms 'certain' (off: none)",
    on: { PLAN: { proseAcronyms: 'certain' } },
    off: { PLAN: { proseAcronyms: 'none' } },
  },
  {
    name: 'proximity 0.6, long queries',
    on: { PROXIMITY: { weight: 0.6 } },
    off: { PROXIMITY: { weight: 0 } },
  },
  {
    name: 'proximity on short queries too',
    on: { PROXIMITY: { shortQueries: true } },
    off: { PROXIMITY: { shortQueries: false } },
  },
];

/** A row's figures on one set: the whole set, its halves, its shapes (NaN when a part has no query). */
export interface Parts {
  all: number;
  a: number;
  b: number;
  short: number;
  long: number;
}

const PART_NAMES = ['all', 'a', 'b', 'short', 'long'] as const;

export function parts(perQuery: Record<string, number>, queries: Record<string, string>): Parts {
  const pick = (keep: (id: string) => boolean) => {
    const values = Object.entries(perQuery).flatMap(([id, v]) => (keep(id) ? [v] : []));
    return values.length ? mean(values) : Number.NaN;
  };
  return {
    all: pick(() => true),
    a: pick((id) => halfOf(id) === 'a'),
    b: pick((id) => halfOf(id) === 'b'),
    short: pick((id) => queryShape(queries[id] ?? '') === 'short'),
    long: pick((id) => queryShape(queries[id] ?? '') === 'long'),
  };
}

type Row = Partial<Record<ResearchKey, Parts>>;

/** Every knob's value now, and how to put them all back. */
function snapshotKnobs(): (sets: readonly ResearchSet[]) => void {
  const saved = Object.entries(TARGETS).map(([, object]) => [object, { ...object }] as const);
  return (sets) => {
    for (const [object, values] of saved) Object.assign(object, values);
    rescore(sets);
  };
}

/** Markdown: one row of figures per configuration. */
function formatConfigs(keys: readonly ResearchKey[], rows: { rule: string; row: Row }[]): string {
  const head = ['configuration', ...keys.flatMap((k) => PART_NAMES.map((p) => `${RESEARCH_LABELS[k]} ${p}`))];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  for (const { rule, row } of rows)
    lines.push(
      `| ${rule} | ${keys.flatMap((k) => PART_NAMES.map((p) => fmt(row[k]?.[p] ?? Number.NaN))).join(' | ')} |`,
    );
  return lines.join('\n');
}

async function measureAt(setting: Setting, sets: readonly ResearchSet[]): Promise<Row> {
  const restore = apply(setting, sets);
  try {
    return await paperboyRow(sets);
  } finally {
    restore();
  }
}

async function paperboyRow(sets: readonly ResearchSet[]): Promise<Row> {
  const results = await runAll(sets);
  return Object.fromEntries(
    sets.map((set) => [set.key, parts(results[set.key]!.perQuery, results[set.key]!.queries ?? {})]),
  );
}

/** Plain Lunr (bench/baselines) on the same sets, queries and splits; one index per corpus. */
async function plainLunrRow(keys: readonly ResearchKey[], shared: string, sample?: number): Promise<Row> {
  const loaded = await loadSets(shared, keys as SetKey[], { methodSample: sample });
  const queries = await queryTexts(keys, shared, sample);
  const built = new Map<readonly EvalDoc[], EvalEngine>();
  const row: Row = {};
  for (const set of loaded as LoadedSet[]) {
    let engine = built.get(set.docs);
    if (!engine) {
      engine = createPlainLunrEngine();
      await engine.build(set.docs);
      built.set(set.docs, engine);
    }
    const figures = await set.score(engine);
    const perQuery = Object.fromEntries(Object.entries(figures).map(([id, f]) => [id, f[set.main]!]));
    row[set.key as ResearchKey] = parts(perQuery, queries[set.key as ResearchKey] ?? {});
  }
  return row;
}

async function queryTexts(
  keys: readonly ResearchKey[],
  shared: string,
  sample?: number,
): Promise<Partial<Record<ResearchKey, Record<string, string>>>> {
  const out: Partial<Record<ResearchKey, Record<string, string>>> = {};
  for (const key of keys) {
    const data =
      key === 'cacm'
        ? loadCacm(shared)
        : key === 'cisi'
          ? loadCisi(shared)
          : key === 'cacmCiting'
            ? loadCacmCiting(shared)
            : key === 'titleItems'
              ? await loadTitleItems(shared, { sample })
              : await loadMethodNames(shared, { sample });
    out[key] = Object.fromEntries(data.queries.map((q) => [q.id, q.query]));
  }
  return out;
}

const fmt = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(4));
const signed = (value: number) => (Number.isNaN(value) ? '—' : `${value >= 0 ? '+' : ''}${value.toFixed(4)}`);

/** Markdown: the configured figures, and per rule and part what the rule adds (on − off; negative = it loses). */
export function formatRules(
  keys: readonly ResearchKey[],
  defaults: Row,
  offs: { rule: string; row: Row; on: Row }[],
  lunr?: Row,
): string {
  const head = ['row', ...keys.flatMap((k) => PART_NAMES.map((p) => `${RESEARCH_LABELS[k]} ${p}`)), 'loses on'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`];
  const figures = (label: string, row: Row) =>
    `| ${label} | ${keys.flatMap((k) => PART_NAMES.map((p) => fmt(row[k]?.[p] ?? Number.NaN))).join(' | ')} | |`;
  lines.push(figures('as configured', defaults));
  if (lunr) lines.push(figures('plain Lunr', lunr));
  for (const { rule, row, on } of offs) {
    const losses: string[] = [];
    const cells = keys.flatMap((k) =>
      PART_NAMES.map((p) => {
        const gain = (on[k]?.[p] ?? Number.NaN) - (row[k]?.[p] ?? Number.NaN);
        // Halves and the whole decide; shapes say where a rule could be scoped.
        if (gain < 0 && (p === 'all' || p === 'a' || p === 'b')) losses.push(`${RESEARCH_LABELS[k]} ${p}`);
        return signed(gain);
      }),
    );
    lines.push(`| ${rule} | ${cells.join(' | ')} | ${losses.join(', ') || 'never'} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sets: { type: 'string' },
      'method-sample': { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      json: { type: 'string' },
      'no-lunr': { type: 'boolean', default: false },
      only: { type: 'boolean', default: false },
      config: { type: 'string', multiple: true, default: [] },
    },
  });
  const keys = (values.sets?.split(',') ?? [
    'cacm',
    'cisi',
    'methodNames',
    'titleItems',
    'cacmCiting',
  ]) as ResearchKey[];
  const sample = values['method-sample'] === undefined ? undefined : Number(values['method-sample']);
  const sets = await loadResearchSets(keys, { methodSample: sample, log: (l) => console.error(l) });
  applyOverrides(values.set, sets);
  if (values.only) {
    const configs = values.config.length ? values.config : [''];
    const rows: { rule: string; row: Row; on: Row }[] = [];
    for (const config of configs) {
      const knobs = config.split(/\s+/).filter(Boolean);
      const restore = snapshotKnobs();
      applyOverrides(knobs, sets);
      const row = await paperboyRow(sets);
      rows.push({ rule: config || 'defaults', row, on: row });
      restore(sets);
      console.error(`ran ${config || 'defaults'}`);
    }
    console.log(formatConfigs(keys, rows));
    return;
  }
  const current = await paperboyRow(sets);
  const offs: { rule: string; row: Row; on: Row }[] = [];
  for (const rule of RULES) {
    // Each rule measured on and off, everything else as configured: the configured run is one of the two.
    const wasOn = isAt(rule.on);
    const wasOff = isAt(rule.off);
    const other = wasOn ? rule.off : rule.on;
    const restore = apply(other, sets);
    let row: Row;
    try {
      row = await paperboyRow(sets);
    } finally {
      restore();
    }
    const on = wasOn ? current : wasOff ? row : await measureAt(rule.on, sets);
    const off = wasOn ? row : wasOff ? current : await measureAt(rule.off, sets);
    offs.push({ rule: `${rule.name}${wasOn ? '' : wasOff ? ' [now off]' : ' [now neither]'}`, row: off, on });
    console.error(`ran ${rule.name}`);
  }
  const lunr = values['no-lunr'] ? undefined : await plainLunrRow(keys, defaultSharedDir, sample);
  console.log(formatRules(keys, current, offs, lunr));
  if (values.json) writeFileSync(values.json, JSON.stringify({ keys, current, offs, lunr }, null, 1));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  });
}
