/**
 * Configuration from the environment (and `.env` through dotenv), validated once at start. The only
 * module that reads process.env; everything else receives typed config. The adapters own the types of what they
 * receive (SlackConfig, DiscordConfig) and the core that of the alerts; this module builds values of them.
 */
import { config as loadDotenv } from 'dotenv';
import type { DiscordConfig } from './adapters/discord/client.ts';
import type { SlackConfig } from './adapters/slack/app.ts';
import { SLACK_MANAGER_POLICIES, type SlackManagerPolicy } from './adapters/slack/channel-managers.ts';
import type { AlertSystemConfig } from './core/alerts/system.ts';
import { DEFAULT_DIGEST_LIMITS, type DigestLimits } from './core/digest/thread-limits.ts';
import { type Budget, DEFAULT_FAIR_USE, type FairUseLimits, type Limit, type Rate } from './core/fair-use/limits.ts';
import { DEFAULT_RETENTION, type RetentionConfig } from './core/housekeeping.ts';
import type { LogFormat, LogLevel } from './core/logger.ts';
import { parseSecretKey, SecretKeyError } from './core/secret-box.ts';
import { DEFAULT_ARXIV_API_URL } from './core/sources/arxiv-api.ts';
import type { PostgresTimeouts } from './core/store/store.ts';
import type { LlmConfig } from './core/summarize/openai-tldr.ts';
import type { HealthConfig } from './ops/health-server.ts';

export class ConfigError extends Error {}

/** New-paper alerts: sources, schedule, digest defaults (see docs/alerts.md). */
export interface AlertsConfig extends AlertSystemConfig {
  /** Minutes between poll rounds in the bot; 0 turns the schedule off (`paperboy poll` still works). */
  pollIntervalMinutes: number;
  /** Append-only log of alerts printed to the console (the console delivery's record). */
  deliveredLog?: string;
  /** Several instances (PostgreSQL): how often followers try for the poll leadership (LEADER_RETRY_SECONDS, 15). */
  leaderRetrySeconds?: number;
  /** How long a drain's claim on outbox rows outlives its last renewal (OUTBOX_CLAIM_SECONDS, 60). */
  claimSeconds?: number;
  /** How often the leader delivers what is due between polls: digests, retries (ALERTS_DRAIN_SECONDS, 60). */
  drainSeconds?: number;
  /** `--like-library` subscriptions a workspace may have (LIKE_LIBRARY_MAX_PER_WORKSPACE, 10). */
  librarySubscriptionsPerWorkspace?: number;
}

