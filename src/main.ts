/**
 * Composition root: config → logger, metrics, health endpoints → store → index → commands → adapters. Starts Slack
 * and/or Discord when they are configured, the console chat otherwise, and says what it started. SIGTERM / SIGINT
 * run a bounded shutdown (src/ops/shutdown.ts).
 */

import { consoleLogFile, runConsoleChat } from './adapters/console/chat.ts';
import { startDiscord } from './adapters/discord/client.ts';
import { slackAlertClients } from './adapters/slack/alert-delivery.ts';
import { startSlack } from './adapters/slack/app.ts';
import { Turns } from './adapters/turns.ts';
import { type PlatformClients, platformDeliveries, slackInstallations } from './alert-deliveries.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { PollLeadership } from './core/alerts/leadership.ts';
import type { Poller } from './core/alerts/poller.ts';
import { createAlertSystem } from './core/alerts/system.ts';
import { Housekeeping } from './core/housekeeping.ts';
import { InFlight } from './core/in-flight.ts';
import { componentLogger, createLogger, describeError, type Logger, logFormatFor } from './core/logger.ts';
import { describeLocation, StoreError } from './core/store/store-error.ts';
import { loadChartRenderer } from './core/trends/chart.ts';
import { workspaceEvents } from './core/workspaces.ts';
import {
  type OpsRoute,
  opsRoutes,
  type RunningHealthServer,
  slackPortRoutes,
  startHealthServer,
} from './ops/health-server.ts';
import { PrometheusMetrics } from './ops/metrics.ts';
import { Readiness } from './ops/readiness.ts';
import { createShutdown } from './ops/shutdown.ts';
import { openPaperboy, type Paperboy } from './paperboy.ts';

/** The alert poller and how to stop it (and, when it leads several instances, its leadership). */
interface Alerts {
  poller: Poller;
  stop(): Promise<void>;
}

/** Slack retries an event for minutes, not hours: an hour covers every retry. */
const SLACK_EVENT_TTL_MS = 60 * 60_000;

interface Running {
  name: string;
  stop(): Promise<void>;
}

/** What every part of the running bot shares for operations: metrics, readiness, the requests in hand. */
interface Ops {
  logger: Logger;
  metrics: PrometheusMetrics;
  readiness: Readiness;
  inFlight: InFlight;
  /** The bounded queue every platform's command work waits in. */
  turns: Turns;
  routes: OpsRoute[];
}

async function startPlatforms(
  config: Config,
  paperboy: Paperboy,
  ops: Ops,
  clients: PlatformClients,
): Promise<Running[]> {
  const running: Running[] = [];
  const common = { dispatcher: paperboy.dispatcher, inFlight: ops.inFlight, turns: ops.turns };
  if (config.slack) {
    const installations = slackInstallations(config, paperboy.store);
    await installations?.verifyKey();
    const slack = await startSlack(config.slack, {
      ...common,
      // A retry may reach another instance than the first delivery: what was handled is kept in the store.
      seenEvents: { firstTime: (id) => paperboy.store.events.firstSeen(`slack:${id}`, SLACK_EVENT_TTL_MS) },
      logger: componentLogger(ops.logger, 'slack'),
      metrics: ops.metrics,
      routes: slackPortRoutes(ops.routes, config.healthOnSlackPort),
      installations,
    });
    ops.readiness.set('slack', () => slack.connected());
    clients.slack = slackAlertClients(config.slack, installations);
    running.push({
      name: `Slack (${slack.mode === 'socket' ? 'Socket Mode' : `HTTP on port ${slack.port}`})`,
      stop: () => slack.stop(),
    });
  }
  if (config.discord) {
    const discord = await startDiscord(config.discord, {
      ...common,
      logger: componentLogger(ops.logger, 'discord'),
      workspaces: workspaceEvents(paperboy.store, 'discord'),
    });
    ops.readiness.set('discord', () => discord.client.isReady());
    clients.discord = discord.client;
    running.push({ name: 'Discord', stop: () => discord.stop() });
  }
  return running;
}

/**
 * New-paper alerts on schedule (POLL_INTERVAL_MINUTES; 0 = off), delivered through the running platforms. On
 * PostgreSQL several instances may share the database: one of them leads (polls and delivers) at a time, and another
 * takes over when it dies (src/core/alerts/leadership.ts). On SQLite this process simply polls.
 */
function startPoller(config: Config, paperboy: Paperboy, ops: Ops, clients: PlatformClients): Alerts | undefined {
  const logger = componentLogger(ops.logger, 'alerts');
  if (config.alerts.pollIntervalMinutes <= 0) {
    logger.info('alerts: scheduled polling is off (POLL_INTERVAL_MINUTES=0); `paperboy poll` runs a round by hand');
    return undefined;
  }
  const cluster = paperboy.store.engine === 'postgres';
  const { poller, health } = createAlertSystem({
    core: paperboy,
    config: config.alerts,
    deliveries: platformDeliveries(config, clients, logger),
    logger,
    metrics: ops.metrics,
    holdLock: cluster,
    outbox: { claimTtlMs: (config.alerts.claimSeconds ?? 60) * 1000 },
  });
  ops.metrics.watch({ sources: () => health.sources() });
  const intervalMs = config.alerts.pollIntervalMinutes * 60_000;
  const drainMs = (config.alerts.drainSeconds ?? 60) * 1000;
  logger.info('alerts: polling on schedule', {
    sources: config.alerts.sources,
    everyMinutes: config.alerts.pollIntervalMinutes,
  });
  if (!cluster) {
    poller.start(intervalMs, drainMs);
    return { poller, stop: () => poller.stop() };
  }
  const leadership = new PollLeadership({
    poller,
    lock: poller.lock,
    pollIntervalMs: intervalMs,
    drainMs,
    retryMs: (config.alerts.leaderRetrySeconds ?? 15) * 1000,
    logger,
  });
  ops.metrics.watch({ pollLeader: () => leadership.leading });
  leadership.start();
  return { poller, stop: () => leadership.stop() };
}

