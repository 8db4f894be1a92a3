import { txOf, type Scope } from '../../core/scope.js';

/**
 * Slack workspaces (and Enterprise Grid orgs) that installed the app through OAuth: the only code touching
 * SlackInstallation. The installation itself is the adapter's (@slack/oauth's Installation object, kept as JSON
 * text); here it is keyed and stored. A workspace install is "T:<team id>", an org-wide install "E:<enterprise id>".
 */

/** Which installation: a workspace's own, or (enterprise) its org's. */
export interface SlackInstallKey {
  teamId?: string;
  enterpriseId?: string;
  /** An org-wide install: keyed by the enterprise id, whatever the team. */
  enterprise: boolean;
}

export function slackInstallationId(k: SlackInstallKey): string | null {
  if (k.enterprise) return k.enterpriseId ? `E:${k.enterpriseId}` : null;
  return k.teamId ? `T:${k.teamId}` : null;
}

/**
 * Stores an installation (a new install, a reinstall with new scopes, or rotated tokens). `expiresAt` (Unix
 * seconds, token rotation) guards against a late writer: tokens that expire before the stored ones are an older
 * rotation finishing after a newer one, and are not written back. Returns whether it was written.
 */
export async function saveSlackInstallation(s: Scope, key: SlackInstallKey, data: string, expiresAt?: number): Promise<boolean> {
  const id = slackInstallationId(key);
  if (!id) return false;
  const tx = txOf(s);
  const row = { teamId: key.enterprise ? null : key.teamId ?? null, enterpriseId: key.enterpriseId ?? null, data, updatedAt: s.now };
  // Conditional on the row as read: when another writer got in between, read it again and decide anew.
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await tx.slackInstallation.findUnique({ where: { id }, select: { data: true } });
    if (!existing) {
      // Two instances storing the same new install: the loser's unique violation is retried by the engine.
      await tx.slackInstallation.create({ data: { id, ...row, installedAt: s.now } });
      return true;
    }
    const stored = expiryOf(existing.data);
    if (expiresAt !== undefined && stored !== undefined && expiresAt < stored) return false;
    const done = await tx.slackInstallation.updateMany({ where: { id, data: existing.data }, data: row });
    if (done.count === 1) return true;
  }
  return false;
}

/** The stored installation for a workspace (its own, else its org's org-wide install), as stored, or null. */
export async function slackInstallation(s: Scope, key: SlackInstallKey): Promise<string | null> {
  const tx = txOf(s);
  const ids = [key.enterprise ? null : slackInstallationId(key), key.enterpriseId ? `E:${key.enterpriseId}` : null].filter((x): x is string => !!x);
  for (const id of ids) {
    const row = await tx.slackInstallation.findUnique({ where: { id }, select: { data: true } });
    if (row) return row.data;
  }
  return null;
}

/** Removes an installation (the app was uninstalled or its tokens revoked). Returns how many rows went. */
export async function deleteSlackInstallation(s: Scope, key: SlackInstallKey): Promise<number> {
  const id = slackInstallationId(key);
  if (!id) return 0;
  const done = await txOf(s).slackInstallation.deleteMany({ where: { id } });
  return done.count;
}

/** bot.expiresAt of a stored installation, if it has one. */
function expiryOf(data: string): number | undefined {
  try {
    const v = (JSON.parse(data) as { bot?: { expiresAt?: unknown } }).bot?.expiresAt;
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}