export interface Config {
  /** The SQLite database; with `databaseUrl`, only the folder where the index and log files go by default. */
  dbPath: string;
  /** A PostgreSQL database (DATABASE_URL) instead of the SQLite file. */
  databaseUrl?: string;
  /** PG_STATEMENT_TIMEOUT_SECONDS and PG_LOCK_TIMEOUT_SECONDS (30 and 10; 0 leaves the server's setting). */
  postgresTimeouts: PostgresTimeouts;
  /** Persisted search index folder; default: `index/` beside the database. */
  indexDir?: string;
  logLevel: LogLevel;
  /** LOG_FORMAT: `json` lines, `pretty` lines, or `auto` (readable only when the log goes to a terminal). */
  logFormat: 'auto' | LogFormat;
  /** HEALTH_PORT / HEALTH_HOST: /healthz, /readyz and /metrics; off when HEALTH_PORT is unset. */
  health?: HealthConfig;
  /** HEALTH_ON_SLACK_PORT: /readyz and /metrics on the (public) Slack HTTP port too; /healthz is there always. */
  healthOnSlackPort: boolean;
  slack?: SlackConfig;
  discord?: DiscordConfig;
  alerts: AlertsConfig;
  /** How long what is kept only for a while is kept (STASH_RETENTION_DAYS, SENT_ALERTS_RETENTION_DAYS, UNINSTALL_GRACE_DAYS). */
  retention: RetentionConfig;
  /** PAPERBOY_SECRET_KEY: seals credentials kept in the database (a distributed Slack app's tokens). */
  secretKey?: Buffer;
  /** Generated TL;DRs (LLM_BASE_URL, LLM_MODEL, LLM_API_KEY); absent: summaries stay extractive. */
  llm?: LlmConfig;
  /** Per-person and per-workspace budgets of commands, digests and model calls (RATE_*). */
  fairUse: FairUseLimits;
  /** Command work waiting to start before new requests are answered "busy" (WORK_QUEUE_MAX, 200). */
  workQueueMax: number;
  /** How much of a thread a digest reads (DIGEST_MAX_MESSAGES, DIGEST_MAX_MESSAGE_CHARS, DIGEST_MAX_THREAD_CHARS). */
  digest: DigestLimits;
  /** Every secret, so the logger can redact them wherever they turn up. */
  secrets: string[];
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = readEnvironment()): Config {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const logLevel = (get('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error (got "${logLevel}")`);
  const logFormat = (get('LOG_FORMAT') ?? 'auto').toLowerCase() as Config['logFormat'];
  if (!['auto', 'json', 'pretty'].includes(logFormat))
    throw new ConfigError(`LOG_FORMAT must be auto, json or pretty (got "${logFormat.slice(0, 20)}")`);
  const healthPort = get('HEALTH_PORT');
  const config: Config = {
    dbPath: get('PAPERBOY_DB') ?? './data/paperboy.db',
    indexDir: get('PAPERBOY_INDEX_DIR'),
    logLevel,
    logFormat,
    ...(healthPort
      ? {
          health: {
            port: port(healthPort, 'HEALTH_PORT'),
            // This host only, unless told: the metrics say what the bot does. Containers set 0.0.0.0 themselves.
            host: host(get('HEALTH_HOST') ?? '127.0.0.1', 'HEALTH_HOST'),
          },
        }
      : {}),
    healthOnSlackPort: bool(get('HEALTH_ON_SLACK_PORT'), 'HEALTH_ON_SLACK_PORT'),
    postgresTimeouts: {
      statementMs: 1000 * seconds(get('PG_STATEMENT_TIMEOUT_SECONDS'), 'PG_STATEMENT_TIMEOUT_SECONDS', 30, 0, 86_400),
      lockMs: 1000 * seconds(get('PG_LOCK_TIMEOUT_SECONDS'), 'PG_LOCK_TIMEOUT_SECONDS', 10, 0, 86_400),
    },
    alerts: alertsConfig(get),
    retention: {
      stashDays: days(get('STASH_RETENTION_DAYS'), 'STASH_RETENTION_DAYS', DEFAULT_RETENTION.stashDays),
      sentAlertsDays: days(
        get('SENT_ALERTS_RETENTION_DAYS'),
        'SENT_ALERTS_RETENTION_DAYS',
        DEFAULT_RETENTION.sentAlertsDays,
      ),
      uninstallGraceDays: days(
        get('UNINSTALL_GRACE_DAYS'),
        'UNINSTALL_GRACE_DAYS',
        DEFAULT_RETENTION.uninstallGraceDays,
      ),
    },
    fairUse: fairUseConfig(get),
    workQueueMax: whole(get('WORK_QUEUE_MAX'), 'WORK_QUEUE_MAX', 200, 1, 100_000),
    digest: {
      maxMessages: whole(get('DIGEST_MAX_MESSAGES'), 'DIGEST_MAX_MESSAGES', DEFAULT_DIGEST_LIMITS.maxMessages, 1, 1000),
      maxMessageChars: whole(
        get('DIGEST_MAX_MESSAGE_CHARS'),
        'DIGEST_MAX_MESSAGE_CHARS',
        DEFAULT_DIGEST_LIMITS.maxMessageChars,
        100,
        1_000_000,
      ),
      maxThreadChars: whole(
        get('DIGEST_MAX_THREAD_CHARS'),
        'DIGEST_MAX_THREAD_CHARS',
        DEFAULT_DIGEST_LIMITS.maxThreadChars,
        1000,
        10_000_000,
      ),
    },
    secrets: [],
  };
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl) {
    config.databaseUrl = postgresUrl(databaseUrl, 'DATABASE_URL');
    config.secrets.push(...urlSecrets(databaseUrl));
  }

  const secretKey = get('PAPERBOY_SECRET_KEY');
  if (secretKey) {
    config.secrets.push(secretKey);
    try {
      config.secretKey = parseSecretKey(secretKey);
    } catch (error) {
      if (error instanceof SecretKeyError) throw new ConfigError(error.message);
      throw error;
    }
  }

  const slackBot = get('SLACK_BOT_TOKEN');
  const slackApp = get('SLACK_APP_TOKEN');
  const slackSecret = get('SLACK_SIGNING_SECRET');
  const oauth = slackOAuthConfig(get, config);
  if (slackBot || slackApp || slackSecret || oauth) {
    if (oauth) {
      if (slackBot)
        throw new ConfigError(
          'SLACK_BOT_TOKEN and SLACK_CLIENT_ID exclude each other: a bot token serves one workspace, ' +
            'the OAuth settings install the app in many',
        );
      if (slackApp || !slackSecret)
        throw new ConfigError(
          'Slack app distribution (SLACK_CLIENT_ID) runs in HTTP mode: set SLACK_SIGNING_SECRET, not SLACK_APP_TOKEN',
        );
    } else {
      if (!slackBot)
        throw new ConfigError(
          'SLACK_BOT_TOKEN is missing (needed when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set)',
        );
      if (!slackBot.startsWith('xoxb-'))
        throw new ConfigError('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    }
    if (slackApp && !slackApp.startsWith('xapp-'))
      throw new ConfigError('SLACK_APP_TOKEN must be an app-level token starting with xapp- (Socket Mode)');
    if (!slackApp && !slackSecret)
      throw new ConfigError('Set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) for Slack');
    config.slack = {
      ...(slackBot ? { botToken: slackBot } : {}),
      ...(oauth ? { oauth } : {}),
      appToken: slackApp,
      signingSecret: slackSecret,
      port: port(get('SLACK_PORT') ?? '3000', 'SLACK_PORT'),
      apiUrl: url(get('SLACK_API_URL'), 'SLACK_API_URL'),
      channelManagers: slackManagerPolicy(get('SLACK_CHANNEL_MANAGERS')),
    };
    config.secrets.push(...[slackBot, slackApp, slackSecret].filter((s): s is string => Boolean(s)));
    const shared = config.health && !slackApp && config.health.port !== 0 && config.health.port === config.slack.port;
    if (shared && !config.healthOnSlackPort)
      throw new ConfigError(
        `HEALTH_PORT is SLACK_PORT (${config.slack.port}), the port Slack reaches: /readyz and /metrics would be ` +
          'public there. Choose another HEALTH_PORT, or set HEALTH_ON_SLACK_PORT=true to serve them on it',
      );
  }

  const discordToken = get('DISCORD_TOKEN');
  const discordApp = get('DISCORD_APP_ID');
  if (discordToken || discordApp) {
    if (!discordToken) throw new ConfigError('DISCORD_TOKEN is missing (needed when DISCORD_APP_ID is set)');
    if (!discordApp)
      throw new ConfigError('DISCORD_APP_ID is missing (the application id from the Discord developer portal)');
    if (!/^\d{5,25}$/.test(discordApp)) throw new ConfigError('DISCORD_APP_ID must be a numeric application id');
    const guild = get('DISCORD_GUILD_ID');
    if (guild && !/^\d{5,25}$/.test(guild)) throw new ConfigError('DISCORD_GUILD_ID must be a numeric server id');
    config.discord = {
      token: discordToken,
      appId: discordApp,
      guildId: guild,
      apiUrl: url(get('DISCORD_API_URL'), 'DISCORD_API_URL'),
      linkReplies: bool(get('DISCORD_LINK_REPLIES'), 'DISCORD_LINK_REPLIES'),
      shards: discordShards(get('DISCORD_SHARDS'), get('DISCORD_SHARD_IDS')),
    };
    config.secrets.push(discordToken);
  }

  config.llm = llmConfig(get);
  if (config.llm?.apiKey) config.secrets.push(config.llm.apiKey);
  return config;
}

/** SLACK_CHANNEL_MANAGERS: who may change a channel's alerts, `members` (the default) or `admins`. */
function slackManagerPolicy(value: string | undefined): SlackManagerPolicy {
  const policy = (value ?? 'members').toLowerCase();
  if (!(SLACK_MANAGER_POLICIES as readonly string[]).includes(policy))
    throw new ConfigError(
      "SLACK_CHANNEL_MANAGERS must be members (every full member may change a channel's alerts) or admins " +
        `(workspace admins and owners only); got "${policy.slice(0, 20)}"`,
    );
  return policy as SlackManagerPolicy;
}

/**
 * SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET turn on app distribution (all three, with
 * PAPERBOY_SECRET_KEY to seal the workspaces' tokens); undefined when none is set.
 */
function slackOAuthConfig(get: (name: string) => string | undefined, config: Config): SlackConfig['oauth'] {
  const clientId = get('SLACK_CLIENT_ID');
  const clientSecret = get('SLACK_CLIENT_SECRET');
  const stateSecret = get('SLACK_STATE_SECRET');
  if (!clientId && !clientSecret && !stateSecret) return undefined;
  const missing = Object.entries({
    SLACK_CLIENT_ID: clientId,
    SLACK_CLIENT_SECRET: clientSecret,
    SLACK_STATE_SECRET: stateSecret,
  })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length)
    throw new ConfigError(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing: Slack app distribution needs ` +
        'SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET',
    );
  config.secrets.push(clientSecret!, stateSecret!);
  if (!/^\d+\.\d+$/.test(clientId!))
    throw new ConfigError(
      "SLACK_CLIENT_ID must be the app's client id, like 1234567890.1234567890 (Basic Information)",
    );
  if (stateSecret!.length < 16)
    throw new ConfigError('SLACK_STATE_SECRET must be at least 16 characters (a long random string)');
  if (!config.secretKey)
    throw new ConfigError(
      "PAPERBOY_SECRET_KEY is missing: Slack app distribution stores each workspace's token encrypted with it " +
        '(32 random bytes in base64: openssl rand -base64 32)',
    );
  const redirectUri = url(get('SLACK_REDIRECT_URI'), 'SLACK_REDIRECT_URI');
  const authorizationUrl = url(get('SLACK_AUTHORIZE_URL'), 'SLACK_AUTHORIZE_URL');
  return {
    clientId: clientId!,
    clientSecret: clientSecret!,
    stateSecret: stateSecret!,
    ...(redirectUri ? { redirectUri } : {}),
    ...(authorizationUrl ? { authorizationUrl } : {}),
  };
}

function llmConfig(get: (name: string) => string | undefined): LlmConfig | undefined {
  const baseUrl = url(get('LLM_BASE_URL'), 'LLM_BASE_URL');
  const model = get('LLM_MODEL');
  const apiKey = get('LLM_API_KEY');
  if (!baseUrl && !model && !apiKey) return undefined;
  if (!baseUrl)
    throw new ConfigError(
      'LLM_BASE_URL is missing (needed when LLM_MODEL or LLM_API_KEY is set), e.g. http://localhost:11434/v1',
    );
  if (!model)
    throw new ConfigError('LLM_MODEL is missing (needed when LLM_BASE_URL is set), e.g. gpt-4o-mini or llama3.1');
  if (model.length > 200) throw new ConfigError('LLM_MODEL is too long for a model name');
  return { baseUrl, model, ...(apiKey ? { apiKey } : {}) };
}

const SOURCE_NAMES = ['huggingface', 'arxiv', 'inbox'] as const;
const ARXIV_CATEGORY = /^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$/;

function alertsConfig(get: (name: string) => string | undefined): AlertsConfig {
  const sources = (get('SOURCES') ?? 'huggingface')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((s) => (s === 'arxiv-rss' || s === 'arxiv-api' ? 'arxiv' : s));
  for (const source of sources) {
    if (!(SOURCE_NAMES as readonly string[]).includes(source))
      throw new ConfigError(
        `SOURCES: unknown source "${source.slice(0, 40)}" (use huggingface, arxiv, inbox, comma-separated)`,
      );
  }
  const categories = (get('ARXIV_CATEGORIES') ?? 'cs.CL,cs.LG').split(/[,+\s]+/).filter(Boolean);
  for (const category of categories) {
    if (!ARXIV_CATEGORY.test(category))
      throw new ConfigError(`ARXIV_CATEGORIES: "${category.slice(0, 40)}" is not an arXiv category (e.g. cs.CL)`);
  }
  const interval = get('POLL_INTERVAL_MINUTES') ?? '60';
  const minutes = Number(interval);
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > 10_080)
    throw new ConfigError(
      `POLL_INTERVAL_MINUTES must be a number of minutes from 0 (off) to 10080 (got "${interval.slice(0, 20)}")`,
    );
  if (minutes > 0 && minutes < 5)
    throw new ConfigError(`POLL_INTERVAL_MINUTES must be at least 5 (the sources update daily; got "${interval}")`);
  const digestTime = get('DIGEST_TIME') ?? '09:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(digestTime))
    throw new ConfigError(`DIGEST_TIME must be a time of day HH:MM (got "${digestTime.slice(0, 20)}")`);
  const timeZone = get('TZ') ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new ConfigError(`TZ must be an IANA time zone like Europe/Berlin or UTC (got "${timeZone.slice(0, 60)}")`);
  }
  const inboxDir = get('INBOX_DIR');
  if (sources.includes('inbox') && !inboxDir)
    throw new ConfigError('INBOX_DIR is missing (needed when SOURCES includes inbox)');
  if (sources.includes('arxiv') && categories.length === 0)
    throw new ConfigError('ARXIV_CATEGORIES is empty (needed when SOURCES includes arxiv)');
  return {
    sources: [...new Set(sources)] as AlertsConfig['sources'],
    hfApiUrl: url(get('HF_API_URL'), 'HF_API_URL') ?? 'https://huggingface.co',
    arxivRssUrl: url(get('ARXIV_RSS_URL'), 'ARXIV_RSS_URL') ?? 'https://rss.arxiv.org',
    arxivApiUrl: url(get('ARXIV_API_URL'), 'ARXIV_API_URL') ?? DEFAULT_ARXIV_API_URL,
    arxivCategories: categories,
    arxivIncludeCross: bool(get('ARXIV_INCLUDE_CROSS'), 'ARXIV_INCLUDE_CROSS'),
    inboxDir,
    pollIntervalMinutes: minutes,
    digestTime,
    timeZone,
    deliveredLog: get('ALERTS_LOG'),
    leaderRetrySeconds: seconds(get('LEADER_RETRY_SECONDS'), 'LEADER_RETRY_SECONDS', 15, 1, 300),
    claimSeconds: seconds(get('OUTBOX_CLAIM_SECONDS'), 'OUTBOX_CLAIM_SECONDS', 60, 3, 3600),
    drainSeconds: seconds(get('ALERTS_DRAIN_SECONDS'), 'ALERTS_DRAIN_SECONDS', 60, 1, 3600),
    maxAttempts: count(get('ALERT_MAX_ATTEMPTS'), 'ALERT_MAX_ATTEMPTS', 8, 1, 50),
    reconcileRounds: count(get('ALERT_RECONCILE_ROUNDS'), 'ALERT_RECONCILE_ROUNDS', 5, 1, 100),
    librarySubscriptionsPerWorkspace: whole(
      get('LIKE_LIBRARY_MAX_PER_WORKSPACE'),
      'LIKE_LIBRARY_MAX_PER_WORKSPACE',
      10,
      0,
      10_000,
    ),
    failingReportHours: hours(get('SOURCE_FAILING_REPORT_HOURS'), 'SOURCE_FAILING_REPORT_HOURS', 24, 0, 720),
  };
}

/**
 * RATE_COMMANDS_USER … RATE_LLM_WORKSPACE: each budget's sustained rate, `N/window` (`30/min`, `5/10min`, `40/hour`)
 * or `off`; RATE_COMMANDS_USER_BURST … RATE_LLM_WORKSPACE_BURST: its burst allowance on top, written alike (`off`:
 * none).
 */
function fairUseConfig(get: (name: string) => string | undefined): FairUseLimits {
  const limit = (name: string, fallback: Limit | undefined): Limit | undefined => {
    const sustained = rate(get(name), name, fallback);
    const burstName = `${name}_BURST`;
    const given = get(burstName);
    if (!sustained) {
      if (given !== undefined && !/^(off|0)$/i.test(given))
        throw new ConfigError(`${burstName} needs ${name} (a burst is on top of a rate; ${name} is off)`);
      return undefined;
    }
    // A rate given without its burst has none: the default burst belongs to the default rate.
    const burstFallback = get(name) === undefined ? fallback?.burst : undefined;
    const burst = rate(given, burstName, burstFallback);
    return { points: sustained.points, seconds: sustained.seconds, ...(burst ? { burst } : {}) };
  };
  const budget = (name: string, defaults: Budget): Budget => {
    const user = limit(`RATE_${name}_USER`, defaults.user);
    const workspace = limit(`RATE_${name}_WORKSPACE`, defaults.workspace);
    return { ...(user ? { user } : {}), ...(workspace ? { workspace } : {}) };
  };
  return {
    commands: budget('COMMANDS', DEFAULT_FAIR_USE.commands),
    digests: budget('DIGESTS', DEFAULT_FAIR_USE.digests),
    llm: budget('LLM', DEFAULT_FAIR_USE.llm),
  };
}

const WINDOW_UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  m: 60,
  min: 60,
  h: 3600,
  hour: 3600,
  d: 86_400,
  day: 86_400,
};

/** `30/min`, `5/10min`, `40/hour`, `100/1d`: uses per window; `off` (or `0`): no limit. */
function rate(value: string | undefined, name: string, fallback: Rate | undefined): Rate | undefined {
  if (value === undefined) return fallback;
  if (/^(off|0)$/i.test(value)) return undefined;
  const parsed = /^(\d{1,7})\s*\/\s*(\d{0,6})\s*([a-z]{1,4})$/i.exec(value);
  const unit = parsed ? WINDOW_UNITS[parsed[3]!.toLowerCase()] : undefined;
  const seconds = parsed && unit ? Number(parsed[2] || 1) * unit : 0;
  if (!parsed || !unit || Number(parsed[1]) < 1 || seconds < 1 || seconds > 7 * 86_400)
    throw new ConfigError(
      `${name} must be uses per window, like 30/min, 5/10min or 40/hour (at most a week), or off ` +
        `(got "${value.slice(0, 20)}")`,
    );
  return { points: Number(parsed[1]), seconds };
}

function whole(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value.slice(0, 20)}")`);
  return n;
}

/** DISCORD_SHARDS (`auto` or a count) and DISCORD_SHARD_IDS (this instance's shards: `0,2` or `0-3`). */
function discordShards(count: string | undefined, ids: string | undefined): DiscordConfig['shards'] {
  if (!count) {
    if (ids) throw new ConfigError('DISCORD_SHARD_IDS needs DISCORD_SHARDS (the total number of shards)');
    return undefined;
  }
  if (count.toLowerCase() === 'auto') {
    if (ids) throw new ConfigError('DISCORD_SHARD_IDS needs a number in DISCORD_SHARDS, not auto');
    return { count: 'auto' };
  }
  const total = Number(count);
  if (!Number.isInteger(total) || total < 1 || total > 10_000)
    throw new ConfigError(`DISCORD_SHARDS must be auto or a number of shards from 1 (got "${count.slice(0, 20)}")`);
  if (!ids) return { count: total };
  const chosen = new Set<number>();
  for (const part of ids.split(',').map((p) => p.trim())) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    const from = Number(range?.[1]);
    const to = Number(range?.[2] ?? range?.[1]);
    if (!range || to < from || to >= total)
      throw new ConfigError(
        `DISCORD_SHARD_IDS must list shard ids from 0 to ${total - 1}, like 0,2 or 0-3 (got "${part.slice(0, 20)}")`,
      );
    for (let id = from; id <= to; id++) chosen.add(id);
  }
  return { count: total, ids: [...chosen].sort((a, b) => a - b) };
}

/** A retention in whole days, from 1 to ten years. */
function days(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650)
    throw new ConfigError(`${name} must be a whole number of days from 1 to 3650 (got "${value.slice(0, 20)}")`);
  return n;
}

