/**
 * A poll + delivery process for the crash-safety test (test/integration/alerts-crash.test.ts): one full round
 * against the fake sources, delivering to a fake Slack through the real WebClient. The test SIGKILLs it mid-delivery.
 */
import { webApi } from '@slack/bolt';
import { createSlackDelivery } from '../../../src/adapters/slack/alert-delivery.ts';
import { createAlertSystem } from '../../../src/core/alerts/system.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { alertsConfig, FAST_SOURCES, openTestPaperboy } from './support.ts';

const [dbPath, sourceUrl, slackUrl] = process.argv.slice(2) as [string, string, string];
const pb = await openTestPaperboy(dbPath);
const client = new webApi.WebClient('xoxb-crash-test', {
  slackApiUrl: slackUrl,
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
});
const { poller } = createAlertSystem({
  core: pb,
  config: alertsConfig(sourceUrl, { sources: ['huggingface'] }),
  deliveries: [createSlackDelivery({ client, logger: silentLogger, minIntervalMs: 0 })],
  logger: silentLogger,
  now: () => new Date('2025-03-18T12:00:00Z'),
  sourceDeps: FAST_SOURCES,
  outbox: { burstThreshold: 100 },
});
const report = await poller.pollOnce();
process.stdout.write(`${JSON.stringify({ locked: report.locked ?? false, deliveries: report.deliveries })}\n`);
await pb.close();
