/**
 * `--scale 1,2,5,10`: how query p50 and p99, steady RSS and cold start grow with the corpus, per engine: a Markdown
 * table and a PNG chart (the trend charts' renderer: Vega-Lite, resvg; src/core/trends/chart.ts).
 */
import { renderVegaLite } from '../../src/core/trends/chart.ts';
import type { EngineResult } from './report.ts';

export interface ScaleRun {
  scale: number;
  papers: number;
  results: EngineResult[];
}

const METRICS = [
  { key: 'queryP50Ms', title: 'query p50 (ms)', digits: 1 },
  { key: 'queryP99Ms', title: 'query p99 (ms)', digits: 1 },
  { key: 'steadyRssMB', title: 'steady RSS (MB)', digits: 0 },
  { key: 'coldStartS', title: 'cold start (s)', digits: 2 },
] as const;

function value(result: EngineResult, key: (typeof METRICS)[number]['key']): number | undefined {
  const v = result[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** One row per scale and engine: papers, the four figures, each with its growth over the smallest scale. */
export function growthTable(runs: readonly ScaleRun[]): string {
  const first = runs[0];
  const header = ['scale', 'papers', 'engine', ...METRICS.map((m) => m.title)];
  const rows = runs.flatMap((run) =>
    run.results.map((result) => {
      const base = first?.results.find((r) => r.engine === result.engine);
      return [
        `${run.scale}×`,
        run.papers.toLocaleString('en-US'),
        result.engine,
        ...METRICS.map((m) => {
          const v = value(result, m.key);
          const b = base && value(base, m.key);
          if (v === undefined) return '–';
          const cell = v.toLocaleString('en-US', { minimumFractionDigits: m.digits, maximumFractionDigits: m.digits });
          return b && run !== first ? `${cell} (${(v / b).toFixed(1)}×)` : cell;
        }),
      ];
    }),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => `${'-'.repeat(w + 1)}${i < 3 ? '-' : ':'}`).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** The chart: one panel per figure, papers across, a line per engine. */
export function growthSpec(runs: readonly ScaleRun[]): Record<string, unknown> {
  const values = runs.flatMap((run) =>
    run.results.flatMap((result) =>
      METRICS.flatMap((m) => {
        const v = value(result, m.key);
        return v === undefined ? [] : [{ papers: run.papers, engine: result.engine, metric: m.title, value: v }];
      }),
    ),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    title: { text: 'Growth with the corpus (same machine, one run per scale)', anchor: 'start', fontSize: 16 },
    config: { font: 'DejaVu Sans', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 12 } },
    data: { values },
    facet: {
      field: 'metric',
      type: 'nominal',
      title: null,
      sort: METRICS.map((m) => m.title),
      header: { labelFontSize: 13 },
    },
    columns: 2,
    spec: {
      width: 280,
      height: 180,
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: { field: 'papers', type: 'quantitative', title: 'papers', axis: { format: '~s' } },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'engine', type: 'nominal', title: null, legend: { orient: 'top', direction: 'horizontal' } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

export async function growthChart(runs: readonly ScaleRun[]): Promise<Uint8Array> {
  return (await renderVegaLite(growthSpec(runs))).png;
}
