/**
 * Composition: the alert deliveries a process has. The console (always: alerts for console subscriptions, printed
 * and logged), plus Slack and Discord when they are configured. The bot passes its running clients; `paperboy poll`
 * builds REST-only ones (no Socket Mode, no gateway connection). Each delivery lives with its adapter. A distributed
 * Slack app's installations (its workspaces' sealed tokens) are opened here too, for the app and its alerts alike.
 */
import { dirname, join } from 'node:path';
import type { webApi } from '@slack/bolt';
import type { Client } from 'discord.js';
import { commands } from '../commands/index.ts';
import { createConsoleDelivery } from './adapters/console/alert-delivery.ts';
import { createDiscordDelivery, discordRestClient } from './adapters/discord/alert-delivery.ts';
import { discordUsage } from './adapters/discord/definitions.ts';
import { createSlackDelivery, type SlackClientFor, slackAlertClients } from './adapters/slack/alert-delivery.ts';
import { SlackInstallations } from './adapters/slack/installations.ts';
import type { Config } from './config.ts';
import type { AlertDelivery } from './core/alerts/delivery.ts';
import { commandLineIn } from './core/command-line.ts';
import type { Logger } from './core/logger.ts';
import { SecretBox } from './core/secret-box.ts';
import type { Store } from './core/store/store.ts';

export interface PlatformClients {
  slack?: webApi.WebClient | SlackClientFor;
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
  if (clients.discord) {
    const commandLine = (text: string) => commandLineIn(commands, text, discordUsage);
    deliveries.push(createDiscordDelivery({ client: clients.discord, commandLine }));
  }
  return deliveries;
}

/** A distributed Slack app's installations, sealed with PAPERBOY_SECRET_KEY; undefined for one bot token. */
export function slackInstallations(config: Config, store: Store): SlackInstallations | undefined {
  if (!config.slack?.oauth) return undefined;
  if (!config.secretKey) throw new Error('Slack app distribution needs PAPERBOY_SECRET_KEY');
  return new SlackInstallations(store, new SecretBox(config.secretKey));
}

/** Clients for a one-shot `paperboy poll`: Slack's Web API and Discord's REST API only. */
export function restClients(config: Config, store: Store): PlatformClients & { close(): Promise<void> } {
  const clients: PlatformClients = {};
  if (config.slack) clients.slack = slackAlertClients(config.slack, slackInstallations(config, store));
  if (config.discord) clients.discord = discordRestClient(config.discord);
  return { ...clients, close: async () => void (await clients.discord?.destroy()) };
}
