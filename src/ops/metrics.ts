/**
 * Prometheus metrics through prom-client: the counters and histograms the core and adapters record by neutral name
 * (src/core/metrics.ts), gauges read when Prometheus scrapes (corpus size, index segments, the alert outbox's
 * backlog, paused channels, readiness, event-loop lag), and prom-client's default process metrics. Every paperboy
 * metric is prefixed `paperboy_`; the defaults keep their standard names (`process_*`, `nodejs_*`) so stock
 * dashboards work. docs/operations.md says what each means.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SourceHealth } from '../core/alerts/source-health.ts';
import {
  COUNTERS,
  type CounterName,
  HISTOGRAMS,
  type HistogramName,
  type Labels,
  type Metrics,
} from '../core/metrics.ts';
import type { OutboxStatus } from '../core/store/store.ts';

const COUNTER_INFO: Record<CounterName, { name: string; help: string }> = {
  commands: { name: 'paperboy_commands_total', help: 'Commands run, by command, platform and outcome' },
  alertsDelivered: { name: 'paperboy_alerts_delivered_total', help: 'Alerts delivered (cards posted), by platform' },
  alertsFailed: {
    name: 'paperboy_alerts_failed_total',
    help: 'Failed alert deliveries, by platform and reason (rejected, unknown, channel, message)',
  },
  alertsDead: {
    name: 'paperboy_alerts_dead_total',
    help:
      'Alerts given up as dead letters (re-queued by paperboy alerts retry), by platform and reason ' +
      '(rate_limited, refused, message_refused, no_answer, outcome_unknown, paper_missing)',
  },
  sourceFetches: { name: 'paperboy_source_fetches_total', help: 'Paper source polls, by source and status' },
  refusals: {
    name: 'paperboy_refusals_total',
    help: 'Fair-use refusals, by budget (commands, digests, llm, like_library), scope (user, workspace) and platform',
  },
  shed: {
    name: 'paperboy_work_shed_total',
    help: 'Requests answered "busy" at once because the work queue was full',
  },
  sourceOutages: {
    name: 'paperboy_source_outages_total',
    help: 'Sources failing for longer than SOURCE_FAILING_REPORT_HOURS (event=down, once per outage) and back (up)',
  },
  noticesPosted: {
    name: 'paperboy_channel_notices_total',
    help: 'Notices posted in channels, by platform and kind (quiet, source-down, source-up)',
  },
};

const HISTOGRAM_INFO: Record<HistogramName, { name: string; help: string; buckets: number[] }> = {
  commandSeconds: {
    name: 'paperboy_command_duration_seconds',
    help: 'Time to compute a command reply, by command and platform',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  slackAckSeconds: {
    name: 'paperboy_slack_ack_duration_seconds',
    help: 'Time from Bolt handing over a Slack command or click to its ack (Slack allows 3 s), by kind',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
  },
};

/**
 * What the scrape-time gauges read; each is optional (the CLI has no platforms, tests no outbox). The store's are
 * Promises: prom-client awaits a gauge's `collect` before it answers the scrape.
 */
export interface GaugeSources {
  papers?: () => number | Promise<number>;
  indexSegments?: () => number | undefined;
  outbox?: () => OutboxStatus | Promise<OutboxStatus>;
  /** Each readiness check and whether it passes. */
  readiness?: () => Record<string, boolean>;
  /** Whether this instance leads polling and alert delivery (several instances on PostgreSQL). */
  pollLeader?: () => boolean;
  /** How each paper source is doing (source-health.ts). */
  sources?: () => Promise<SourceHealth[]>;
}

