/**
 * Composition root: config → store → index → commands → adapters. Starts Slack and/or Discord when they
 * are configured, the console chat otherwise, and says what it started.
 */
import { loadConfig, ConfigError, type Config } from './config.ts';
import { createLogger, describeError, type Logger } from './core/logger.ts';
import { openPaperboy, type Paperboy } from './paperboy.ts';
import { runConsoleChat } from './adapters/console/chat.ts';
import { startSlack } from './adapters/slack/app.ts';
import { startDiscord } from './adapters/discord/client.ts';

interface Running {
  name: string;
  stop(): Promise<void>;
}

async function startPlatforms(config: Config, paperboy: Paperboy, logger: Logger): Promise<Running[]> {
  const running: Running[] = [];
  const deps = { dispatcher: paperboy.dispatcher, logger };
  if (config.slack) {
    const slack = await startSlack(config.slack, deps);
    running.push({ name: `Slack (${slack.mode === 'socket' ? 'Socket Mode' : `HTTP on port ${slack.port}`})`, stop: () => slack.stop() });
  }
  if (config.discord) {
    const discord = await startDiscord(config.discord, deps);
    running.push({ name: 'Discord', stop: () => discord.stop() });
  }
  return running;
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
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
  const paperboy = await openPaperboy({ dbPath: config.dbPath, indexDir: config.indexDir, logger });
  if (paperboy.seeded) logger.info('loaded the built-in corpus', { added: paperboy.seeded.added });
  logger.info('corpus ready', { papers: paperboy.papers.count(), db: config.dbPath });

  if (!config.slack && !config.discord) {
    logger.info('no Slack or Discord tokens configured: starting the console chat');
    await runConsoleChat(paperboy.dispatcher, process.stdin, process.stdout);
    paperboy.close();
    return;
  }
  const running = await startPlatforms(config, paperboy, logger);
  logger.info(`paperboy is running on ${running.map((r) => r.name).join(' and ')}`);
  const shutdown = async (signal: string) => {
    logger.info(`received ${signal}, shutting down`);
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
