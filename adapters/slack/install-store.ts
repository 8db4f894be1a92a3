import type { Installation, InstallationQuery, InstallationStore, Logger } from '@slack/bolt';
import type { Engine } from '../../src/engine.js';

/**
 * @slack/oauth's installation store over the database, through the engine (the adapter never queries it): one
 * row per workspace ("T:<team>") or per Enterprise Grid org for an org-wide install ("E:<enterprise>"). The whole
 * Installation is kept (bot token, refresh token and expiry included), so InstallProvider.authorize can rotate
 * tokens and store the new ones back here.
 */

export type InstallsEngine = Pick<Engine, 'slackInstallationSave' | 'slackInstallation' | 'slackInstallationDelete' | 'slackOrgWorkspace'>;

/** No installation for a workspace: the app was never installed there, or was uninstalled. */
export class NotInstalledError extends Error {
  constructor(readonly teamId: string | undefined, readonly enterpriseId: string | undefined) {
    super(`Slack: the app is not installed in workspace ${teamId ?? '?'}${enterpriseId ? ` (org ${enterpriseId})` : ''}; install it again through /slack/install`);
    this.name = 'NotInstalledError';
  }
}

const keyOf = (q: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) => ({
  enterprise: Boolean(q.isEnterpriseInstall),
  ...(q.teamId ? { teamId: q.teamId } : {}),
  ...(q.enterpriseId ? { enterpriseId: q.enterpriseId } : {}),
});

/**
 * How long a fetched installation is reused. Bolt authorizes every request (each message event too) through the
 * store: a short cache spares the database. Stores and deletes in this process clear it; another instance's
 * rotation is seen within this time (until then this one may refresh again, which Slack allows).
 */
const FETCH_CACHE_MS = 30_000;

export function dbInstallationStore(engine: InstallsEngine, onStored?: (i: Installation) => void, cacheMs = FETCH_CACHE_MS): InstallationStore {
  const cache = new Map<string, { at: number; data: string }>();
  const cacheKey = (q: InstallationQuery<boolean>) => `${q.isEnterpriseInstall ? 'E' : 'T'}:${q.teamId ?? ''}:${q.enterpriseId ?? ''}`;
  return {
    async storeInstallation(installation) {
      const key = keyOf({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: installation.isEnterpriseInstall });
      await engine.slackInstallationSave(key, JSON.stringify(installation), installation.bot?.expiresAt);
      cache.clear();
      onStored?.(installation as Installation);
    },
    async fetchInstallation(query: InstallationQuery<boolean>, _logger?: Logger) {
      const k = cacheKey(query);
      const hit = cache.get(k);
      let data = hit && Date.now() - hit.at < cacheMs ? hit.data : null;
      if (!data) {
        data = await engine.slackInstallation(keyOf(query));
        if (!data) throw new NotInstalledError(query.teamId, query.enterpriseId);
        cache.set(k, { at: Date.now(), data });
        if (cache.size > 5_000) cache.delete(cache.keys().next().value!);
      }
      // A fresh object each time: InstallProvider.authorize changes the one it gets when it rotates tokens.
      return JSON.parse(data) as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await engine.slackInstallationDelete(keyOf(query));
      cache.clear();
    },
  };
}
