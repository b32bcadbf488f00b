/**
 * The Slack adapter's entry point: a Bolt App wired to the dispatcher. Socket Mode when an app token
 * is configured (no public URL needed), HTTP mode on `/slack/events` otherwise. One workspace with a
 * bot token, or a distributed app (`oauth`): Bolt's OAuth flow installs it in many workspaces and
 * every request is answered with its workspace's token from the store (oauth.ts). Configuration comes
 * in as arguments: adapters never read process.env.
 */
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, SocketModeReceiver, webApi } from '@slack/bolt';
import type { RightCheck } from '../../core/command.ts';
import type { Dispatcher } from '../../core/dispatcher.ts';
import type { InFlight } from '../../core/in-flight.ts';
import type { Logger } from '../../core/logger.ts';
import { describeError } from '../../core/logger.ts';
import type { Metrics } from '../../core/metrics.ts';
import { Turns } from '../turns.ts';
import { stampArrival } from './ack-timer.ts';
import { boltLogger } from './bolt-logger.ts';
import { SlackChannelManagers, type SlackManagerPolicy } from './channel-managers.ts';
import { SlackChannelMembership } from './channel-membership.ts';
import { dedupeEvents, type SeenCheck } from './dedupe.ts';
import { SlackHome } from './home.ts';
import { admitWhileOpen } from './in-flight-gate.ts';
import type { SlackInstallations } from './installations.ts';
import { slackInvoker } from './invoker.ts';
import * as actions from './listeners/actions.ts';
import * as commands from './listeners/commands.ts';
import type { ListenerDeps } from './listeners/deps.ts';
import * as homeTab from './listeners/home.ts';
import * as mentions from './listeners/mentions.ts';
import * as reactions from './listeners/reactions.ts';
import * as shortcuts from './listeners/shortcuts.ts';
import * as unfurls from './listeners/unfurls.ts';
import * as uninstalls from './listeners/uninstalls.ts';
import { INSTALL_PATH, oauthAppOptions, REDIRECT_PATH, type SlackOAuthConfig } from './oauth.ts';
import { classifySlackError } from './slack-errors.ts';
import { slackWebClientOptions } from './web-client.ts';

export interface SlackConfig {
  /** `xoxb-...`: one workspace's bot token. Absent when `oauth` distributes the app. */
  botToken?: string;
  /** A distributed app: Bolt's OAuth flow, installations in the store (HTTP mode only). */
  oauth?: SlackOAuthConfig;
  /** `xapp-...` with `connections:write`: turns on Socket Mode. */
  appToken?: string;
  /** Needed in HTTP mode to verify that requests come from Slack. */
  signingSecret?: string;
  /** HTTP mode's port (0 picks a free one). */
  port: number;
  /** HTTP mode's interface (default: all; tests use 127.0.0.1). */
  host?: string;
  /** Web API base URL override (tests point it at a fake). */
  apiUrl?: string;
  /** Known bot ids skip the start-up `auth.test` call. */
  botUserId?: string;
  botId?: string;
  /**
   * The workspace (and Grid organisation) a single-workspace app is installed in, learnt from `auth.test` at start:
   * whose members may manage its channels' alerts. Unknown: each request's own workspace.
   */
  teamId?: string;
  enterpriseId?: string;
  /** SLACK_CHANNEL_MANAGERS: who may change a channel's alerts (default `members`; see channel-managers.ts). */
  channelManagers?: SlackManagerPolicy;
  /**
   * Web API retries of a call that never reached Slack (connection refused, host not found). Default 2. Nothing
   * Slack may have processed is retried blindly (web-client.ts); rate limits are waited out separately.
   */
  retries?: number;
}

export interface SlackDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  /** How to wait out a Retry-After; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Records ack latency (commands, clicks). */
  metrics?: Metrics;
  /** Tracks requests being answered; once closed (shutdown), new ones are turned away. */
  inFlight?: InFlight;
  /** Extra HTTP routes on SLACK_PORT in HTTP mode (the health and metrics endpoints); ignored in Socket Mode. */
  routes?: CustomRoute[];
  /** The workspaces' installations: needed with `config.oauth`. */
  installations?: SlackInstallations;
  /** Which event ids were handled already (shared by all instances on PostgreSQL); default: this process's memory. */
  seenEvents?: SeenCheck;
  /** The bounded queue command work waits in (shared with the other platforms); default: one of its own. */
  turns?: Turns;
}

export interface SlackHandle {
  app: App;
  mode: 'socket' | 'http';
  /** HTTP mode: the port actually listened on. */
  port?: number;
  /** Socket Mode: the socket is open; HTTP mode: the server is listening. */
  connected(): boolean;
  stop(): Promise<void>;
}

/** The Socket Mode receiver behind each app we built, so stop() can wait for its socket to close. */
const socketReceivers = new WeakMap<App, SocketModeReceiver>();

