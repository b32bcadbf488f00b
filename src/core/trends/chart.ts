/**
 * A trend as a PNG line chart: a Vega-Lite spec compiled to Vega, rendered headless to SVG (`renderer: 'none'`, no
 * canvas, no browser), then rasterised by resvg (a Rust renderer shipped as a prebuilt binary inside its npm package).
 * Nothing is fetched at run time: the font is DejaVu Sans from the `dejavu-fonts-ttf` package, and system fonts are not
 * read, so the same trend gives the same image on every machine. Vega and Vega-Lite load on the first chart, not at
 * start.
 */
import { createRequire } from 'node:module';
import type { Trend } from './trends.ts';

/** The PNG's width in pixels (its height follows the chart's shape). */
export const CHART_WIDTH = 1200;
const FONT_FAMILY = 'DejaVu Sans';

const require = createRequire(import.meta.url);
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
);

export interface Chart {
  png: Uint8Array;
  width: number;
  height: number;
}

/** The Vega-Lite spec of a trend: one line per query, papers per month. */
export function trendSpec(trend: Trend): Record<string, unknown> {
  const values = trend.series.flatMap((series) =>
    trend.months.map((month, i) => ({ query: series.query, month: `${month}-01`, papers: series.counts[i] })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 640,
    height: 300,
    background: 'white',
    padding: 12,
    title: { text: 'Papers per month', anchor: 'start', fontSize: 16 },
    config: { font: FONT_FAMILY, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 12 } },
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'month',
        type: 'temporal',
        timeUnit: 'utcyearmonth',
        scale: { type: 'utc' },
        axis: { format: '%b %Y', labelAngle: 0 },
        title: null,
      },
      y: { field: 'papers', type: 'quantitative', title: 'papers', axis: { tickMinStep: 1 } },
      color: {
        field: 'query',
        type: 'nominal',
        sort: trend.series.map((s) => s.query),
        title: null,
        legend: { orient: 'top', direction: 'horizontal' },
      },
    },
  };
}

type Renderer = [typeof import('vega'), typeof import('vega-lite'), typeof import('@resvg/resvg-js')];
let loading: Promise<Renderer> | undefined;

/**
 * Loads Vega, Vega-Lite and resvg (about a second of a busy machine's time, once): on the first chart, or ahead of it
 * when the bot starts (src/main.ts), so nobody's first chart waits for it.
 */
export function loadChartRenderer(): Promise<Renderer> {
  loading ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  return loading;
}

/** Renders the trend as a PNG, CHART_WIDTH pixels wide. */
export function renderTrendChart(trend: Trend): Promise<Chart> {
  return renderVegaLite(trendSpec(trend));
}

/** Renders a Vega-Lite spec as a PNG, CHART_WIDTH pixels wide (the trend chart; the scale bench's growth chart). */
export async function renderVegaLite(spec: Record<string, unknown>): Promise<Chart> {
  const [vega, vegaLite, { Resvg }] = await loadChartRenderer();
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const image = new Resvg(svg, {
    fitTo: { mode: 'width', value: CHART_WIDTH },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  }).render();
  return { png: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}
