/**
 * What the subscription commands may do, scoped to the invoker's own channel as their workspace sees it: a
 * subscription id from another channel, or from another workspace sharing this channel (typed or forged into a
 * button), is simply "not found here".
 */
import { channelKey, NO_WORKSPACE } from '../channel-key.ts';
import { libraryAlertPerDay } from '../library/library-query.ts';
import { type Metrics, noMetrics } from '../metrics.ts';
import type { AlertMode, AlertStore, ChannelPause, DeadLetters, Subscription } from '../store/store.ts';
import { queryProblem } from './matcher.ts';
import { isTimeZone, parseTimeOfDay } from './schedule.ts';

export const MAX_SUBSCRIPTIONS_PER_CHANNEL = 25;
export const MAX_QUERY_LENGTH = 300;
/** `--like-library` subscriptions a workspace may have: each trains its channel's model every poll round. */
export const DEFAULT_LIBRARY_SUBSCRIPTIONS_PER_WORKSPACE = 10;

export interface AlertsServiceOptions {
  /** Default digest time and zone of daily subscriptions (DIGEST_TIME, TZ). */
  digestTime?: string;
  timeZone?: string;
  /** The cap on `--like-library` subscriptions per workspace (LIKE_LIBRARY_MAX_PER_WORKSPACE). */
  librarySubscriptionsPerWorkspace?: number;
  /** Counts subscriptions refused at the cap (paperboy_refusals_total{budget="like_library"}). */
  metrics?: Metrics;
}

export interface SubscribeOptions {
  mode?: AlertMode;
  /** `HH:MM` for daily digests. */
  time?: string;
  timeZone?: string;
  /** Writes a `/paper …` line as the user types commands (`CommandContext.commandLine`), for the hints in errors. */
  commandLine?: (text: string) => string;
}

/**
 * Who asks, in which channel: the part of a command's `Invoker` that scopes subscriptions. Declared here rather than
 * imported, so the alerts service does not depend on the command layer that uses it.
 */
export interface ChannelScope {
  platform: string;
  channelId: string;
  workspaceId?: string;
  userId: string;
}

export interface ChannelSubscriptions {
  subscriptions: Subscription[];
  paused?: ChannelPause;
  /** Alerts for this channel not yet sent (held back while it is paused). */
  waiting: number;
  /** Alerts for this channel given up after their retries, grouped by reason. */
  dead: Omit<DeadLetters, 'platform' | 'workspaceId' | 'channelId'>[];
}

export interface AlertsService {
  subscribe(
    invoker: ChannelScope,
    query: string,
    options?: SubscribeOptions,
  ): Promise<{ subscription: Subscription } | { error: string }>;
  list(invoker: ChannelScope): Promise<ChannelSubscriptions>;
  unsubscribe(invoker: ChannelScope, id: number): Promise<Subscription | undefined>;
  /** Resumes a paused channel; false when it was not paused. */
  resume(invoker: ChannelScope): Promise<boolean>;
  /** Re-queues the channel's dead letters (delivered with the next round); resolves to how many. */
  retryDead(invoker: ChannelScope): Promise<number>;
  /** Every subscription of a platform's channels (what `/paper me` filters to the channels one person manages). */
  /** The subscriptions of one workspace of a platform (every channel it follows). */
  inWorkspace(platform: string, workspaceId: string | undefined): Promise<Subscription[]>;
  defaults: { digestTime: string; timeZone: string };
}