export function createSlackApp(config: SlackConfig, deps: SlackDeps): App {
  if (!config.botToken && !config.oauth)
    throw new Error('Slack needs a bot token (SLACK_BOT_TOKEN), or SLACK_CLIENT_ID and its secrets to distribute.');
  const socketMode = Boolean(config.appToken);
  if (!socketMode && !config.signingSecret) {
    throw new Error(
      'Slack HTTP mode needs a signing secret (SLACK_SIGNING_SECRET); or set SLACK_APP_TOKEN for Socket Mode.',
    );
  }
  if (config.oauth && (socketMode || !deps.installations))
    throw new Error('Slack app distribution (OAuth) needs HTTP mode and the installations store.');
  const logger = boltLogger(deps.logger);
  const clientOptions = slackWebClientOptions(config);
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: config.appToken!, logger, installerOptions: { clientOptions } })
    : undefined;
  const app = new App({
    ...(config.oauth && deps.installations
      ? oauthAppOptions(config.oauth, deps.installations)
      : { token: config.botToken, botId: config.botId, botUserId: config.botUserId }),
    logger,
    clientOptions,
    ...(socketMode
      ? { receiver }
      : {
          signingSecret: config.signingSecret,
          port: config.port,
          endpoints: '/slack/events',
          processBeforeResponse: false,
          ...(deps.routes?.length ? { customRoutes: deps.routes } : {}),
        }),
  });
  if (receiver) socketReceivers.set(app, receiver);
  app.error(async (error) => {
    deps.logger.error('slack listener error', { error: describeError(error) });
  });
  app.use(stampArrival());
  if (deps.inFlight) app.use(admitWhileOpen(deps.inFlight, deps.logger));
  app.use(dedupeEvents(deps.logger, deps.seenEvents));
  const channelManagers = new SlackChannelManagers({
    policy: config.channelManagers ?? 'members',
    logger: deps.logger,
    sleep: deps.sleep,
    ...(config.teamId ? { installedIn: { teamId: config.teamId, enterpriseId: config.enterpriseId } } : {}),
  });
  const membership = new SlackChannelMembership({ logger: deps.logger, sleep: deps.sleep });
  const turns = deps.turns ?? new Turns();
  const home = new SlackHome({ dispatcher: deps.dispatcher, logger: deps.logger, sleep: deps.sleep, turns });
  const access: ListenerDeps['access'] = (client, userId, context) => {
    const managers = channelManagers.forUser(client, userId, context);
    const manages = managers.canManageChannel as RightCheck;
    const channelsOf = membership.forUser(client, userId, context.teamId, manages);
    return {
      ...managers,
      channelsOf,
      // A save or a removal shows on the user's Home tab at once (in the background: the answer does not wait).
      libraryChanged: () => {
        if (!userId) return;
        const invoker = slackInvoker(userId, undefined, context.teamId, undefined, { ...managers, channelsOf });
        void home.publish(client, invoker);
      },
    };
  };
  const listenerDeps: ListenerDeps = {
    dispatcher: deps.dispatcher,
    logger: deps.logger,
    sleep: deps.sleep,
    metrics: deps.metrics,
    channelManagers,
    turns,
    access,
    home,
  };
  commands.register(app, listenerDeps);
  actions.register(app, listenerDeps);
  mentions.register(app, listenerDeps);
  unfurls.register(app, listenerDeps);
  reactions.register(app, listenerDeps);
  shortcuts.register(app, listenerDeps);
  homeTab.register(app, listenerDeps);
  if (config.oauth && deps.installations) uninstalls.register(app, listenerDeps, deps.installations);
  return app;
}

/**
 * Checks the bot token once at start-up (`auth.test`) and learns the bot's ids, so a wrong token is a
 * clear start-up error instead of every event failing later.
 */
async function identify(config: SlackConfig, deps: SlackDeps): Promise<SlackConfig> {
  // A distributed app has no token of its own: each workspace's is checked when it installs.
  if (config.botUserId || !config.botToken) return config;
  const client = new webApi.WebClient(config.botToken, {
    ...slackWebClientOptions(config),
    logger: boltLogger(deps.logger),
  });
  try {
    const result = await client.auth.test();
    return {
      ...config,
      botUserId: result.user_id,
      botId: result.bot_id,
      teamId: result.team_id,
      ...(result.enterprise_id ? { enterpriseId: result.enterprise_id } : {}),
    };
  } catch (error) {
    throw new Error(`Slack did not accept the bot token (${classifySlackError(error).code}); check SLACK_BOT_TOKEN.`);
  }
}

export async function startSlack(config: SlackConfig, deps: SlackDeps): Promise<SlackHandle> {
  const app = createSlackApp(await identify(config, deps), deps);
  if (config.appToken) {
    const connected = socketState(app);
    await app.start();
    deps.logger.info('slack adapter connected (Socket Mode)');
    return { app, mode: 'socket', connected, stop: () => stopSocketMode(app) };
  }
  const server = await app.start(config.host ? { port: config.port, host: config.host } : config.port);
  const port = (server.address() as AddressInfo | null)?.port;
  deps.logger.info('slack adapter listening (HTTP mode)', {
    port,
    paths: [
      '/slack/events',
      ...(config.oauth ? [INSTALL_PATH, REDIRECT_PATH] : []),
      ...(deps.routes ?? []).map((r) => r.path),
    ],
  });
  return { app, mode: 'http', port, connected: () => server.listening, stop: () => app.stop().then(() => undefined) };
}

/** Follows the Socket Mode client's lifecycle events: connected from Slack's hello until a disconnect. */
function socketState(app: App): () => boolean {
  const client = socketReceivers.get(app)?.client;
  let connected = false;
  client?.on('connected', () => {
    connected = true;
  });
  for (const state of ['reconnecting', 'disconnecting', 'disconnected'])
    client?.on(state, () => {
      connected = false;
    });
  return () => connected;
}

/** How long stop() waits for Slack to finish the WebSocket close handshake. */
const CLOSE_WAIT_MS = 3000;

/**
 * app.stop() resolves as soon as the close frame is sent; the socket (and a 30 s handshake timer in
 * the Socket Mode client) lives on until the peer answers. Waiting for that lets the process exit.
 */
async function stopSocketMode(app: App): Promise<void> {
  const client = socketReceivers.get(app)?.client;
  const closed = new Promise<void>((resolve) => {
    if (!client) return resolve();
    const timer = setTimeout(resolve, CLOSE_WAIT_MS);
    timer.unref();
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await app.stop();
  await closed;
}
