/**
 * What Slack sends to an app in HTTP mode, built from the captured payloads in test/fixtures/slack:
 * slash commands (form fields), block_actions (`payload=` JSON), Events API callbacks (JSON), each
 * signed like Slack signs them (`v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BlockAction, ButtonAction, EnvelopedEvent, types } from '@slack/bolt';

const FIXTURES = new URL('../fixtures/slack/', import.meta.url);

/** A captured payload, typed as what the caller knows it to be. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
}

/** The captured slash command's form fields (command `/test`, text, response_url, ids). */
export function slashCommandFields(): Record<string, string> {
  return fixture<{ slashCommandWithArgs: Record<string, string> }>('vercel-chat_slash-commands.json')
    .slashCommandWithArgs;
}

/** The captured event callbacks: a message, then an app_mention. */
function capturedEvents(): [EnvelopedEvent, EnvelopedEvent<types.AppMentionEvent>] {
  return fixture('vercel-chat_sample-messages_event_callback.json');
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface PostOptions {
  timestamp?: number;
  signature?: string;
  headers?: Record<string, string>;
}

/** POSTs a signed request to the app's /slack/events endpoint. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  options: PostOptions = {},
): Promise<{ status: number; text: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? sign(secret, timestamp, body),
      ...options.headers,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** The captured slash command with our command, text and response_url. */
export function slashCommandBody(text: string, responseUrl: string): string {
  return new URLSearchParams({
    ...slashCommandFields(),
    command: '/paper',
    text,
    response_url: responseUrl,
  }).toString();
}

/** The captured block_actions payload (a button in a message) with our action id. */
export function blockActionPayload(
  actionId: string,
  responseUrl: string,
  options: { ephemeral?: boolean; threadTs?: string } = {},
): BlockAction<ButtonAction> {
  const captured = structuredClone(
    fixture<{ buttonAction: BlockAction<ButtonAction> }>('vercel-chat_streaming_block_actions_trimmed.json')
      .buttonAction,
  );
  captured.actions = [{ ...captured.actions[0]!, action_id: actionId, value: actionId }];
  captured.response_url = responseUrl;
  captured.container = { ...captured.container, is_ephemeral: options.ephemeral ?? true };
  const message = captured.message!;
  if (options.threadTs) {
    captured.container.thread_ts = options.threadTs;
    message.thread_ts = options.threadTs;
  } else {
    delete captured.container.thread_ts;
    delete message.thread_ts;
  }
  return captured;
}

export function blockActionBody(payload: BlockAction<ButtonAction>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The captured app_mention event_callback (with event_id) with our text, thread and bot id. */
export function appMentionEvent(
  text: string,
  options: { threadTs?: string; eventId?: string; botUserId: string; channel?: string },
): EnvelopedEvent<types.AppMentionEvent> {
  const captured = structuredClone(capturedEvents()[1]);
  captured.event.text = text.replace(/<@BOT>/g, `<@${options.botUserId}>`);
  delete captured.event.blocks;
  if (options.threadTs) captured.event.thread_ts = options.threadTs;
  if (options.channel) captured.event.channel = options.channel;
  captured.event_id = options.eventId ?? captured.event_id;
  captured.authorizations![0]!.user_id = options.botUserId;
  return captured;
}

/** A link_shared event_callback (shape from Slack's Events API reference, ids from the captures). */
export function linkSharedEvent(
  urls: string[],
  options: { eventId: string; messageTs?: string },
): EnvelopedEvent<types.LinkSharedEvent> {
  const base = capturedEvents()[1];
  return {
    token: base.token,
    team_id: base.team_id,
    api_app_id: base.api_app_id,
    type: 'event_callback',
    event_id: options.eventId,
    event_time: base.event_time,
    authorizations: base.authorizations,
    event: {
      type: 'link_shared',
      channel: base.event.channel,
      is_bot_user_member: true,
      user: base.event.user!,
      message_ts: options.messageTs ?? '1766458099.000100',
      unfurl_id: 'C00FAKECHAN1.1766458099.000100.fake',
      source: 'conversations_history',
      event_ts: '1766458099.000200',
      links: urls.map((url) => ({ domain: new URL(url).hostname.replace(/^www\./, ''), url })),
    },
  };
}

/**
 * A reaction_added or reaction_removed event_callback on a message (shape from Slack's Events API reference, ids from
 * the captures), delivered to the installation of `teamId` (default: the captured events' workspace).
 */
export function reactionEvent(
  type: 'reaction_added' | 'reaction_removed',
  options: {
    reaction: string;
    user: string;
    channel: string;
    ts: string;
    /** Whose message it is (the bot's, for a card). */
    itemUser: string;
    eventId: string;
    teamId?: string;
  },
): EnvelopedEvent {
  const base = capturedEvents()[1];
  const teamId = options.teamId ?? base.team_id;
  return {
    token: base.token,
    team_id: teamId,
    api_app_id: base.api_app_id,
    type: 'event_callback',
    event_id: options.eventId,
    event_time: base.event_time,
    authorizations: base.authorizations?.map((a) => ({ ...a, team_id: teamId })),
    event: {
      type,
      user: options.user,
      reaction: options.reaction,
      item_user: options.itemUser,
      item: { type: 'message', channel: options.channel, ts: options.ts },
      event_ts: '1766458300.000100',
    },
  } as unknown as EnvelopedEvent;
}

/** A message shortcut's `message_action` payload (shape from Slack's interactivity reference, ids from the captures). */
export function messageShortcutPayload(
  callbackId: string,
  message: { ts: string; text: string; user?: string; thread_ts?: string; blocks?: unknown[] },
  options: { channel: string; user: string; responseUrl: string },
): Record<string, unknown> {
  const base = capturedEvents()[1];
  // The workspace of the slash commands (slashCommandFields): one workspace for a test's commands and clicks.
  const team = slashCommandFields().team_id;
  return {
    type: 'message_action',
    token: base.token,
    action_ts: '1766458400.000100',
    team: { id: team, domain: 'paperlab' },
    user: { id: options.user, username: 'ada', name: 'ada', team_id: team },
    channel: { id: options.channel, name: 'papers' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: '1766458400.fake-trigger',
    response_url: options.responseUrl,
    message_ts: message.ts,
    message: { type: 'message', user: message.user ?? 'U0ADA', ...message },
  };
}

/** An interactivity payload as Slack POSTs it (`payload=` JSON, form-encoded). */
export function interactivityBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An app_home_opened event_callback (shape from Slack's Events API reference). */
export function appHomeOpenedEvent(user: string, options: { eventId: string; teamId?: string }): EnvelopedEvent {
  const base = capturedEvents()[1];
  return {
    token: base.token,
    team_id: options.teamId ?? base.team_id,
    api_app_id: base.api_app_id,
    type: 'event_callback',
    event_id: options.eventId,
    event_time: base.event_time,
    authorizations: base.authorizations?.map((a) => ({ ...a, team_id: options.teamId ?? a.team_id })),
    event: { type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home', event_ts: '1766458500.000100' },
  } as unknown as EnvelopedEvent;
}

/** A block_actions payload from the Home tab (or a modal): an input's value or a button, with a trigger_id. */
export function viewActionPayload(
  action: { action_id: string; type: 'button' | 'plain_text_input'; value?: string },
  options: { user: string; view: 'home' | 'modal' },
): Record<string, unknown> {
  const base = capturedEvents()[1];
  // The workspace of the slash commands (slashCommandFields): one workspace for a test's commands and clicks.
  const team = slashCommandFields().team_id;
  return {
    type: 'block_actions',
    team: { id: team, domain: 'paperlab' },
    user: { id: options.user, username: 'ada', name: 'ada', team_id: team },
    api_app_id: base.api_app_id,
    token: base.token,
    container: { type: 'view', view_id: 'V0HOME' },
    trigger_id: '1766458600.fake-trigger',
    view: { id: 'V0HOME', type: options.view, blocks: [], state: { values: {} }, hash: '1' },
    actions: [{ ...action, block_id: 'b', action_ts: '1766458600.000100' }],
  };
}
