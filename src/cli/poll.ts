/**
 * `paperboy poll`: one full alert round and exit (for cron, or to try a configuration): fetch every enabled source,
 * store, refresh the index, match subscriptions, deliver (Slack / Discord with the configured credentials, a
 * distributed Slack app with each workspace's own token, console subscriptions printed). Exit status: 0 done, 1 every
 * source failed, 2 PAPERBOY_SECRET_KEY does not open the stored Slack installations, 3 another process holds the poll
 * lock.
 */
import { platformDeliveries, restClients, slackInstallations } from '../alert-deliveries.ts';
import type { Config } from '../config.ts';
import { createAlertSystem } from '../core/alerts/system.ts';
import type { Logger } from '../core/logger.ts';
import { SecretBoxError } from '../core/secret-box.ts';
import type { Paperboy } from '../paperboy.ts';

export async function runPoll(
  pb: Paperboy,
  config: Config,
  logger: Logger,
  io: { out(line: string): void; err(line: string): void },
): Promise<number> {
  try {
    // A wrong PAPERBOY_SECRET_KEY must stop the round before any channel is paused for an unreadable installation.
    await slackInstallations(config, pb.store)?.verifyKey();
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    io.err(`paperboy poll: ${error.message}`);
    return 2;
  }
  const clients = restClients(config, pb.store);
  // SIGTERM / SIGINT (cron's timeout, Ctrl+C) cancel the round: source requests and waits are aborted, nothing more
  // is sent, the poll lock is released and the database closed by the caller; what is queued goes out next run.
  const cancel = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    logger.warn(`received ${signal}: cancelling the poll round`);
    cancel.abort(new Error(`received ${signal}`));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    const { poller } = createAlertSystem({
      core: pb,
      config: config.alerts,
      deliveries: platformDeliveries(config, clients, logger, io.out),
      logger,
    });
    const report = await poller.pollOnce(cancel.signal);
    if (report.locked) {
      io.err('paperboy poll: another paperboy process is polling this database right now; try again later');
      return 3;
    }
    for (const source of report.sources) {
      io.out(
        source.error
          ? `${source.name}: failed (${source.error}); will be retried next round`
          : `${source.name}: ${source.fetched} fetched, ${source.added} new, ${source.alerts} alerts queued` +
              `${source.problems.length ? `, ${source.problems.length} skipped items` : ''}`,
      );
    }
    for (const d of report.deliveries) {
      if (d.messages || d.retried || d.paused.length || d.dead || d.reconciled) {
        io.out(
          `${d.platform}: ${d.messages} messages (${d.alerts} alerts)` +
            `${d.reconciled ? `, ${d.reconciled} reconciled` : ''}` +
            `${d.retried ? `, ${d.retried} to retry` : ''}` +
            `${d.paused.length ? `, paused: ${d.paused.join(', ')}` : ''}` +
            `${d.dead ? `, ${d.dead} dead-lettered (paperboy alerts retry re-queues them)` : ''}`,
        );
      }
    }
    if (!report.sources.length) io.out('no sources enabled (SOURCES)');
    return report.sources.length > 0 && report.sources.every((s) => s.error) ? 1 : 0;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    await clients.close();
  }
}
