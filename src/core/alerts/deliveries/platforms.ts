/**
 * The deliveries a process has: the console (always: alerts for console subscriptions, printed and logged), plus
 * Slack and Discord when they are configured. The bot passes its running clients; `paperboy poll` builds
 * REST-only ones (no Socket Mode, no gateway connection).
 */
import { dirname, join } from 'node:path';
import { webApi } from '@slack/bolt';
import { Client } from 'discord.js';
import type { Config } from '../../../config.ts';
import type { Logger } from '../../logger.ts';
import type { AlertDelivery } from '../delivery.ts';
import { createConsoleDelivery } from './console.ts';
import { createDiscordDelivery } from './discord.ts';
import { createSlackDelivery } from './slack.ts';

export interface PlatformClients {
  slack?: webApi.WebClient;
  discord?: Client;
}

/** Where console alerts are logged (ALERTS_LOG, else beside the database). */
export function consoleLogPath(config: Config): string | undefined {
  if (config.alerts.deliveredLog) return config.alerts.deliveredLog;
  return config.dbPath === ':memory:' ? undefined : join(dirname(config.dbPath), 'alerts-console.jsonl');
}

export function platformDeliveries(
  config: Config,
  clients: PlatformClients,
  logger: Logger,
  write?: (text: string) => void,
): AlertDelivery[] {
  const deliveries: AlertDelivery[] = [createConsoleDelivery({ logPath: consoleLogPath(config), write })];
  if (clients.slack) deliveries.push(createSlackDelivery({ client: clients.slack, logger }));
  if (clients.discord) deliveries.push(createDiscordDelivery({ client: clients.discord }));
  return deliveries;
}

/**
 * A Web API client for alerts with the client's own retries OFF: a blind retry of a chat.postMessage whose answer was
 * lost would post twice. The outbox retries instead, after asking Slack (by metadata key) what it already has.
 */
export function slackAlertClient(slack: NonNullable<Config['slack']>): webApi.WebClient {
  return new webApi.WebClient(slack.botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl.endsWith('/') ? slack.apiUrl : `${slack.apiUrl}/` } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/** Clients for a one-shot `paperboy poll`: Slack's Web API and Discord's REST API only. */
export function restClients(config: Config): PlatformClients & { close(): Promise<void> } {
  const clients: PlatformClients = {};
  if (config.slack) clients.slack = slackAlertClient(config.slack);
  if (config.discord) {
    const client = new Client({
      intents: [],
      allowedMentions: { parse: [] },
      ...(config.discord.apiUrl ? { rest: { api: config.discord.apiUrl } } : {}),
    });
    client.rest.setToken(config.discord.token);
    client.token = config.discord.token;
    clients.discord = client;
  }
  return { ...clients, close: async () => void (await clients.discord?.destroy()) };
}
