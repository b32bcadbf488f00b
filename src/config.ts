/**
 * Configuration from the environment (and `.env` through dotenv), validated once at start. The only
 * module that reads process.env; everything else receives typed config.
 */
import { config as loadDotenv } from 'dotenv';
import type { LogLevel } from './core/logger.ts';

export class ConfigError extends Error {}

export interface SlackConfig {
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  port: number;
  apiUrl?: string;
}

export interface DiscordConfig {
  token: string;
  appId: string;
  guildId?: string;
  apiUrl?: string;
  linkReplies: boolean;
}

export interface Config {
  dbPath: string;
  /** Persisted search index folder; default: `index/` beside the database. */
  indexDir?: string;
  logLevel: LogLevel;
  slack?: SlackConfig;
  discord?: DiscordConfig;
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
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error (got "${logLevel}")`);
  const config: Config = {
    dbPath: get('PAPERBOY_DB') ?? './data/paperboy.db',
    indexDir: get('PAPERBOY_INDEX_DIR'),
    logLevel,
    secrets: [],
  };

  const slackBot = get('SLACK_BOT_TOKEN');
  const slackApp = get('SLACK_APP_TOKEN');
  const slackSecret = get('SLACK_SIGNING_SECRET');
  if (slackBot || slackApp || slackSecret) {
    if (!slackBot) throw new ConfigError('SLACK_BOT_TOKEN is missing (needed when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set)');
    if (!slackBot.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    if (slackApp && !slackApp.startsWith('xapp-')) throw new ConfigError('SLACK_APP_TOKEN must be an app-level token starting with xapp- (Socket Mode)');
    if (!slackApp && !slackSecret) throw new ConfigError('Set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) for Slack');
    config.slack = {
      botToken: slackBot,
      appToken: slackApp,
      signingSecret: slackSecret,
      port: port(get('SLACK_PORT') ?? '3000', 'SLACK_PORT'),
      apiUrl: url(get('SLACK_API_URL'), 'SLACK_API_URL'),
    };
    config.secrets.push(...[slackBot, slackApp, slackSecret].filter((s): s is string => Boolean(s)));
  }

  const discordToken = get('DISCORD_TOKEN');
  const discordApp = get('DISCORD_APP_ID');
  if (discordToken || discordApp) {
    if (!discordToken) throw new ConfigError('DISCORD_TOKEN is missing (needed when DISCORD_APP_ID is set)');
    if (!discordApp) throw new ConfigError('DISCORD_APP_ID is missing (the application id from the Discord developer portal)');
    if (!/^\d{5,25}$/.test(discordApp)) throw new ConfigError('DISCORD_APP_ID must be a numeric application id');
    const guild = get('DISCORD_GUILD_ID');
    if (guild && !/^\d{5,25}$/.test(guild)) throw new ConfigError('DISCORD_GUILD_ID must be a numeric server id');
    config.discord = {
      token: discordToken,
      appId: discordApp,
      guildId: guild,
      apiUrl: url(get('DISCORD_API_URL'), 'DISCORD_API_URL'),
      linkReplies: bool(get('DISCORD_LINK_REPLIES'), 'DISCORD_LINK_REPLIES'),
    };
    config.secrets.push(discordToken);
  }
  return config;
}

function readEnvironment(): Env {
  loadDotenv({ quiet: true });
  return process.env;
}

function port(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number 0-65535 (got "${value}")`);
  return n;
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
