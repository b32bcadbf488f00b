/**
 * A distributed Slack app as the integration tests run it: the real Bolt App in HTTP mode with its built-in OAuth flow,
 * against the fake Slack (authorize page, oauth.v2.access, auth.test per token), installations sealed in paperboy's
 * store; and the installer's browser, slash commands and events of a given workspace.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type SlackConfig, type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import { SlackInstallations } from '../../src/adapters/slack/installations.ts';
import { SecretBox } from '../../src/core/secret-box.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import type { FakeSlackApi, FakeWorkspace } from '../fakes/slack-api.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { postSigned, slashCommandFields } from '../fakes/slack-requests.ts';

export const OAUTH_APP = {
  signingSecret: 'oauth-test-signing-secret',
  clientId: '1111111111.2222222222',
  clientSecret: 'client-secret-0123456789abcdef',
  stateSecret: 'state-secret-0123456789abcdef',
};

const FORM = 'application/x-www-form-urlencoded';

export interface OAuthSlack {
  handle: SlackHandle;
  installations: SlackInstallations;
  config: SlackConfig;
  logger: CaptureLogger;
  /** The app's base URL (`/slack/install`, `/slack/events`, `/slack/oauth_redirect`). */
  base: string;
  /** The installer's browser: the install page, Slack's authorize page, back to the redirect (with the cookie). */
  install(
    workspace: FakeWorkspace,
    options?: { cookie?: boolean },
  ): Promise<{ authorize: URL; cookie: string; callback: URL; status: number; html: string }>;
  /** `/paper <text>` typed by `userId` (default: the workspace's installer) in `channelId`. */
  slash(workspace: FakeWorkspace, channelId: string, text: string, userId?: string): ReturnType<typeof postSigned>;
  /** An Events API callback from the workspace (`envelope`: more envelope fields, e.g. `authorizations`). */
  event(
    workspace: FakeWorkspace,
    payload: Record<string, unknown>,
    envelope?: Record<string, unknown>,
  ): ReturnType<typeof postSigned>;
  stop(): Promise<void>;
}

export async function startOAuthSlack(pb: Paperboy, api: FakeSlackApi): Promise<OAuthSlack> {
  const installations = new SlackInstallations(pb.store, new SecretBox(randomBytes(32)));
  const logger = new CaptureLogger();
  const { signingSecret, clientId, clientSecret, stateSecret } = OAUTH_APP;
  const config: SlackConfig = {
    oauth: { clientId, clientSecret, stateSecret, authorizationUrl: api.authorizeUrl },
    signingSecret,
    port: 0,
    host: '127.0.0.1',
    apiUrl: api.apiUrl,
    retries: 0,
  };
  const handle = await startSlack(config, { dispatcher: pb.dispatcher, logger, installations });
  const base = `http://127.0.0.1:${handle.port}`;
  api.oauthApp = { clientId, clientSecret, redirectUrl: `${base}/slack/oauth_redirect` };
  return {
    handle,
    installations,
    config,
    logger,
    base,
    async install(workspace, options = {}) {
      const page = await fetch(`${base}/slack/install`);
      assert.equal(page.status, 200);
      const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
      const href = /<a href="([^"]+)"/.exec(await page.text())?.[1]?.replace(/&amp;/g, '&');
      assert.ok(href, 'the install page links to Slack');
      const authorize = new URL(href);
      api.installAs(workspace);
      const approved = await fetch(authorize, { redirect: 'manual' });
      assert.equal(approved.status, 302);
      const callback = new URL(approved.headers.get('location')!);
      const done = await fetch(callback, { headers: options.cookie === false ? {} : { cookie } });
      return { authorize, cookie, callback, status: done.status, html: await done.text() };
    },
    slash(workspace, channelId, text, userId = workspace.installerId) {
      const body = new URLSearchParams({
        ...slashCommandFields(),
        team_id: workspace.teamId,
        team_domain: workspace.teamName.toLowerCase().replace(/ /g, '-'),
        channel_id: channelId,
        user_id: userId,
        command: '/paper',
        text,
        response_url: api.responseUrl(`${workspace.teamId}:${text}`),
      }).toString();
      return postSigned(`${base}/slack/events`, signingSecret, body, FORM);
    },
    event(workspace, payload, envelope = {}) {
      const body = {
        ...envelope,
        token: 'legacy',
        team_id: workspace.teamId,
        api_app_id: 'A0PAPERBOY',
        type: 'event_callback',
        event_id: `Ev${randomBytes(6).toString('hex')}`,
        event_time: Math.floor(Date.now() / 1000),
        event: { ...payload, event_ts: `${Date.now() / 1000}` },
      };
      return postSigned(`${base}/slack/events`, signingSecret, JSON.stringify(body), 'application/json');
    },
    stop: () => handle.stop(),
  };
}
