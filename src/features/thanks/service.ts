import { DateTime } from 'luxon';
import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import type { Platform } from '../../core/types.js';
import { localDay, periodKey, periodStart } from '../../core/time.js';
import { sqlRun } from '../../db/fast.js';
import { applyPoints, ledgerReason } from '../points/service.js';
import { changeCommunitySetting, displayNames, dmTarget } from '../members/service.js';
import { emitEvent } from '../webhooks/service.js';
import { parseThanksRules, REASON_MAX, REASON_MIN, thanksRulesSchema, type ThanksRules } from './rules.js';

export { parseThanksRules, type ThanksRules } from './rules.js';

/** Who gives or receives: a member row's id and name. */
export interface ThanksParty { id: string; displayName: string }

export interface ThanksGift {
  community: { id: string; name: string; timezone: string };
  giver: ThanksParty;
  receiver: ThanksParty;
  points: number;
  reason: string;
  /** Stable per delivery (the command's eventKey): the same key never pays twice. */
  key: string;
}

/** What a thanks did: the giver's allowance left today and when it comes back. */
export interface Thanked {
  giverName: string;
  receiverName: string;
  points: number;
  reason: string;
  /** The receiver's balance after it. */
  balance: number;
  left: number;
  daily: number;
  resetsAt: Date;
}

export interface Allowance { left: number; daily: number; spent: number; resetsAt: Date }

export interface ThanksStanding { memberId: string; displayName: string; points: number; count: number; rank: number }

/** Notices this feature sends. */
export type ThanksNotice = { type: 'thanks.received'; community: string; giver: string; points: number; reason: string; balance: number };

export async function thanksRules(s: Scope, communityId: string): Promise<Readonly<ThanksRules>> {
  const c = await txOf(s).community.findUniqueOrThrow({ where: { id: communityId }, select: { thanksRules: true } });
  return parseThanksRules(c.thanksRules);
}

export type ThanksRulesChange = Partial<ThanksRules>;

/** Changes the rules: read, change, and a conditional write on the JSON it read (a concurrent change is re-read and kept). */
export async function updateThanksRules(s: Scope, communityId: string, ch: ThanksRulesChange): Promise<ThanksRules> {
  let next!: ThanksRules;
  await changeCommunitySetting(s, communityId, 'thanksRules', (json) => {
    const r: ThanksRules = { ...parseThanksRules(json) };
    for (const [k, v] of Object.entries(ch) as [keyof ThanksRules, number | undefined][]) if (v !== undefined) r[k] = v;
    next = thanksRulesSchema.parse(r);
    return JSON.stringify(next);
  });
  return next;
}

/** The local day ("2026-11-25") and week (its Monday, "2026-11-23") of now in the zone, and the next local midnight. */
function localBounds(now: Date, zone: string) {
  return {
    day: localDay(now, zone),
    week: periodKey('week', now, zone).slice(2),
    resetsAt: DateTime.fromJSDate(now, { zone }).startOf('day').plus({ days: 1 }).toJSDate(),
  };
}

/** Today's allowance of a member: what is left, and when it resets (local midnight). */
export async function allowanceOf(s: Scope, community: { id: string; timezone: string }, memberId: string, known?: ThanksRules): Promise<Allowance> {
  const rules = known ?? await thanksRules(s, community.id);
  const { day, resetsAt } = localBounds(s.now, community.timezone);
  const row = await txOf(s).thanksAllowance.findUnique({ where: { communityId_memberId_day: { communityId: community.id, memberId, day } }, select: { spent: true } });
  const spent = row?.spent ?? 0;
  return { left: Math.max(0, rules.daily - spent), daily: rules.daily, spent, resetsAt };
}

/**
 * One thanks: the giver's daily allowance pays for it (not their balance), the receiver gets the points through
 * the ledger (kind 'thanks'), and is told by direct message. The allowance and the weekly cap per pair are
 * conditional increments on their rows: under concurrent thanks each waits for the row lock and checks the
 * limit again on what the other left, so neither can be exceeded. Any refusal rolls back the whole command.
 */
