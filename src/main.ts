/**
 * Composition root: config → store → index → commands → adapters. Starts Slack and/or Discord when they
 * are configured, the console chat otherwise, and says what it started.
 */

import { consoleLogFile, runConsoleChat } from './adapters/console/chat.ts';
import { startDiscord } from './adapters/discord/client.ts';
import { slackAlertClient } from './adapters/slack/alert-delivery.ts';
import { startSlack } from './adapters/slack/app.ts';
import { type PlatformClients, platformDeliveries } from './alert-deliveries.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import type { Poller } from './core/alerts/poller.ts';
import { createAlertSystem } from './core/alerts/system.ts';
import { createLogger, describeError, type Logger } from './core/logger.ts';
import { openPaperboy, type Paperboy } from './paperboy.ts';

interface Running {
  name: string;
  stop(): Promise<void>;
}

async function startPlatforms(
  config: Config,
  paperboy: Paperboy,
  logger: Logger,
  clients: PlatformClients,
): Promise<Running[]> {
  const running: Running[] = [];
  const deps = { dispatcher: paperboy.dispatcher, logger };
  if (config.slack) {
    const slack = await startSlack(config.slack, deps);
    clients.slack = slackAlertClient(config.slack);
    running.push({
      name: `Slack (${slack.mode === 'socket' ? 'Socket Mode' : `HTTP on port ${slack.port}`})`,
      stop: () => slack.stop(),
    });
  }
  if (config.discord) {
    const discord = await startDiscord(config.discord, deps);
    clients.discord = discord.client;
    running.push({ name: 'Discord', stop: () => discord.stop() });
  }
  return running;
}

/** New-paper alerts on schedule (POLL_INTERVAL_MINUTES; 0 = off), delivered through the running platforms. */
function startPoller(config: Config, paperboy: Paperboy, logger: Logger, clients: PlatformClients): Poller | undefined {
  if (config.alerts.pollIntervalMinutes <= 0) {
    logger.info('alerts: scheduled polling is off (POLL_INTERVAL_MINUTES=0); `paperboy poll` runs a round by hand');
    return undefined;
  }
  const { poller } = createAlertSystem({
    core: paperboy,
    config: config.alerts,
    deliveries: platformDeliveries(config, clients, logger),
    logger,
  });
  poller.start(config.alerts.pollIntervalMinutes * 60_000);
  logger.info('alerts: polling on schedule', {
    sources: config.alerts.sources,
    everyMinutes: config.alerts.pollIntervalMinutes,
  });
  return poller;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`paperboy: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // The console chat owns the terminal: its log lines go to a file, never between the prompt and an answer.
  const logFile = !config.slack && !config.discord ? consoleLogFile(config.dbPath) : undefined;
  const destination = logFile ? { file: logFile } : 'stderr';
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets, destination });
  const paperboy = await openPaperboy({
    dbPath: config.dbPath,
    indexDir: config.indexDir,
    logger,
    alerts: { digestTime: config.alerts.digestTime, timeZone: config.alerts.timeZone },
    arxivLookup: { apiUrl: config.alerts.arxivApiUrl },
    llm: config.llm,
  });
  if (paperboy.seeded) logger.info('loaded the built-in corpus', { added: paperboy.seeded.added });
  logger.info('corpus ready', { papers: paperboy.papers.count(), db: config.dbPath });

  if (!config.slack && !config.discord) {
    logger.info('no Slack or Discord tokens configured: starting the console chat');
    const consolePoller = startPoller(config, paperboy, logger, {});
    await runConsoleChat(paperboy.dispatcher, process.stdin, process.stdout, { logFile });
    await consolePoller?.stop();
    paperboy.close();
    return;
  }
  const clients: PlatformClients = {};
  const running = await startPlatforms(config, paperboy, logger, clients);
  const poller = startPoller(config, paperboy, logger, clients);
  logger.info(`paperboy is running on ${running.map((r) => r.name).join(' and ')}`);
  const shutdown = async (signal: string) => {
    logger.info(`received ${signal}, shutting down`);
    await poller?.stop();
    await Promise.allSettled(running.map((r) => r.stop()));
    paperboy.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`paperboy: failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
