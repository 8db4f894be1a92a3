import { createHash, randomBytes } from 'node:crypto';
import { txOf, type Scope } from '../../core/scope.js';
import { parseTiers, tierFor } from '../members/service.js';
import { leaderboard, type Period } from '../points/service.js';
import { npsOf } from '../polls/nps.js';
import { choiceCounts, getPoll, npsScores } from '../polls/service.js';
import { labelsOf } from '../polls/choices.js';

/*
 * Per-community API tokens for the REST API (src/web/rest.ts) and the reads it serves. A token is shown once
 * when created; only its sha256 and a short prefix (to tell tokens apart) are stored.
 */

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
/** How often lastUsedAt is written at most: a busy token does not write on every call. */
const TOUCH_MS = 60_000;

export interface ApiTokenRow { id: number; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; createdBy: string }

export type CreatedToken = { ok: true; id: number; token: string; prefix: string } | { ok: false; reason: 'repeat' };

/** Keys of ProcessedEvent rows that make a dashboard form act once (a resubmission finds the row). */
export const onceKey = (kind: string, communityId: string, once: string) => `web:${kind}:${communityId}:${once}`;

/**
 * Marks a form's one-time value as used, in the caller's transaction: false if it was used before (the form
 * was sent again). Two racing submissions clash on the key; the engine retries the loser, which then sees it.
 */
export async function useOnce(s: Scope, key: string): Promise<boolean> {
  const tx = txOf(s);
  if (await tx.processedEvent.findUnique({ where: { key } })) return false;
  await tx.processedEvent.create({ data: { key, reply: '{}', createdAt: s.now } });
  return true;
}

/** A new token "eng_<prefix>_<secret>" (returned this once), unless this form (`once`) already made one. */
export async function createApiToken(s: Scope, communityId: string, memberId: string, name: string, once: string): Promise<CreatedToken> {
  if (!(await useOnce(s, onceKey('api-token', communityId, once)))) return { ok: false, reason: 'repeat' };
  const prefix = `eng_${randomBytes(4).toString('hex')}`;
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  const row = await txOf(s).apiToken.create({
    data: { communityId, name: name.trim().slice(0, 80), tokenHash: hashOf(token), prefix, createdById: memberId, createdAt: s.now },
  });
  return { ok: true, id: row.id, token, prefix };
}

/** The community's tokens, newest first (never the token itself). */
export async function listApiTokens(s: Scope, communityId: string): Promise<ApiTokenRow[]> {
  const tx = txOf(s);
  const rows = await tx.apiToken.findMany({ where: { communityId }, orderBy: { id: 'desc' }, take: 200 });
  const members = await tx.member.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } }, select: { id: true, displayName: true } });
  const names = new Map(members.map((m) => [m.id, m.displayName]));
  return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt, createdBy: names.get(r.createdById) ?? '' }));
}

/** Revokes a token of this community once (conditional on not yet revoked); false if already revoked or unknown. */
export async function revokeApiToken(s: Scope, communityId: string, id: number): Promise<boolean> {
  const r = await txOf(s).apiToken.updateMany({ where: { id, communityId, revokedAt: null }, data: { revokedAt: s.now } });
  return r.count === 1;
}

/**
 * The community a bearer token opens, or null (unknown, malformed or revoked). Notes the use at most once a
 * minute, conditionally on the last use it read, so concurrent calls write it once.
 */
export async function authenticate(s: Scope, token: string): Promise<{ tokenId: number; communityId: string } | null> {
  if (!/^eng_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tx = txOf(s);
  const row = await tx.apiToken.findUnique({ where: { tokenHash: hashOf(token) } });
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || s.now.getTime() - row.lastUsedAt.getTime() >= TOUCH_MS) {
    await tx.apiToken.updateMany({ where: { id: row.id, lastUsedAt: row.lastUsedAt, revokedAt: null }, data: { lastUsedAt: s.now } });
  }
  return { tokenId: row.id, communityId: row.communityId };
}

