/**
 * `/paper trends <query> [vs <query>…] [--since YYYY-MM]`: a line chart (PNG) of the papers per month matching each
 * query, posted in the channel with one line per query in words ("lora: 412 papers, ×2.3 in the last 6 months") for
 * screen readers; the console prints the numbers month by month.
 */
import type { Command } from '../src/core/command.ts';
import { errorReply, type Reply } from '../src/core/reply.ts';
import { renderTrendChart } from '../src/core/trends/chart.ts';
import { countTrend, parseTrendRequest, trendLine, trendTable } from '../src/core/trends/trends.ts';

export const trends: Command = {
  name: 'trends',
  description: 'A chart of papers per month matching a query; several queries separated by "vs"',
  usage: '/paper trends <query> [vs <query>…] [--since YYYY-MM]',
  examples: ['/paper trends lora vs qlora vs dora', '/paper trends "speculative decoding" --since 2025-06'],
  options: [
    {
      name: 'query',
      description: 'What to count, e.g. lora vs qlora vs dora',
      type: 'string',
      required: true,
    },
    { name: 'since', description: 'First month, YYYY-MM', type: 'string' },
  ],
  async run({ services, options, commandLine }): Promise<Reply> {
    const request = parseTrendRequest(String(options.query ?? ''), options.since as string | undefined);
    if ('error' in request)
      return errorReply(`${request.error} Try ${commandLine('/paper trends lora vs qlora --since 2025-06')}.`);
    const trend = await countTrend(services.search, request);
    if ('error' in trend) return errorReply(trend.error);
    const lines = trend.series.map((series) => trendLine(series, trend));
    if (trend.series.every((series) => series.counts.every((count) => count === 0))) {
      const text = `No papers to chart: ${lines.join('; ')}.`;
      return { blocks: [{ kind: 'text', text }], visibility: 'ephemeral', fallback: text };
    }
    const heading = `Papers per month: ${request.queries.join(' vs ')}`;
    const span = `${trend.months[0]} to ${trend.months.at(-1)}`;
    const chart = await renderTrendChart(trend);
    const summary = lines.join('\n');
    return {
      blocks: [
        { kind: 'text', text: heading, style: 'heading' },
        { kind: 'text', text: summary },
        { kind: 'text', text: `Months ${span}, by publication date in this corpus.`, style: 'muted' },
      ],
      visibility: 'public',
      fallback: `${heading}. ${lines.join('; ')}`,
      files: [
        {
          name: 'trends.png',
          title: heading,
          content: chart.png,
          altText: `Line chart of papers per month, ${span}. ${lines.join('; ')}.\n${trendTable(trend)}`,
        },
      ],
    };
  },
};
