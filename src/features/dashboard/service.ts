import { createHash, randomBytes } from 'node:crypto';
import { txOf, type Scope } from '../../core/scope.js';
import type { Db } from '../../db/client.js';
import { roleRank, type Role } from '../../core/types.js';

/* Passwordless sign-in to the web dashboard: a single-use link from /dashboard opens a session for one community and role. */

export const LINK_MS = 10 * 60_000;
export const SESSION_MS = 8 * 3_600_000;
/** A session in use is extended (to SESSION_MS from now) once it is past half its life, up to this long after sign-in. */
export const SESSION_MAX_MS = 7 * 86_400_000;
/** The longest life of a session whose role the platform gave (see DashboardLink.platformRole). */
export const PLATFORM_ROLE_SESSION_MAX_MS = 86_400_000;

/** Only hashes are stored: a database leak yields no usable link or session. */
export const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

/** A new sign-in link's token (shown once) for a moderator or admin of the community. */
export async function createLink(s: Scope, communityId: string, member: { id: string; role: string }, role: Role): Promise<{ token: string; expiresAt: Date }> {
  const token = secret();
  const expiresAt = new Date(s.now.getTime() + LINK_MS);
  // Above the stored role (set with /role), the role is the platform's word for this request only.
  const platformRole = roleRank(role) > roleRank(member.role as Role);
  await txOf(s).dashboardLink.create({ data: { tokenHash: hashOf(token), communityId, memberId: member.id, role, platformRole, expiresAt, createdAt: s.now } });
  return { token, expiresAt };
}

/** Where a link or session leads: the community and how its pages are worded. */
export interface CommunityView { communityId: string; locale: string; timezone: string }

export type SignIn =
  | { ok: true; sessionId: string; csrfToken: string; communityId: string; expiresAt: Date }
  | { ok: false; reason: 'used' | 'expired' | 'unknown'; community?: CommunityView };

/** What a link would open, without using it up (the page that asks to confirm the sign-in). */
export type LinkPreview =
  | { ok: true; community: CommunityView & { name: string }; memberName: string; role: Role }
  | { ok: false; reason: 'used' | 'expired' | 'unknown'; community?: CommunityView };

export async function previewLink(db: Db, token: string, now: Date): Promise<LinkPreview> {
  const link = await db.dashboardLink.findUnique({ where: { tokenHash: hashOf(token) } });
  if (!link) return { ok: false, reason: 'unknown' };
  const c = await db.community.findUnique({ where: { id: link.communityId }, select: { name: true, locale: true, timezone: true } });
  const community = c ? { communityId: link.communityId, ...c } : undefined;
  if (link.usedAt || link.expiresAt.getTime() <= now.getTime() || !community) {
    return { ok: false, reason: link.usedAt ? 'used' : community ? 'expired' : 'unknown', community };
  }
  const member = await db.member.findUnique({ where: { id: link.memberId }, select: { displayName: true } });
  return { ok: true, community, memberName: member?.displayName ?? '', role: link.role as Role };
}

/** Consumes a link once (conditional update: unused and unexpired) and opens a session; otherwise says why not. */
export async function signIn(s: Scope, token: string): Promise<SignIn> {
  const tx = txOf(s);
  const tokenHash = hashOf(token);
  const taken = await tx.dashboardLink.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: s.now } }, data: { usedAt: s.now } });
  const link = await tx.dashboardLink.findUnique({ where: { tokenHash } });
  if (taken.count !== 1 || !link) {
    if (!link) return { ok: false, reason: 'unknown' };
    const c = await tx.community.findUnique({ where: { id: link.communityId }, select: { locale: true, timezone: true } });
    return { ok: false, reason: link.usedAt ? 'used' : 'expired', community: c ? { communityId: link.communityId, ...c } : undefined };
  }
  const sessionId = secret();
  const csrfToken = secret();
  const expiresAt = new Date(s.now.getTime() + SESSION_MS);
  await tx.dashboardSession.create({
    data: { idHash: hashOf(sessionId), communityId: link.communityId, memberId: link.memberId, role: link.role, platformRole: link.platformRole, csrfToken, expiresAt, createdAt: s.now },
  });
  return { ok: true, sessionId, csrfToken, communityId: link.communityId, expiresAt };
}

