/** Trend charts: the request's syntax, papers counted per month, the summary line, and the PNG. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CHART_WIDTH, renderTrendChart } from '../../../src/core/trends/chart.ts';
import { countTrend, monthRange, parseTrendRequest, trendLine, trendTable } from '../../../src/core/trends/trends.ts';
import type { Paperboy } from '../../../src/paperboy.ts';
import { testPaperboy } from '../../support/paperboy.ts';
import { trendPapers } from '../../support/trend-papers.ts';

let pb: Paperboy;
before(async () => {
  pb = await testPaperboy({ builtin: false, papers: trendPapers() });
});
after(() => pb.close());

test('GIVEN trend requests THEN queries split on "vs" and --since takes a month', () => {
  assert.deepEqual(parseTrendRequest('lora vs qlora VS. dora --since 2025-06'), {
    queries: ['lora', 'qlora', 'dora'],
    since: '2025-06',
  });
  assert.deepEqual(parseTrendRequest('"speculative decoding"'), { queries: ['"speculative decoding"'] });
  assert.match((parseTrendRequest('lora --since June') as { error: string }).error, /not a month/);
  assert.match((parseTrendRequest('a vs b vs c vs d vs e vs f') as { error: string }).error, /At most 5/);
  assert.match((parseTrendRequest('lora --weekly') as { error: string }).error, /--since/);
  assert.match((parseTrendRequest('  ') as { error: string }).error, /What should I chart/);
});

test('GIVEN papers over 18 months THEN each query is counted per month and its growth is said in a line', async () => {
  const trend = await countTrend(pb.services.search, { queries: ['lora', 'qlora'] });
  assert.ok(!('error' in trend));
  assert.equal(trend.months.length, 18);
  assert.deepEqual(trend.series[0]!.counts, [...Array(12).fill(1), ...Array(6).fill(3)]);
  assert.deepEqual(trend.series[1]!.counts, [...Array(12).fill(0), ...Array(6).fill(1)]);
  assert.equal(trendLine(trend.series[0]!, trend), 'lora: 30 papers, ×3.0 in the last 6 months');
  assert.equal(trendLine(trend.series[1]!, trend), 'qlora: 6 papers');
  assert.match(trendTable(trend), /^2026-06 {2}lora 3, qlora 1$/m);
  const since = await countTrend(pb.services.search, { queries: ['lora'], since: '2026-01' });
  assert.ok(!('error' in since));
  assert.deepEqual(since.months, monthRange('2026-01', '2026-06'));
});

test('GIVEN a trend THEN it renders as a PNG of the chart width', async () => {
  const trend = await countTrend(pb.services.search, { queries: ['lora', 'qlora'] });
  assert.ok(!('error' in trend));
  const chart = await renderTrendChart(trend);
  const png = Buffer.from(chart.png);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  assert.equal(png.readUInt32BE(16), CHART_WIDTH);
  assert.equal(png.readUInt32BE(20), chart.height);
  assert.ok(chart.height > 200 && chart.height < CHART_WIDTH);
});

test('GIVEN /paper trends in the console THEN the numbers are printed beside the summary', async () => {
  const reply = await pb.dispatcher.runText('trends lora vs qlora', {
    platform: 'console',
    userId: 'u',
    channelId: 'c',
  });
  assert.equal(reply.visibility, 'public');
  const file = reply.files?.[0];
  assert.equal(file?.name, 'trends.png');
  assert.ok(file.content instanceof Uint8Array);
  assert.match(file.altText ?? '', /lora: 30 papers, ×3\.0 in the last 6 months; qlora: 6 papers/);
  assert.match(file.altText ?? '', /2025-01 {2}lora 1, qlora 0/);
  const none = await pb.dispatcher.runText('trends quokka', { platform: 'console', userId: 'u', channelId: 'c' });
  assert.match(JSON.stringify(none.blocks), /No papers to chart: quokka: no papers/);
});
