/**
 * Trend charts on Slack through the real Bolt App against the fake Web API: `/paper trends lora vs qlora` posts the
 * summary in the channel and uploads the chart the files.uploadV2 way (getUploadURLExternal, the bytes, then
 * completeUploadExternal in the channel): a valid PNG of the chart's width, with the summary as its alt text.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SlackHandle } from '../../src/adapters/slack/app.ts';
import { CHART_WIDTH } from '../../src/core/trends/chart.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { postSigned, slashCommandBody } from '../fakes/slack-requests.ts';
import { testPaperboy } from '../support/paperboy.ts';
import { startSlackHttp } from '../support/slack-http.ts';
import { trendPapers } from '../support/trend-papers.ts';

const SECRET = 'trends-secret';
let pb: Paperboy;
let api: FakeSlackApi;
let handle: SlackHandle;
let eventsUrl: string;

before(async () => {
  pb = await testPaperboy({ builtin: false, papers: trendPapers() });
  api = await new FakeSlackApi({ botUserId: 'UBOT' }).start();
  ({ handle, eventsUrl } = await startSlackHttp(api, pb.dispatcher, {
    botToken: 'xoxb-trends',
    signingSecret: SECRET,
    botUserId: 'UBOT',
  }));
});

after(async () => {
  await handle.stop();
  await api.close();
  await pb.close();
});

test('WHEN /paper trends runs THEN the chart is uploaded as a PNG of the right size, with its text summary', async () => {
  await postSigned(
    eventsUrl,
    SECRET,
    slashCommandBody('trends lora vs qlora', api.responseUrl('trends')),
    'application/x-www-form-urlencoded',
  );
  const [complete] = await api.waitFor('files.completeUploadExternal', 1, 15_000);
  assert.equal(complete!.result?.ok, true);
  assert.ok(complete!.args.channel_id, 'shared in the channel');
  const [getUrl] = api.callsTo('files.getUploadURLExternal');
  assert.equal(getUrl!.args.filename, 'trends.png');
  assert.match(String(getUrl!.args.alt_text), /lora: 30 papers, ×3\.0 in the last 6 months; qlora: 6 papers/);
  const png = api.uploadedBytes.get(complete!.args.files![0]!.id)!;
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.readUInt32BE(16), CHART_WIDTH, 'width from the IHDR chunk');
  assert.ok(png.readUInt32BE(20) > 200, 'height from the IHDR chunk');
  const [post] = api.callsTo('chat.postMessage');
  assert.match(JSON.stringify(post!.args.blocks), /lora: 30 papers, ×3\.0 in the last 6 months\\nqlora: 6 papers/);
});
