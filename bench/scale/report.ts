/** The scale bench's output: the machine, one table row per engine, the fidelity line, and the smoke checks. */
import os from 'node:os';
import { fidelityLine } from './fidelity.ts';
import type { ColdResult, FullResult } from './run-engine.ts';

export type EngineResult = Partial<FullResult> & Partial<ColdResult> & { engine: string; error?: string };

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  totalMemoryGB: number;
  platform: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    totalMemoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

export function machineLine(m: Machine): string {
  return `machine: ${m.cpu}, ${m.cores} cores, ${m.totalMemoryGB} GB RAM, Node ${m.node}, ${m.platform}`;
}

interface Column {
  title: string;
  value: (r: EngineResult) => number | null | undefined;
  digits: number;
}

export const COLUMNS: Column[] = [
  { title: 'import s', value: (r) => r.importS, digits: 1 },
  { title: 'index build s', value: (r) => r.indexBuildS, digits: 1 },
  { title: 'cold start s', value: (r) => r.coldStartS, digits: 2 },
  { title: 'steady RSS MB', value: (r) => r.steadyRssMB, digits: 0 },
  { title: 'index on disk MB', value: (r) => r.indexDiskMB, digits: 1 },
  { title: 'query p50 ms', value: (r) => r.queryP50Ms, digits: 1 },
  { title: 'query p99 ms', value: (r) => r.queryP99Ms, digits: 1 },
  { title: 'batch ingest s', value: (r) => r.batchIngestS, digits: 2 },
  { title: 'p99 during ingest ms', value: (r) => r.ingestQueryP99Ms, digits: 1 },
  { title: 'alert matching s', value: (r) => r.alertMatchS, digits: 2 },
  { title: 'recommend (50 saved) ms', value: (r) => r.recommendP50Ms, digits: 0 },
  { title: 'poll of a 5,000-paper day s', value: (r) => r.pollDayS as number | undefined, digits: 1 },
];

function cell(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A Markdown table (readable in a terminal too). */
export function formatTable(results: readonly EngineResult[]): string {
  const header = ['engine', ...COLUMNS.map((c) => c.title)];
  const rows = results.map((r) => [
    r.error ? `${r.engine} (failed)` : r.engine,
    ...COLUMNS.map((c) => cell(c.value(r), c.digits)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Correctness checks (the smoke mode's verdict): each failure as one sentence. */
export function correctnessFailures(results: readonly EngineResult[]): string[] {
  const failures: string[] = [];
  for (const r of results) {
    if (r.error) {
      failures.push(`${r.engine}: ${r.error}`);
      continue;
    }
    if (
      r.titleQueries !== undefined &&
      r.answered !== undefined &&
      r.queries !== undefined &&
      r.answered < r.titleQueries
    ) {
      failures.push(
        `${r.engine}: answered only ${r.answered} ` +
          `of ${r.queries} queries (every title-derived query must find something)`,
      );
    }
    if (r.batchSearchable === false) failures.push(`${r.engine}: the daily batch was not searchable after ingest`);
    if (r.coldAnswered === false) failures.push(`${r.engine}: the cold start's first query found nothing`);
    if (r.coldRebuilt) failures.push(`${r.engine}: the cold start rebuilt the index instead of loading it from disk`);
    if (r.alertMatches === 0) failures.push(`${r.engine}: alert matching matched nothing`);
    if (r.pollDaySearchable === false)
      failures.push(`${r.engine}: the papers of the polled day were not found by their titles afterwards`);
    if (r.fidelity && r.fidelity.engine.identical < r.fidelity.engine.total) {
      const example = r.fidelity.engine.examples[0];
      failures.push(
        `${r.engine}: its query evaluation differs from lunr.Index#query (same clauses) ` +
          `on ${r.fidelity.engine.total - r.fidelity.engine.identical} queries` +
          (example
            ? ` (e.g. "${example.query}": ${JSON.stringify(example.paperboy.slice(0, 3))} ` +
              `vs ${JSON.stringify(example.lunr.slice(0, 3))})`
            : ''),
      );
    }
    if (r.fidelity && r.fidelity.unexplained > 0) {
      const example = r.fidelity.examples[0];
      failures.push(
        `${r.engine}: ${r.fidelity.unexplained} queries rank differently from lunr.Index#query for no known reason` +
          (example
            ? ` (e.g. "${example.query}": ${JSON.stringify(example.paperboy.slice(0, 3))} ` +
              `vs ${JSON.stringify(example.lunr.slice(0, 3))})`
            : ''),
      );
    }
  }
  if (!results.some((r) => r.fidelity) && results.some((r) => r.engine === 'paperboy' && !r.error))
    failures.push('paperboy: no fidelity report');
  return failures;
}

export function textReport(m: Machine, corpus: string, n: number, results: readonly EngineResult[]): string {
  const lines = [
    machineLine(m),
    `corpus: ${corpus}, ${n.toLocaleString('en-US')} papers`,
    '',
    formatTable(results),
    '',
  ];
  const queries = results.find((r) => r.queries)?.queries;
  const subs = results.find((r) => r.alertSubscriptions);
  if (queries)
    lines.push(
      `queries: ${queries}; alert matching: ${subs?.alertSubscriptions} subscriptions × ${subs?.alertPapers} papers`,
    );
  const runtime = results.find((r) => r.runtime)?.runtime;
  if (runtime === 'compiled') {
    const tsx = results
      .filter((r) => typeof r.coldStartTsxS === 'number')
      .map((r) => `${r.engine} ${cell(r.coldStartTsxS as number, 2)} s`);
    lines.push(
      `engine processes ran compiled JavaScript (as in production)${tsx.length ? `; cold start under tsx: ${tsx.join(', ')}` : ''}`,
    );
  } else if (runtime === 'tsx') lines.push('engine processes ran TypeScript through tsx');
  const loads = results
    .filter((r) => Array.isArray(r.loadAverage))
    .map((r) => `${r.engine} ${(r.loadAverage as number[]).map((l) => l.toFixed(2)).join(' → ')}`);
  if (loads.length) lines.push(`1-minute load average at the start → end of each engine's runs: ${loads.join(', ')}`);
  for (const r of results) if (r.fidelity) lines.push(fidelityLine(r.fidelity));
  for (const r of results) if (r.error) lines.push(`${r.engine} failed: ${r.error}`);
  return lines.join('\n');
}