/**
 * The health endpoints on HEALTH_PORT, unless Slack's HTTP server already serves them on that very port (allowed only
 * with HEALTH_ON_SLACK_PORT=true: config.ts refuses the same port without it).
 */
async function startHealth(config: Config, ops: Ops): Promise<RunningHealthServer | undefined> {
  if (!config.health) return undefined;
  const slackHttpPort = config.slack && !config.slack.appToken ? config.slack.port : undefined;
  // Port 0 asks for any free port: two servers, each on its own.
  if (config.health.port !== 0 && slackHttpPort === config.health.port) return undefined;
  return startHealthServer(config.health, ops.routes, componentLogger(ops.logger, 'ops'));
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
  const chat = !config.slack && !config.discord;
  // The console chat owns the terminal: its log lines go to a file, never between the prompt and an answer.
  const logFile = chat ? consoleLogFile(config.dbPath) : undefined;
  const destination = logFile ? { file: logFile } : 'stderr';
  const logger = createLogger({
    level: config.logLevel,
    secrets: config.secrets,
    destination,
    format: logFormatFor(config.logFormat, destination),
  });
  const metrics = new PrometheusMetrics();
  const readiness = new Readiness();
  const inFlight = new InFlight();
  const turns = new Turns({ maxWaiting: config.workQueueMax, onShed: () => metrics.count('shed', {}) });
  const ops: Ops = { logger, metrics, readiness, inFlight, turns, routes: opsRoutes({ readiness, metrics, logger }) };
  metrics.watch({ readiness: () => readiness.read() });

  // Everything that may need closing, filled in as it starts: a signal can come at any moment.
  let paperboy: Paperboy | undefined;
  let alerts: Alerts | undefined;
  let housekeeping: Housekeeping | undefined;
  let running: Running[] = [];
  let health: RunningHealthServer | undefined;
  const endChat = new AbortController();
  readiness.set('database', () => paperboy?.store.open === true);
  readiness.set('index', () => paperboy?.index.ready === true);
  if (config.slack) readiness.set('slack', () => false);
  if (config.discord) readiness.set('discord', () => false);
  const shutdown = createShutdown(
    {
      stopIntake() {
        inFlight.close();
        readiness.set('shutdown', () => false);
        endChat.abort();
      },
      // Both are cut short by the shutdown's grace period.
      drain: [() => inFlight.settle(10_000), async () => alerts?.stop(), async () => housekeeping?.stop()],
      close: [
        { name: 'platforms', run: () => Promise.allSettled(running.map((r) => r.stop())) },
        { name: 'health endpoints', run: () => health?.close() },
        // The round ends by itself once cancelled and releases the lock; this covers one that did not end in time.
        { name: 'poll lock', run: () => alerts?.poller.lock.release() },
        { name: 'database', run: () => paperboy?.close() },
        { name: 'metrics', run: () => metrics.close() },
      ],
    },
    { logger },
  );
  shutdown.onSignals();

  health = await startHealth(config, ops);
  try {
    paperboy = await openPaperboy({
      dbPath: config.dbPath,
      databaseUrl: config.databaseUrl,
      postgresTimeouts: config.postgresTimeouts,
      indexDir: config.indexDir,
      logger,
      metrics,
      alerts: {
        digestTime: config.alerts.digestTime,
        timeZone: config.alerts.timeZone,
        librarySubscriptionsPerWorkspace: config.alerts.librarySubscriptionsPerWorkspace,
      },
      fairUse: config.fairUse,
      digestLimits: config.digest,
      arxivLookup: { apiUrl: config.alerts.arxivApiUrl },
      llm: config.llm,
      watchPapers: true,
    });
  } catch (error) {
    // A database that cannot be used stops the bot with one line naming the problem; never a silent fallback.
    if (error instanceof StoreError) {
      if (logFile) logger.error(error.message);
      logger.flush();
      process.stderr.write(`paperboy: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const pb = paperboy;
  metrics.watch({
    papers: () => pb.papers.count(),
    indexSegments: () => (pb.index.ready ? pb.index.snapshot.index.segments.length : undefined),
    outbox: () => pb.alerts.outboxStatus(),
  });
  if (pb.seeded) logger.info('loaded the built-in corpus', { added: pb.seeded.added });
  // Retention and removed workspaces' data: one instance at a time, hourly (src/core/housekeeping.ts).
  housekeeping = new Housekeeping({
    store: pb.store,
    retention: config.retention,
    logger: componentLogger(logger, 'housekeeping'),
  });
  housekeeping.start();
  logger.info('corpus ready', { papers: await pb.papers.count(), db: describeLocation(pb.store.location) });

  if (chat) {
    logger.info('no Slack or Discord tokens configured: starting the console chat');
    alerts = startPoller(config, pb, ops, {});
    await runConsoleChat(pb.dispatcher, process.stdin, process.stdout, { logFile, signal: endChat.signal });
    await shutdown.run('the console chat ended');
    return;
  }
  const clients: PlatformClients = {};
  running = await startPlatforms(config, pb, ops, clients);
  // The chart renderer loads in the background now, so the first /paper trends does not wait for it.
  void loadChartRenderer().catch((error: unknown) =>
    logger.warn('trend charts: the renderer did not load', { error: describeError(error) }),
  );
  alerts = startPoller(config, pb, ops, clients);
  logger.info(`paperboy is running on ${running.map((r) => r.name).join(' and ')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`paperboy: failed to start: ${describeError(error)}\n`);
  process.exit(1);
});
