/**
 * What the subscription commands may do, scoped to the invoker's own channel: a subscription id from another
 * channel (typed or forged into a button) is simply "not found here".
 */
import type { AlertMode, AlertStore, ChannelPause, DeadLetters, Subscription } from '../store/store.ts';
import { queryProblem } from './matcher.ts';
import { isTimeZone, parseTimeOfDay } from './schedule.ts';

export const MAX_SUBSCRIPTIONS_PER_CHANNEL = 25;
export const MAX_QUERY_LENGTH = 300;

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
  /** Alerts for this channel given up after their retries, grouped by reason. */
  dead: Omit<DeadLetters, 'platform' | 'channelId'>[];
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
  onPlatform(platform: string): Promise<Subscription[]>;
  defaults: { digestTime: string; timeZone: string };
}

export function createAlertsService(
  repo: AlertStore,
  defaults: { digestTime?: string; timeZone?: string } = {},
): AlertsService {
  const digestTime = defaults.digestTime ?? '09:00';
  const timeZone = defaults.timeZone ?? 'UTC';
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
      const existing = await repo.channelSubscriptions(invoker.platform, invoker.channelId);
      if (existing.length >= MAX_SUBSCRIPTIONS_PER_CHANNEL) {
        const full = `This channel already follows ${existing.length} queries (the limit).`;
        return { error: `${full} Remove one with ${commandLine('/paper unsubscribe <id>')}.` };
      }
      const same = existing.find((s) => s.query.toLowerCase() === query.toLowerCase() && s.mode === mode);
      if (same) return { error: `This channel already follows that query (subscription #${same.id}).` };
      const subscription = await repo.addSubscription({
        platform: invoker.platform,
        channelId: invoker.channelId,
        workspaceId: invoker.workspaceId,
        query,
        mode,
        digestTime: time,
        timeZone: zone,
        createdBy: invoker.userId || undefined,
      });
      return { subscription };
    },
    async list(invoker) {
      const where = { platform: invoker.platform, channelId: invoker.channelId };
      return {
        subscriptions: await repo.channelSubscriptions(invoker.platform, invoker.channelId),
        paused: await repo.channelPause(invoker.platform, invoker.channelId),
        dead: (await repo.deadLetters(where)).map(({ reason, count, lastAt }) => ({ reason, count, lastAt })),
      };
    },
    async unsubscribe(invoker, id) {
      const subscription = await repo.subscription(id);
      if (!subscription || subscription.platform !== invoker.platform || subscription.channelId !== invoker.channelId)
        return undefined;
      return (await repo.removeSubscription(id, invoker.platform, invoker.channelId)) ? subscription : undefined;
    },
    resume(invoker) {
      return repo.resumeChannel(invoker.platform, invoker.channelId);
    },
    retryDead(invoker) {
      return repo.requeueDead({ platform: invoker.platform, channelId: invoker.channelId });
    },
    async onPlatform(platform) {
      return (await repo.subscriptions()).filter((s) => s.platform === platform);
    },
  };
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
  if (/(^|\s)--\w/.test(query)) error = 'Unknown option. Use --daily [HH:MM], --instant and --tz <Area/City>.';
  return { query: query.replace(/\s+/g, ' ').trim(), options, ...(error ? { error } : {}) };
}