function seconds(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a number of seconds from ${min} to ${max} (got "${value.slice(0, 20)}")`);
  return n;
}

function count(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value.slice(0, 20)}")`);
  return n;
}

function hours(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new ConfigError(
      `${name} must be a number of hours from ${min} (off) to ${max} (got "${value.slice(0, 20)}")`,
    );
  return n;
}

/**
 * The database a `--db` flag names (the CLI's): a postgres:// URL, or a SQLite file path. Given, it wins over
 * DATABASE_URL and PAPERBOY_DB; absent, the configured one is used.
 */
export function databaseFromFlag(config: Config, flag: string | undefined): Pick<Config, 'dbPath' | 'databaseUrl'> {
  if (flag === undefined) return { dbPath: config.dbPath, databaseUrl: config.databaseUrl };
  if (/^postgres(ql)?:/i.test(flag)) {
    config.secrets.push(...urlSecrets(flag));
    return { dbPath: config.dbPath, databaseUrl: postgresUrl(flag, '--db') };
  }
  return { dbPath: flag };
}

/** A PostgreSQL connection URL, checked for form only (whether the server answers is the store's to say). */
function postgresUrl(value: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    // Not echoed: the text may hold a password.
    throw new ConfigError(`${name} is not a valid URL (expected postgres://user:password@host:5432/database)`);
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol))
    throw new ConfigError(
      `${name} must be a postgres:// or postgresql:// URL (got ${parsed.protocol.slice(0, 20)}…); ` +
        'leave DATABASE_URL unset to use SQLite',
    );
  if (!parsed.hostname && !parsed.searchParams.get('host'))
    throw new ConfigError(`${name} names no host (expected postgres://user:password@host:5432/database)`);
  return value;
}

/** The password of a URL, as written and decoded, so the logger redacts it wherever it turns up. */
function urlSecrets(value: string): string[] {
  try {
    const password = new URL(value).password;
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [value];
  }
}

function readEnvironment(): Env {
  loadDotenv({ quiet: true });
  return process.env;
}

function port(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a port number 0-65535 (got "${value}")`);
  return n;
}

function host(value: string, name: string): string {
  if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(value) && !/^\[[0-9A-Fa-f:.]+\]$/.test(value))
    throw new ConfigError(
      `${name} must be an interface address or host name, e.g. 0.0.0.0 (got "${value.slice(0, 60)}")`,
    );
  return value.replace(/^\[(.*)\]$/, '$1');
}

function url(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(value);
    if (!/^https?:$/.test(parsed.protocol)) throw new Error();
    return value;
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL (got "${value.slice(0, 100)}")`);
  }
}

function bool(value: string | undefined, name: string): boolean {
  if (value === undefined) return false;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false (got "${value.slice(0, 20)}")`);
}