export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly counters: Record<CounterName, Counter>;
  private readonly histograms: Record<HistogramName, Histogram>;
  private sources: GaugeSources = {};
  private readonly lag = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.counters = mapEntries(
      COUNTERS,
      (key, labelNames) => new Counter({ ...COUNTER_INFO[key], labelNames: [...labelNames], registers }),
    );
    this.histograms = mapEntries(
      HISTOGRAMS,
      (key, labelNames) => new Histogram({ ...HISTOGRAM_INFO[key], labelNames: [...labelNames], registers }),
    );
    this.gauges(registers);
    this.lag.enable();
  }

  count<N extends CounterName>(name: N, labels: Labels<(typeof COUNTERS)[N]>, by = 1): void {
    this.counters[name].inc(labels, by);
  }

  observe<N extends HistogramName>(name: N, labels: Labels<(typeof HISTOGRAMS)[N]>, seconds: number): void {
    this.histograms[name].observe(labels, seconds);
  }

  /** Sets (or adds to) what the gauges read at scrape time. */
  watch(sources: GaugeSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** The exposition text and its content type, for GET /metrics. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    this.lag.disable();
  }

  private gauges(registers: Registry[]): void {
    const sources = () => this.sources;
    new Gauge({
      name: 'paperboy_papers',
      help: 'Papers in the corpus (the database)',
      registers,
      async collect() {
        const papers = await sources().papers?.();
        if (papers !== undefined) this.set(papers);
      },
    });
    new Gauge({
      name: 'paperboy_index_segments',
      help: 'Segments of the search index (a rebuild merges them into one at 12)',
      registers,
      collect() {
        const segments = sources().indexSegments?.();
        if (segments !== undefined) this.set(segments);
      },
    });
    new Gauge({
      name: 'paperboy_alerts_pending',
      help: 'Alerts in the outbox not yet delivered, by platform and state (pending, sending, posted)',
      labelNames: ['platform', 'state'],
      registers,
      async collect() {
        const status = await sources().outbox?.();
        if (!status) return;
        this.reset();
        for (const row of status.backlog) this.set({ platform: row.platform, state: row.state }, row.count);
      },
    });
    new Gauge({
      name: 'paperboy_alerts_dead',
      help: 'Dead letters in the outbox: alerts given up and waiting for paperboy alerts retry, by platform',
      labelNames: ['platform'],
      registers,
      async collect() {
        const status = await sources().outbox?.();
        if (!status) return;
        this.reset();
        for (const row of status.dead) this.set({ platform: row.platform }, row.count);
      },
    });
    new Gauge({
      name: 'paperboy_alert_channels_paused',
      help: 'Channels whose alerts are paused because the bot cannot post there, by platform',
      labelNames: ['platform'],
      registers,
      async collect() {
        const status = await sources().outbox?.();
        if (!status) return;
        this.reset();
        for (const row of status.paused) this.set({ platform: row.platform }, row.count);
      },
    });
    new Gauge({
      name: 'paperboy_ready',
      help: 'Readiness checks: 1 when it passes, 0 when not (what /readyz reports)',
      labelNames: ['check'],
      registers,
      collect() {
        const checks = sources().readiness?.();
        if (!checks) return;
        this.reset();
        for (const [check, ok] of Object.entries(checks)) this.set({ check }, ok ? 1 : 0);
      },
    });
    new Gauge({
      name: 'paperboy_poll_leader',
      help: 'Whether this instance leads polling and alert delivery among those sharing the database (1 or 0)',
      registers,
      collect() {
        const leading = sources().pollLeader?.();
        if (leading !== undefined) this.set(leading ? 1 : 0);
      },
    });
    new Gauge({
      name: 'paperboy_source_up',
      help: 'Whether the last poll of each paper source answered (1) or failed (0)',
      labelNames: ['source'],
      registers,
      async collect() {
        const health = await sources().sources?.();
        if (!health) return;
        this.reset();
        for (const source of health) this.set({ source: source.name }, source.ok ? 1 : 0);
      },
    });
    new Gauge({
      name: 'paperboy_source_failing_seconds',
      help: 'How long each paper source has been failing (0 while it answers)',
      labelNames: ['source'],
      registers,
      async collect() {
        const health = await sources().sources?.();
        if (!health) return;
        this.reset();
        const now = Date.now();
        for (const source of health)
          this.set(
            { source: source.name },
            source.failingSince ? Math.max(0, (now - Date.parse(source.failingSince)) / 1000) : 0,
          );
      },
    });
    const lag = this.lag;
    new Gauge({
      name: 'paperboy_event_loop_lag_seconds',
      help: 'Event-loop delay since the previous scrape: 99th percentile and maximum',
      labelNames: ['stat'],
      registers,
      collect() {
        // The histogram is in nanoseconds; an empty one (no samples yet) reads as 0.
        this.set({ stat: 'p99' }, lag.count ? lag.percentile(99) / 1e9 : 0);
        this.set({ stat: 'max' }, lag.count ? lag.max / 1e9 : 0);
        lag.reset();
      },
    });
  }
}

function mapEntries<T extends Record<string, readonly string[]>, V>(
  table: T,
  make: (key: keyof T & string, labels: readonly string[]) => V,
): Record<keyof T & string, V> {
  const out = {} as Record<keyof T & string, V>;
  for (const key of Object.keys(table) as (keyof T & string)[]) out[key] = make(key, table[key]!);
  return out;
}