export function createAlertsService(repo: AlertStore, options: AlertsServiceOptions = {}): AlertsService {
  const digestTime = options.digestTime ?? '09:00';
  const timeZone = options.timeZone ?? 'UTC';
  const libraryCap = options.librarySubscriptionsPerWorkspace ?? DEFAULT_LIBRARY_SUBSCRIPTIONS_PER_WORKSPACE;
  const metrics = options.metrics ?? noMetrics;
  return {
    defaults: { digestTime, timeZone },
    async subscribe(invoker, rawQuery, options = {}) {
      const commandLine = options.commandLine ?? ((text: string) => text);
      const query = rawQuery.replace(/\s+/g, ' ').trim();
      if (!query)
        return {
          error:
            `Say what to follow, e.g. \`${commandLine('/paper subscribe lora -diffusion')}\` or ` +
            `\`${commandLine('/paper subscribe author:"Yann LeCun"')}\`.`,
        };
      if (query.length > MAX_QUERY_LENGTH)
        return {
          error: `That query is ${query.length} characters; please keep subscriptions under ${MAX_QUERY_LENGTH}.`,
        };
      const problem = queryProblem(query);
      if (problem) return { error: problem };
      const mode = options.mode ?? 'instant';
      let time: string | undefined;
      let zone: string | undefined;
      if (mode === 'daily') {
        time = options.time === undefined ? digestTime : parseTimeOfDay(options.time);
        if (!time) return { error: `"${options.time}" is not a time of day; use HH:MM, e.g. 09:00.` };
        zone = options.timeZone ?? timeZone;
        if (!isTimeZone(zone)) {
          const unknown = `"${zone.slice(0, 60)}" is not a time zone I know`;
          return { error: `${unknown}; use a name like Europe/Berlin or America/New_York.` };
        }
      }
      const channel = channelKey(invoker);
      const existing = await repo.channelSubscriptions(channel);
      if (existing.length >= MAX_SUBSCRIPTIONS_PER_CHANNEL) {
        const full = `This channel already follows ${existing.length} queries (the limit).`;
        return { error: `${full} Remove one with ${commandLine('/paper unsubscribe <id>')}.` };
      }
      const same = existing.find((s) => s.query.toLowerCase() === query.toLowerCase() && s.mode === mode);
      if (same) return { error: `This channel already follows that query (subscription #${same.id}).` };
      if (libraryAlertPerDay(query) !== undefined) {
        const full = await libraryCapReached(repo, invoker, libraryCap, commandLine);
        if (full) {
          metrics.count('refusals', { budget: 'like_library', scope: 'workspace', platform: invoker.platform });
          return { error: full };
        }
      }
      const subscription = await repo.addSubscription({
        ...channel,
        query,
        mode,
        digestTime: time,
        timeZone: zone,
        createdBy: invoker.userId || undefined,
      });
      return { subscription };
    },
    async list(invoker) {
      const channel = channelKey(invoker);
      return {
        subscriptions: await repo.channelSubscriptions(channel),
        paused: await repo.channelPause(channel),
        waiting: await repo.waitingAlerts(channel),
        dead: (await repo.deadLetters(channel)).map(({ reason, count, lastAt }) => ({ reason, count, lastAt })),
      };
    },
    async unsubscribe(invoker, id) {
      const subscription = await repo.subscription(id);
      if (!subscription) return undefined;
      return (await repo.removeSubscription(id, channelKey(invoker))) ? subscription : undefined;
    },
    resume(invoker) {
      return repo.resumeChannel(channelKey(invoker));
    },
    retryDead(invoker) {
      return repo.requeueDead(channelKey(invoker));
    },
    async inWorkspace(platform, workspaceId) {
      const workspace = workspaceId ?? NO_WORKSPACE;
      return (await repo.subscriptions()).filter((s) => s.platform === platform && s.workspaceId === workspace);
    },
  };
}

/**
 * Why a workspace may add no more library subscriptions (the cap, and how to free one), or undefined while it may.
 * Channels without a workspace (the console, Discord DMs) share one cap per platform.
 */
async function libraryCapReached(
  repo: AlertStore,
  invoker: ChannelScope,
  cap: number,
  commandLine: (text: string) => string,
): Promise<string | undefined> {
  const library = (await repo.subscriptions()).filter(
    (s) =>
      s.platform === invoker.platform &&
      (s.workspaceId ?? '') === (invoker.workspaceId ?? '') &&
      libraryAlertPerDay(s.query) !== undefined,
  );
  if (library.length < cap) return undefined;
  const here = library.filter((s) => s.channelId === invoker.channelId).map((s) => `#${s.id}`);
  return (
    `This workspace already has ${library.length} \`--like-library\` subscriptions, the most it may have ` +
    `(${cap}: each retrains its channel's model every poll). To free one, run ` +
    `\`${commandLine('/paper unsubscribe <id>')}\` in a channel that has one ` +
    (here.length ? `(here: ${here.join(', ')}).` : `(\`${commandLine('/paper subscriptions')}\` there lists them).`)
  );
}

/** `lora --daily 08:30 --tz Europe/Paris` → the query and the options written in it. */
export function parseSubscribeText(text: string): { query: string; options: SubscribeOptions; error?: string } {
  const options: SubscribeOptions = {};
  let error: string | undefined;
  let query = text.replace(
    /(^|\s)--(daily|instant|digest)(?:[ =]((?:[01]?\d|2[0-3])[:.h][0-5]\d))?(?=\s|$)/gi,
    (_m, lead: string, flag: string, time?: string) => {
      options.mode = flag.toLowerCase() === 'instant' ? 'instant' : 'daily';
      if (time) options.time = time;
      return lead;
    },
  );
  query = query.replace(/(^|\s)--(?:tz|timezone)[ =](\S+)/gi, (_m, lead: string, zone: string) => {
    options.timeZone = zone;
    return lead;
  });
  if (/(^|\s)--\w/.test(query))
    error =
      'Unknown option. Use --daily [HH:MM], --instant, --tz <Area/City>, --quiet-note, ' +
      '--like-library [--per-day N] or --trending [--min-upvotes N].';
  return { query: query.replace(/\s+/g, ' ').trim(), options, ...(error ? { error } : {}) };
}
