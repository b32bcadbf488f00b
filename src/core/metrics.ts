/**
 * What the core and the adapters count, by neutral names: the dispatcher counts commands, the poller source fetches,
 * the outbox alerts, the Slack adapter its acks. They call this small interface; src/ops/metrics.ts backs it with
 * prom-client (the only module that knows Prometheus), and tests or the CLI pass `noMetrics`. Keeping the core on an
 * interface keeps it free of an exporter and lets each recording stay one line.
 */

/** Counters: name → the labels each sample carries. */
export const COUNTERS = {
  /** A command run: `outcome` is `ok`, `error` (it threw), `denied` (no permission) or `limited` (fair use). */
  commands: ['command', 'platform', 'outcome'],
  /**
   * A fair-use refusal: `budget` is `commands`, `digests`, `llm` (a budget spent) or `like_library` (the cap on
   * library subscriptions); `scope` is `user` or `workspace`.
   */
  refusals: ['budget', 'scope', 'platform'],
  /** A request answered "busy" at once because the work queue was full. */
  shed: [],
  /** Alert rows delivered (the card is out; a digest counts each of its papers). */
  alertsDelivered: ['platform'],
  /** Alert deliveries that failed: `reason` is the outbox's failure kind (rejected, unknown, channel, message). */
  alertsFailed: ['platform', 'reason'],
  /**
   * Alert rows given up as dead letters: `reason` is `rate_limited`, `refused`, `message_refused`, `no_answer`,
   * `outcome_unknown` or `paper_missing` (outbox.ts).
   */
  alertsDead: ['platform', 'reason'],
  /** One poll of one source: `status` is `ok`, `not_modified` or the failure (`http_429`, `timeout`, `network`...). */
  sourceFetches: ['source', 'status'],
  /**
   * A source failing for longer than SOURCE_FAILING_REPORT_HOURS (`event` = `down`, counted once per outage) or
   * answering again after one (`up`).
   */
  sourceOutages: ['source', 'event'],
  /** Notices posted in channels: `kind` is `quiet` (a quiet-day note), `source-down` or `source-up`. */
  noticesPosted: ['platform', 'kind'],
} as const;

/** Histograms (seconds): name → labels. */
export const HISTOGRAMS = {
  /** From the dispatcher taking a command to its reply being ready (rendering and posting not included). */
  commandSeconds: ['command', 'platform'],
  /** Slack: from Bolt handing over a command or button click to our ack() completing (Slack allows 3 s). */
  slackAckSeconds: ['kind'],
} as const;

export type CounterName = keyof typeof COUNTERS;
export type HistogramName = keyof typeof HISTOGRAMS;
export type Labels<Names extends readonly string[]> = { [K in Names[number]]: string };

export interface Metrics {
  count<N extends CounterName>(name: N, labels: Labels<(typeof COUNTERS)[N]>, by?: number): void;
  observe<N extends HistogramName>(name: N, labels: Labels<(typeof HISTOGRAMS)[N]>, seconds: number): void;
}

export const noMetrics: Metrics = { count() {}, observe() {} };

/** Seconds since a `performance.now()` reading. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
