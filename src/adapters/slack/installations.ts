/**
 * Bolt's InstallationStore over the store's installations: each workspace's installation (its bot token and the
 * rest of what `oauth.v2.access` returned) is sealed with the secret box before it reaches the database and opened
 * when Bolt authorizes a request. The alerts ask it for a workspace's token too (`botTokenFor`), and the uninstall
 * listener removes a workspace through it; installing again brings a removed workspace back (its data kept).
 */
import type { InstallationStore as BoltInstallationStore, Installation, InstallationQuery } from '@slack/bolt';
import { type SecretBox, SecretBoxError } from '../../core/secret-box.ts';
import type { Store } from '../../core/store/store.ts';
import { removeWorkspace, type WorkspaceRemoval } from '../../core/workspaces.ts';

const PLATFORM = 'slack';

/** The workspace (or org) has no installation on record: nothing can be said there until it installs paperboy. */
export class SlackNotInstalledError extends Error {
  readonly code = 'slack_not_installed';
  constructor(readonly workspaceId: string | undefined) {
    super(
      workspaceId
        ? `paperboy is not installed in Slack workspace ${workspaceId}`
        : 'no Slack workspace is known for this channel',
    );
  }
}

/** A stored installation that cannot be opened (another PAPERBOY_SECRET_KEY, or a damaged row). */
export class SlackInstallationUnreadableError extends Error {
  readonly code = 'slack_installation_unreadable';
}

/** The row an installation is sealed for: a sealed value opens only on its own row. */
function sealContext(workspaceId: string): string {
  return `${PLATFORM}:${workspaceId}`;
}

export class SlackInstallations implements BoltInstallationStore {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const orgWide = Boolean(installation.isEnterpriseInstall && installation.enterprise);
    const workspaceId = orgWide ? installation.enterprise?.id : installation.team?.id;
    if (!workspaceId) throw new Error('Slack sent an installation without a team or enterprise id');
    const sealed = this.box.seal(JSON.stringify(installation), sealContext(workspaceId));
    await this.store.transaction(async (tx) => {
      await tx.installations.save({
        platform: PLATFORM,
        workspaceId,
        enterpriseId: installation.enterprise?.id,
        orgWide,
        sealed,
        installedBy: installation.user?.id,
      });
      // Reinstalled within the grace period: its data is no longer due for deletion (its channels stay paused).
      await tx.workspaces.markReturned(PLATFORM, workspaceId);
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const installation = await this.find(query);
    if (!installation) throw new SlackNotInstalledError(query.teamId ?? query.enterpriseId);
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const workspaceId = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
    if (workspaceId) await this.store.installations.remove(PLATFORM, workspaceId);
  }

  /** The bot token of a workspace (its own installation, else its organization's org-wide one). */
  async botTokenFor(workspaceId: string): Promise<string> {
    let installation: Installation | undefined;
    try {
      installation = workspaceId
        ? await this.find({ teamId: workspaceId, enterpriseId: undefined, isEnterpriseInstall: false })
        : undefined;
    } catch (error) {
      if (error instanceof SecretBoxError) throw new SlackInstallationUnreadableError(error.message);
      throw error;
    }
    const token = installation?.bot?.token;
    if (!token) throw new SlackNotInstalledError(workspaceId);
    return token;
  }

  /**
   * Checks at start that PAPERBOY_SECRET_KEY opens what is stored (the latest installation), so a wrong key stops
   * the bot with one clear line instead of failing every request later.
   */
  async verifyKey(): Promise<void> {
    const record = await this.store.installations.latest(PLATFORM);
    if (record) this.box.open(record.sealed, sealContext(record.workspaceId));
  }

  /** The workspace removed paperboy (or revoked its token): forget the token, pause the workspace's alerts. */
  removeWorkspace(workspaceId: string, reason: string): Promise<WorkspaceRemoval> {
    return removeWorkspace(this.store, PLATFORM, workspaceId, reason);
  }

  /** The workspace's own installation, else its organization's org-wide one. */
  private async find(query: InstallationQuery<boolean>): Promise<Installation | undefined> {
    const candidates = query.isEnterpriseInstall ? [query.enterpriseId] : [query.teamId, query.enterpriseId];
    for (const workspaceId of candidates) {
      if (!workspaceId) continue;
      const record = await this.store.installations.get(PLATFORM, workspaceId);
      if (!record || (workspaceId !== query.teamId && !record.orgWide)) continue;
      return JSON.parse(this.box.open(record.sealed, sealContext(workspaceId))) as Installation;
    }
    return undefined;
  }
}
