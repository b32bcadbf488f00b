/**
 * Slack app distribution through Bolt's own OAuth flow (@slack/oauth): `/slack/install` shows the Add to Slack page
 * and sets a state cookie; Slack's authorize page sends the installer back to `/slack/oauth_redirect` with a code and
 * the state, which Bolt checks (signed with the state secret, and the same browser's cookie) before exchanging the
 * code (`oauth.v2.access`) and handing the installation to our store. Every request is then authorized from the
 * store with the workspace's own bot token.
 */
import type { AppOptions } from '@slack/bolt';
import type { SlackInstallations } from './installations.ts';

/** The bot scopes asked for on install: the same as slack/manifest.json's (a test holds them equal). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'links:read',
  'links:write',
  'app_mentions:read',
  'channels:history',
  'groups:history',
  'users:read',
  'files:write',
  'reactions:read',
  // The Home tab: the channels a user is in (users.conversations), and their direct messages for library exports.
  'channels:read',
  'groups:read',
  'im:write',
];

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state` parameter. */
  stateSecret: string;
  /** The full redirect URL, needed when the app lists more than one (else Slack uses its only one). */
  redirectUri?: string;
  /** Slack's authorize page (tests point it at a fake). */
  authorizationUrl?: string;
}

/** The App options that turn on the OAuth flow with our installation store. */
export function oauthAppOptions(config: SlackOAuthConfig, installations: SlackInstallations): AppOptions {
  return {
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    stateSecret: config.stateSecret,
    scopes: BOT_SCOPES,
    installationStore: installations,
    ...(config.redirectUri ? { redirectUri: config.redirectUri } : {}),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      ...(config.authorizationUrl ? { authorizationUrl: config.authorizationUrl } : {}),
      callbackOptions: {
        success: (installation, _options, _req, res) => {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(installedPage(installation.team?.name ?? installation.enterprise?.name));
        },
      },
    },
  };
}

function installedPage(workspace: string | undefined): string {
  const where = workspace ? ` in ${escapeHtml(workspace)}` : '';
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>paperboy is installed</title></head><body>' +
    `<h1>paperboy is installed${where}</h1>` +
    '<p>Type <code>/paper help</code> in any channel to start. If paperboy was installed here before, alerts it ' +
    'paused when it was removed stay paused: run <code>/paper subscriptions resume</code> in those channels.</p>' +
    '</body></html>'
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
