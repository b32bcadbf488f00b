/**
 * Ranking research runner (issue 13). Builds paperboy once per set, then:
 *
 *   npx tsx bench/research/run.ts [--sets cacm,cisi,methodNames,csfcube,cacmCites] [--method-sample N]
 *       [--set KNOB=VALUE ...]            one row with these knobs
 *       [--grid KNOB ...]                 one row per value of the knob's grid
 *       [--loco [KNOB ...]]               leave-one-collection-out per knob (every knob when none is named)
 *       [--per-query FILE]                per-query figures of the single row as JSON
 *
 * LOCO: for each set the knob acts on, the value is chosen on the OTHER sets (best mean of their main figures;
 * ties keep the current default) and measured on the held set, beside the default and the held set's own best.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mean } from '../ndcg.ts';
import {
  formatRow,
  loadResearchSets,
  RESEARCH_KEYS,
  RESEARCH_LABELS,
  type ResearchKey,
  type ResearchSet,
  type Results,
  runAll,
} from './harness.ts';
import { applyOverrides, type Knob, knobs } from './knobs.ts';

type Value = number | boolean;

export interface LocoFold {
  held: ResearchKey;
  chosen: Value;
  atChosen: number;
  atDefault: number;
  best: Value;
  atBest: number;
}

/** Leave-one-collection-out folds of one knob from its grid results. */
export function locoFolds(
  grid: readonly Value[],
  results: readonly Results[],
  sets: readonly ResearchKey[],
  defaultValue: Value,
): LocoFold[] {
  const at = (i: number, key: ResearchKey) => results[i]![key]!.main;
  const d = Math.max(0, grid.indexOf(defaultValue));
  return sets.map((held) => {
    const others = sets.filter((s) => s !== held);
    let chosen = d;
    let bestOthers = others.length ? mean(others.map((s) => at(d, s))) : Number.NEGATIVE_INFINITY;
    let best = d;
    grid.forEach((_, i) => {
      const score = others.length ? mean(others.map((s) => at(i, s))) : Number.NEGATIVE_INFINITY;
      if (score > bestOthers + 1e-12) {
        bestOthers = score;
        chosen = i;
      }
      if (at(i, held) > at(best, held) + 1e-12) best = i;
    });
    return {
      held,
      chosen: grid[chosen]!,
      atChosen: at(chosen, held),
      atDefault: at(d, held),
      best: grid[best]!,
      atBest: at(best, held),
    };
  });
}

async function gridResults(knob: Knob, sets: readonly ResearchSet[], log: (line: string) => void): Promise<Results[]> {
  const original = knob.get();
  const touched = sets.filter((s) => knob.sets.includes(s.key));
  const keys = touched.map((s) => s.key);
  const out: Results[] = [];
  for (const value of knob.grid) {
    knob.set(value, sets);
    const results = await runAll(touched);
    out.push(results);
    log(formatRow(`${knob.name}=${value}${value === original ? ' *' : ''}`, results, keys));
  }
  knob.set(original, sets);
  return out;
}

function formatFolds(knob: Knob, folds: readonly LocoFold[], defaultValue: Value): string[] {
  return folds.map(
    (f) =>
      `  ${knob.name} held ${RESEARCH_LABELS[f.held].padEnd(8)} default ${String(defaultValue).padStart(5)} ` +
      `${f.atDefault.toFixed(4)} | LOCO choice ${String(f.chosen).padStart(5)} ${f.atChosen.toFixed(4)} ` +
      `(${(f.atChosen - f.atDefault >= 0 ? '+' : '') + (f.atChosen - f.atDefault).toFixed(4)}) | ` +
      `held-set best ${String(f.best).padStart(5)} ${f.atBest.toFixed(4)}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sets: { type: 'string' },
      'method-sample': { type: 'string' },
      set: { type: 'string', multiple: true, default: [] },
      grid: { type: 'string', multiple: true, default: [] },
      loco: { type: 'boolean', default: false },
      'per-query': { type: 'string' },
    },
    allowPositionals: true,
  });
  const log = (line: string) => console.log(line);
  const keys = (values.sets?.split(',') ?? [...RESEARCH_KEYS]) as ResearchKey[];
  const sample = values['method-sample'] === undefined ? undefined : Number(values['method-sample']);
  const sets = await loadResearchSets(keys, { methodSample: sample, log: (l) => console.error(l) });
  applyOverrides(values.set, sets);
  const base = await runAll(sets);
  log(formatRow(values.set.length ? values.set.join(' ') : 'defaults', base, keys));
  log(`ms/query: ${keys.map((k) => `${RESEARCH_LABELS[k]} ${base[k]!.msPerQuery.toFixed(2)}`).join('  ')}`);
  if (values['per-query']) writeFileSync(values['per-query'], JSON.stringify(base, null, 1));
  for (const name of values.grid) {
    const knob = knobs().find((k) => k.name === name);
    if (!knob) throw new Error(`unknown knob ${name}`);
    await gridResults(knob, sets, log);
  }
  if (values.loco) {
    const names = new Set(
      process.argv.slice(2).filter((a) => !a.startsWith('--') && knobs().some((k) => k.name === a)) as string[],
    );
    for (const knob of knobs()) {
      if (names.size && !names.has(knob.name)) continue;
      const touched = keys.filter((k) => knob.sets.includes(k));
      if (!touched.length) continue;
      log(`\n${knob.name} over ${touched.map((k) => RESEARCH_LABELS[k]).join(', ')}`);
      const defaultValue = knob.get();
      const results = await gridResults(knob, sets, log);
      for (const line of formatFolds(knob, locoFolds(knob.grid, results, touched, defaultValue), defaultValue)) {
        log(line);
      }
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  });
}