export async function giveThanks(s: Scope, g: ThanksGift): Promise<Thanked> {
  const tx = txOf(s);
  const { community, giver, receiver, points } = g;
  const reason = g.reason.trim().replace(/\s+/g, ' ');
  if (giver.id === receiver.id) throw new UserError('thanks:error.self', {}, 'member');
  if (reason.length < REASON_MIN || reason.length > REASON_MAX) throw new UserError('thanks:error.reason', { min: REASON_MIN, max: REASON_MAX }, 'reason');
  const rules = await thanksRules(s, community.id);
  if (points > rules.max) throw new UserError('thanks:error.max', { max: rules.max }, 'points');
  const { day, week, resetsAt } = localBounds(s.now, community.timezone);
  const idempotencyKey = `thanks:${g.key}`;
  // Given before under this key (a retried delivery): nothing is counted again.
  const before = await tx.ledgerEntry.findUnique({ where: { communityId_idempotencyKey: { communityId: community.id, idempotencyKey } }, select: { balanceAfter: true } });
  if (before) {
    const a = await allowanceOf(s, community, giver.id, rules);
    return { giverName: giver.displayName, receiverName: receiver.displayName, points, reason, balance: before.balanceAfter, left: a.left, daily: a.daily, resetsAt };
  }

  await sqlRun(tx, 'INSERT INTO "ThanksAllowance" ("communityId", "memberId", "day", "spent") VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING', [community.id, giver.id, day]);
  const spent = await tx.thanksAllowance.updateMany({
    where: { communityId: community.id, memberId: giver.id, day, spent: { lte: rules.daily - points } },
    data: { spent: { increment: points } },
  });
  if (spent.count !== 1) {
    const a = await allowanceOf(s, community, giver.id, rules);
    throw new UserError(a.left === 0 ? 'thanks:error.allowanceGone' : 'thanks:error.allowance', { count: a.left, daily: a.daily, at: resetsAt }, 'points');
  }

  await sqlRun(tx, 'INSERT INTO "ThanksPair" ("communityId", "giverId", "receiverId", "week", "points") VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING', [community.id, giver.id, receiver.id, week]);
  const paired = await tx.thanksPair.updateMany({
    where: { communityId: community.id, giverId: giver.id, receiverId: receiver.id, week, points: { lte: rules.pairWeekly - points } },
    data: { points: { increment: points } },
  });
  if (paired.count !== 1) {
    const row = await tx.thanksPair.findUniqueOrThrow({ where: { communityId_giverId_receiverId_week: { communityId: community.id, giverId: giver.id, receiverId: receiver.id, week } } });
    const left = Math.max(0, rules.pairWeekly - row.points);
    throw new UserError(left === 0 ? 'thanks:error.pairFull' : 'thanks:error.pairLeft', { name: receiver.displayName, given: row.points, count: left, max: rules.pairWeekly }, 'points');
  }

  const paid = await applyPoints(s, {
    communityId: community.id, memberId: receiver.id, delta: points, kind: 'thanks',
    reason: ledgerText(giver.displayName, reason), idempotencyKey, actorId: giver.id,
  });
  // A concurrent run of the same key paid first: undo this attempt; the retry finds the ledger row above.
  if (!paid.applied) throw Object.assign(new Error('thanks paid concurrently under the same key'), { code: 'P2034' });
  const row = await tx.thanks.create({ data: { communityId: community.id, giverId: giver.id, receiverId: receiver.id, points, reason, createdAt: s.now } });
  await emitEvent(s, community.id, 'thanks.given', `thanks.given:${row.id}`, { thanksId: row.id, giverId: giver.id, receiverId: receiver.id, points, reason });

  const identity = await dmTarget(s, receiver.id);
  if (identity) {
    const notice: ThanksNotice = { type: 'thanks.received', community: community.name, giver: giver.displayName, points, reason, balance: paid.balance };
    await s.announce({ communityId: community.id, platform: identity.platform as Platform, to: { kind: 'dm', userId: identity.platformUserId }, notice, memberId: receiver.id });
  }
  const a = await allowanceOf(s, community, giver.id, rules);
  return { giverName: giver.displayName, receiverName: receiver.displayName, points, reason, balance: paid.balance, left: a.left, daily: a.daily, resetsAt };
}

/** The ledger keeps 300 characters of a reason: shorten the thanks text (not the JSON around it) to fit. */
function ledgerText(name: string, reason: string): string {
  let text = reason;
  let out = ledgerReason('thanks', { name: name.slice(0, 60), reason: text });
  while (out.length > 300 && text.length > 0) {
    text = text.slice(0, Math.max(0, text.length - (out.length - 300) - 1)).trimEnd();
    out = ledgerReason('thanks', { name: name.slice(0, 60), reason: `${text}…` });
  }
  return out;
}

/**
 * This local week's most thanked members (points received through thanks, then how many thanks), top `limit`,
 * and the asking member's own points and count. Ties share a rank.
 */
export async function topThanked(s: Scope, community: { id: string; timezone: string }, memberId: string, limit = 10): Promise<{ top: ThanksStanding[]; mine: { points: number; count: number } }> {
  const tx = txOf(s);
  const where = { communityId: community.id, createdAt: { gte: periodStart('week', s.now, community.timezone)! } };
  const rows = await tx.thanks.groupBy({
    by: ['receiverId'], where, _sum: { points: true }, _count: { _all: true },
    orderBy: [{ _sum: { points: 'desc' } }, { receiverId: 'asc' }], take: limit,
  });
  const names = await displayNames(s, rows.map((r) => r.receiverId));
  const top: ThanksStanding[] = [];
  rows.forEach((r, i) => {
    const points = r._sum.points ?? 0;
    const rank = i > 0 && top[i - 1].points === points ? top[i - 1].rank : i + 1;
    top.push({ memberId: r.receiverId, displayName: names.get(r.receiverId) ?? '?', points, count: r._count._all, rank });
  });
  const mine = await tx.thanks.aggregate({ where: { ...where, receiverId: memberId }, _sum: { points: true }, _count: { _all: true } });
  return { top, mine: { points: mine._sum.points ?? 0, count: mine._count._all } };
}

/**
 * Linking two accounts of one person: thanks they gave each other were thanks to themselves. The points they
 * brought are taken back from the member (once; a 'link' ledger row). Returns the points taken back.
 */
export async function reverseThanksBetween(s: Scope, communityId: string, a: string, b: string, intoId: string): Promise<number> {
  const tx = txOf(s);
  const sum = await tx.thanks.aggregate({
    where: { communityId, OR: [{ giverId: a, receiverId: b }, { giverId: b, receiverId: a }] }, _sum: { points: true },
  });
  const points = sum._sum.points ?? 0;
  if (points <= 0) return 0;
  await applyPoints(s, {
    communityId, memberId: intoId, delta: -points, kind: 'link', reason: ledgerReason('linkThanks', { points }),
    idempotencyKey: `link:thanks:${a}:${b}`, allowNegative: true,
  });
  return points;
}

