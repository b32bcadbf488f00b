/**
 * The trend chart on the shared corpus (issue 24): a three-query chart (`lora vs qlora vs dora`) counted and rendered
 * to PNG over all 74,728 papers, timed (target: ≤ 1 s). The index is built in memory first (not timed), and the chart
 * renderer is loaded first as the bot loads it when it starts (timed apart).
 *
 *   npx tsx bench/trends.ts [--corpus PATH] [--queries "lora vs qlora vs dora"] [--out chart.png]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PaperSearch, papersInMemory } from '../src/core/search/paper-search.ts';
import { papersSnapshot } from '../src/core/search/snapshot.ts';
import { loadChartRenderer, renderTrendChart } from '../src/core/trends/chart.ts';
import { countTrend, parseTrendRequest, trendLine } from '../src/core/trends/trends.ts';
import { DEFAULT_CORPUS } from './bench.ts';
import { parsePaperLine, readFirstLines } from './scale/corpus.ts';

const TARGET_MS = 1000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: DEFAULT_CORPUS },
      queries: { type: 'string', default: 'lora vs qlora vs dora' },
      out: { type: 'string' },
    },
  });
  const rows = (await readFirstLines(values.corpus!, Number.MAX_SAFE_INTEGER)).map(parsePaperLine);
  const papers = rows.map((row) => ({ ...row, source: 'bench' }));
  let started = performance.now();
  const snapshot = papersSnapshot(papers);
  console.log(
    `indexed ${papers.length.toLocaleString('en')} papers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const search = new PaperSearch({
    snapshot: () => snapshot,
    papers: papersInMemory(new Map(papers.map((p) => [p.id, p]))),
  });
  const request = parseTrendRequest(values.queries!);
  if ('error' in request) throw new Error(request.error);
  started = performance.now();
  await loadChartRenderer();
  console.log(
    `loading Vega, Vega-Lite and resvg (once, when the bot starts): ${(performance.now() - started).toFixed(0)} ms`,
  );
  const times: { count: number; render: number }[] = [];
  let png: Uint8Array | undefined;
  for (let run = 0; run < 6; run++) {
    started = performance.now();
    const trend = await countTrend(search, request);
    if ('error' in trend) throw new Error(trend.error);
    const counted = performance.now();
    const chart = await renderTrendChart(trend);
    times.push({ count: counted - started, render: performance.now() - counted });
    png = chart.png;
    if (run === 0) for (const series of trend.series) console.log(trendLine(series, trend));
  }
  const total = (t: { count: number; render: number }) => t.count + t.render;
  const warm = times
    .slice(1)
    .map(total)
    .sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)]!;
  console.log(
    `first chart: ${total(times[0]!).toFixed(0)} ms ` +
      `(count ${times[0]!.count.toFixed(0)} ms, render ${times[0]!.render.toFixed(0)} ms)`,
  );
  console.log(
    `warm charts: median ${median.toFixed(0)} ms, worst ${warm.at(-1)!.toFixed(0)} ms ` +
      `(count ${times[1]!.count.toFixed(0)} ms + render ${times[1]!.render.toFixed(0)} ms)`,
  );
  console.log(`target ≤ ${TARGET_MS} ms per chart: ${Math.max(...times.map(total)) <= TARGET_MS ? 'pass' : 'MISSED'}`);
  if (values.out && png) writeFileSync(values.out, png);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