/** A live session with what its pages show. */
export interface DashboardSession extends CommunityView {
  memberId: string; memberName: string; role: Role; csrfToken: string; expiresAt: Date;
  /** Past half its life and not at its longest: the next request should extend it. */
  extendable: boolean;
}

/** The unexpired session behind a cookie value, or null (read-only). */
export async function sessionOf(db: Db, sessionId: string, now: Date): Promise<DashboardSession | null> {
  const row = await db.dashboardSession.findUnique({ where: { idHash: hashOf(sessionId) } });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  const [community, member] = await Promise.all([
    db.community.findUnique({ where: { id: row.communityId }, select: { locale: true, timezone: true } }),
    db.member.findUnique({ where: { id: row.memberId }, select: { displayName: true, role: true } }),
  ]);
  if (!community || !member) return null;
  // A role given with /role and since lowered ends the session (changeRole also deletes it).
  if (!row.platformRole && roleRank(member.role as Role) < roleRank(row.role as Role)) return null;
  return {
    communityId: row.communityId, locale: community.locale, timezone: community.timezone, memberId: row.memberId,
    memberName: member?.displayName ?? '', role: row.role as Role, csrfToken: row.csrfToken, expiresAt: row.expiresAt,
    extendable: row.expiresAt.getTime() - now.getTime() <= SESSION_MS / 2 && row.expiresAt.getTime() < row.createdAt.getTime() + maxLife(row),
  };
}

/** How long after sign-in a session may be kept alive. */
const maxLife = (row: { platformRole: boolean }) => (row.platformRole ? PLATFORM_ROLE_SESSION_MAX_MS : SESSION_MAX_MS);

/** A member's role went down: their sessions and unused sign-in links end now. */
export async function endSessionsOf(s: Scope, memberId: string): Promise<void> {
  const tx = txOf(s);
  await tx.dashboardSession.deleteMany({ where: { memberId } });
  await tx.dashboardLink.deleteMany({ where: { memberId, usedAt: null } });
}

/**
 * Keeps a session in use alive: past half its life it runs SESSION_MS from now again, never beyond
 * SESSION_MAX_MS after sign-in. A conditional update on the end it had, so two requests extend it once.
 * Returns the new end, or null when it was not extended.
 */
export async function extendSession(s: Scope, sessionId: string, seenExpiresAt: Date): Promise<Date | null> {
  const tx = txOf(s);
  const idHash = hashOf(sessionId);
  const row = await tx.dashboardSession.findUnique({ where: { idHash }, select: { createdAt: true, expiresAt: true, platformRole: true } });
  if (!row || row.expiresAt.getTime() !== seenExpiresAt.getTime()) return null;
  const left = row.expiresAt.getTime() - s.now.getTime();
  if (left <= 0 || left > SESSION_MS / 2) return null;
  const until = new Date(Math.min(s.now.getTime() + SESSION_MS, row.createdAt.getTime() + maxLife(row)));
  if (until.getTime() <= row.expiresAt.getTime()) return null;
  const moved = await tx.dashboardSession.updateMany({ where: { idHash, expiresAt: row.expiresAt }, data: { expiresAt: until } });
  return moved.count === 1 ? until : null;
}

/** Ends a session (sign-out); true when there was one. */
export async function signOut(s: Scope, sessionId: string): Promise<boolean> {
  const gone = await txOf(s).dashboardSession.deleteMany({ where: { idHash: hashOf(sessionId) } });
  return gone.count === 1;
}

/** Housekeeping: links and sessions past their end. */
export async function pruneDashboard(s: Scope): Promise<number> {
  const tx = txOf(s);
  const a = await tx.dashboardLink.deleteMany({ where: { expiresAt: { lt: s.now } } });
  const b = await tx.dashboardSession.deleteMany({ where: { expiresAt: { lt: s.now } } });
  return a.count + b.count;
}

