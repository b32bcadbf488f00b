/**
 * Trend charts on Discord through the real discord.js Client against the fake Discord: `/paperboy trends` answers with
 * the chart as an attachment (a PNG of the chart's width) whose description (its alt text) says the figures, and the
 * summary in the message.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CHART_WIDTH } from '../../src/core/trends/chart.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { chatInput, defaultWorld } from '../fakes/discord-payloads.ts';
import { testPaperboy } from '../support/paperboy.ts';
import { trendPapers } from '../support/trend-papers.ts';

const world = defaultWorld();
let harness: DiscordHarness;
let pb: Paperboy;

before(async () => {
  pb = await testPaperboy({ builtin: false, papers: trendPapers() });
  harness = await startHarness({ world, dispatcher: pb.dispatcher, config: { deferAfterMs: 0 } });
});

after(async () => {
  await harness?.close();
  await pb?.close();
});

test('WHEN /paperboy trends runs THEN the chart comes as a PNG attachment with its summary', async () => {
  harness.interact(
    chatInput(world, { name: 'paperboy', subcommand: 'trends', options: { query: 'lora vs qlora', since: '2025-07' } }),
  );
  const withFile = await harness.fake.waitFor((r) => (r.files?.length ?? 0) > 0, 15_000);
  const file = withFile.files![0]!;
  assert.equal(file.name, 'trends.png');
  assert.deepEqual([...file.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(file.bytes.readUInt32BE(16), CHART_WIDTH, 'width from the IHDR chunk');
  const body = (withFile.body.data ?? withFile.body) as {
    content?: string;
    attachments?: { description?: string }[];
    allowed_mentions?: { parse: unknown[] };
  };
  assert.match(body.content ?? '', /lora: 24 papers, ×3\.0 in the last 6 months/);
  assert.match(body.attachments?.[0]?.description ?? '', /2025-07 to 2026-06/);
  assert.deepEqual(body.allowed_mentions?.parse, []);
});
