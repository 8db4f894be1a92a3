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
  // Conditional on the row as read: when another writer got in between, read it again and decide anew. Each miss
  // means another writer committed, so this ends; past the cap it is handed back to the engine's retry (P2034).
  for (let attempt = 0; attempt < 50; attempt++) {
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
  throw Object.assign(new Error('the Slack installation kept changing'), { code: 'P2034' });
}

/**
 * The stored installation for a workspace (its own, else its org's org-wide install), as stored, or null. A workspace
 * row that is an alias of its org's install (slackOrgWorkspace) is followed; an alias whose org install is gone is null.
 */
export async function slackInstallation(s: Scope, key: SlackInstallKey): Promise<string | null> {
  const tx = txOf(s);
  const ids = [key.enterprise ? null : slackInstallationId(key), key.enterpriseId ? `E:${key.enterpriseId}` : null].filter((x): x is string => !!x);
  for (const id of ids) {
    const row = await tx.slackInstallation.findUnique({ where: { id }, select: { data: true } });
    if (!row) continue;
    const target = aliasOf(row.data);
    if (!target) return row.data;
    const org = await tx.slackInstallation.findUnique({ where: { id: target }, select: { data: true } });
    if (org && !aliasOf(org.data)) return org.data;
  }
  return null;
}

/** The alias row's data: the workspace is served by this org-wide install. */
const aliasData = (enterpriseId: string) => JSON.stringify({ aliasOf: `E:${enterpriseId}` });

/**
 * Remembers that a workspace is served by its org's org-wide install (learned from a request of that workspace under
 * the org), so sends to it find the org's token after a restart or on another instance: a "T:<team>" row whose data is
 * `{"aliasOf":"E:<enterprise>"}`. Written only when the workspace has no row of its own and the org install exists; a
 * workspace install stored later replaces the alias. Two writers at once: the loser's unique violation is retried by
 * the engine and then finds the row. Returns whether an alias was written.
 */
export async function noteSlackOrgWorkspace(s: Scope, teamId: string, enterpriseId: string): Promise<boolean> {
  const tx = txOf(s);
  const id = `T:${teamId}`;
  if (await tx.slackInstallation.findUnique({ where: { id }, select: { id: true } })) return false;
  if (!(await tx.slackInstallation.findUnique({ where: { id: `E:${enterpriseId}` }, select: { id: true } }))) return false;
  await tx.slackInstallation.create({ data: { id, teamId, enterpriseId, data: aliasData(enterpriseId), installedAt: s.now, updatedAt: s.now } });
  return true;
}

/** Removes an installation (the app was uninstalled or its tokens revoked). Returns how many rows went. */
export async function deleteSlackInstallation(s: Scope, key: SlackInstallKey): Promise<number> {
  const id = slackInstallationId(key);
  if (!id) return 0;
  const tx = txOf(s);
  const done = await tx.slackInstallation.deleteMany({ where: { id } });
  // An org's uninstall takes its workspaces' aliases with it (only those: a workspace's own install stays).
  if (key.enterprise && key.enterpriseId) await tx.slackInstallation.deleteMany({ where: { enterpriseId: key.enterpriseId, data: aliasData(key.enterpriseId) } });
  return done.count;
}

/** The org install a workspace's alias row points to, or undefined for a real installation. */
function aliasOf(data: string): string | undefined {
  if (!data.startsWith('{"aliasOf":')) return undefined;
  try {
    const v = (JSON.parse(data) as { aliasOf?: unknown }).aliasOf;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
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