/* The REST API's reads: plain JSON-ready data (dates as ISO text by JSON.stringify). */

export async function apiCommunity(s: Scope, communityId: string) {
  const tx = txOf(s);
  const c = await tx.community.findUniqueOrThrow({ where: { id: communityId } });
  const members = await tx.member.count({ where: { communityId } });
  return { id: c.id, name: c.name, locale: c.locale, timezone: c.timezone, memberCount: members, createdAt: c.createdAt };
}

/** Members in id order, `limit` at a time; `nextCursor` continues after the last one (null at the end). */
export async function apiMembers(s: Scope, communityId: string, q: { cursor?: string; limit: number }) {
  const tx = txOf(s);
  const c = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { tiers: true } });
  const tiers = parseTiers(c.tiers);
  const rows = await tx.member.findMany({
    where: { communityId, ...(q.cursor ? { id: { gt: q.cursor } } : {}) },
    orderBy: { id: 'asc' },
    take: q.limit + 1,
    select: { id: true, displayName: true, balance: true, lifetimePoints: true, role: true, createdAt: true },
  });
  const page = rows.slice(0, q.limit);
  return {
    data: page.map((m) => ({
      id: m.id, name: m.displayName, points: m.balance, lifetimePoints: m.lifetimePoints, role: m.role,
      tier: tiers.length ? tierFor(tiers, m.lifetimePoints).tier.name : null, joinedAt: m.createdAt,
    })),
    nextCursor: rows.length > q.limit ? page.at(-1)!.id : null,
  };
}

/** Polls of the community, newest first: NPS polls with their NPS summary, choice polls with their counts per option. */
export async function apiPolls(s: Scope, communityId: string, limit = 100) {
  const polls = await txOf(s).poll.findMany({ where: { communityId }, orderBy: [{ opensAt: 'desc' }, { id: 'desc' }], take: limit });
  // Anonymous NPS polls are counted from their tallies (they keep no answer rows).
  const scores = await npsScores(s, polls.filter((p) => p.kind === 'nps'));
  const out = [];
  for (const p of polls) out.push(await pollJson(s, p, scores.get(p.id) ?? []));
  return out;
}

/** One poll with its summary, or null when it is not this community's. */
export async function apiPoll(s: Scope, communityId: string, id: number) {
  let p;
  try { p = await getPoll(s, communityId, id); } catch { return null; }
  const scores = p.kind === 'nps' ? (await npsScores(s, [p])).get(p.id) ?? [] : [];
  return pollJson(s, p, scores);
}

type PollRow = { id: number; question: string; status: string; opensAt: Date; closesAt: Date; repeat: string; seriesId: number | null; kind: string; anonymous: boolean; options: string | null };

async function pollJson(s: Scope, p: PollRow, scores: number[]) {
  const base = { id: p.id, question: p.question, kind: p.kind, anonymous: p.anonymous, status: p.status, opensAt: p.opensAt, closesAt: p.closesAt, repeat: p.repeat, seriesId: p.seriesId ?? p.id };
  if (p.kind === 'nps') return { ...base, nps: npsOf(scores) };
  const labels = labelsOf(p);
  const { counts, voters } = await choiceCounts(s, p, labels.length);
  return { ...base, voters, options: labels.map((label, i) => ({ label, count: counts[i] })) };
}

/** Top members by points earned in the period (all-time, this week or this month in the community's zone). */
export async function apiLeaderboard(s: Scope, communityId: string, period: Period, limit = 100) {
  const c = await txOf(s).community.findUniqueOrThrow({ where: { id: communityId }, select: { timezone: true } });
  const rows = await leaderboard(s, communityId, period, c.timezone, limit);
  return rows.map((r) => ({ rank: r.rank, memberId: r.memberId, name: r.displayName, points: r.points }));
}
