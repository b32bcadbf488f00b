/**
 * Why Slack's answers pause a channel's alerts, in words a member of the channel can act on (`/paper subscriptions`,
 * the notice to subscribers): the codes slack-errors.ts counts as a channel paperboy cannot post in, and the removal
 * of the app from a workspace (listeners/uninstalls.ts).
 */
import type { PauseExplainer, PauseExplanation } from '../../core/alerts/pause-reasons.ts';

const INVITE = 'Invite me with `/invite @paperboy`';
const REINSTALL = 'An admin can install paperboy again (from `slack/manifest.json`, or its install link)';
const ASK_ADMIN = 'Ask a workspace admin to let paperboy post in this channel';

const EXPLANATIONS: Record<string, PauseExplanation> = {
  not_in_channel: { why: 'I am not in this channel', fix: INVITE },
  channel_not_found: {
    why: 'I cannot see this channel (it is private and I am not in it, or it was deleted)',
    fix: INVITE,
  },
  is_archived: { why: 'the channel was archived', fix: 'Unarchive it' },
  restricted_action: { why: 'a workspace setting does not let me post in this channel', fix: ASK_ADMIN },
  restricted_action_read_only_channel: { why: 'the channel is read-only for apps like me', fix: ASK_ADMIN },
  restricted_action_thread_only_channel: {
    why: 'the channel takes replies in threads only, and an alert starts a message',
    fix: ASK_ADMIN,
  },
  ekm_access_denied: { why: "Slack's Enterprise Key Management has revoked access to this channel", fix: ASK_ADMIN },
  team_access_not_granted: {
    why: 'paperboy has not been granted access to this workspace of the organisation',
    fix: 'Ask an organisation admin to add paperboy to this workspace',
  },
  access_denied: { why: 'Slack denied me access to this channel', fix: ASK_ADMIN },
  not_installed: { why: 'paperboy was removed from this workspace', fix: REINSTALL },
  app_uninstalled: { why: 'paperboy was removed from this workspace', fix: REINSTALL },
  tokens_revoked: { why: "paperboy's access to this workspace was revoked", fix: REINSTALL },
  installation_unreadable: {
    why: "I cannot open this workspace's stored installation (the key it was stored with, PAPERBOY_SECRET_KEY, changed)",
    fix: 'Ask whoever runs paperboy to restore the key, or install paperboy again',
  },
};

export const explainSlackPause: PauseExplainer = (code, detail) => {
  if (code === 'missing_scope')
    return {
      why: `my token lacks ${detail ? `the \`${detail}\` permission` : 'a permission Slack asks for here'}`,
      fix: `${REINSTALL} to grant it`,
    };
  return EXPLANATIONS[code];
};
