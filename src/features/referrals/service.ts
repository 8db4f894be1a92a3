import { DateTime } from 'luxon';
import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import { applyPoints, ledgerReason } from '../points/service.js';
import { changeCommunitySetting, lockCommunity } from '../members/service.js';
import { parseReferralRules, paysAtOnce, referralRulesSchema, type ReferralRules } from './rules.js';
import { emitEvent } from '../webhooks/service.js';

export { parseReferralRules, type ReferralRules } from './rules.js';

const DAY_MS = 86_400_000;
const days = (at: Date, n: number) => new Date(at.getTime() + n * DAY_MS);

/** code (typed), invite (Discord invite attribution), link (Telegram deep link). */
export type ReferralSource = 'code' | 'invite' | 'link';

export interface Redeemed {
  referrerName: string;
  /** pending: paid once the new member has stayed `minDays` days and earned `minActivity` activity points. */
  status: 'pending' | 'paid';
  minDays: number;
  minActivity: number;
  referrerReward: number;
  refereeReward: number;
  /** Set when the new member was paid at once (rules with nothing to wait for, a referee reward above zero). */
  refereeBalance?: number;
}

interface Rewards { referrerReward: number; refereeReward: number }

// Referral changes in a community run one at a time (lockCommunity): the cycle check reads other members'
// referrers and the caps count the referrer's referrals, which a concurrent redemption may be writing (A redeems
// B's code while B redeems A's: at READ COMMITTED both would see no cycle).

/** The ledger keys of a referral's two rewards, derived from the referee (reversals end the same way, so stats net out). */
const rewardKey = (refereeId: string, side: 'referrer' | 'referee', reversed = false) => `referral${reversed ? '-reversed' : ''}:${refereeId}:${side}`;

/** The community's referral rules, defaults filled in. */
export async function referralRules(s: Scope, communityId: string): Promise<Readonly<ReferralRules>> {
  const c = await txOf(s).community.findUniqueOrThrow({ where: { id: communityId }, select: { referralRules: true } });
  return parseReferralRules(c.referralRules);
}

export type ReferralRulesChange = Partial<ReferralRules>;

/** Changes the rules: read, change, and a conditional write on the JSON it read (a concurrent change is re-read and kept). */
export async function updateReferralRules(s: Scope, communityId: string, ch: ReferralRulesChange): Promise<ReferralRules> {
  let next!: ReferralRules;
  await changeCommunitySetting(s, communityId, 'referralRules', (json) => {
    const r: ReferralRules = { ...parseReferralRules(json) };
    for (const [k, v] of Object.entries(ch) as [keyof ReferralRules, number | undefined][]) if (v !== undefined) r[k] = v;
    next = referralRulesSchema.parse(r);
    return JSON.stringify(next);
  });
  return next;
}

const DISCORD_EPOCH_MS = 1_420_070_400_000;

/** When a Discord account was made: a Discord id (snowflake) carries it in its top bits. Null for other ids. */
function discordCreatedAt(platform: string, platformUserId: string): Date | null {
  if (platform !== 'discord' || !/^\d{1,20}$/.test(platformUserId)) return null;
  return new Date(Number(BigInt(platformUserId) >> 22n) + DISCORD_EPOCH_MS);
}

/**
 * When a member's accounts were first shown to us in this community (the earliest Presence.firstSeenAt or
 * Identity.createdAt), and since when they exist (the platform's creation time where it tells: a join's
 * account age, or a Discord id, which carries it even for members who joined before the bot recorded joins;
 * else that first sighting). Linked accounts count together: the oldest one decides.
 */
async function accountTimes(s: Scope, communityId: string, memberId: string, accountCreatedAt?: Date | null) {
  const tx = txOf(s);
  const ids = await tx.identity.findMany({ where: { communityId, memberId }, select: { platform: true, platformUserId: true, createdAt: true } });
  const seen = ids.length ? await tx.presence.findMany({
    where: { communityId, OR: ids.map((i) => ({ platform: i.platform, platformUserId: i.platformUserId })) },
    select: { platform: true, platformUserId: true, firstSeenAt: true, accountCreatedAt: true },
  }) : [];
  let firstSeen = s.now.getTime(), since = accountCreatedAt ? accountCreatedAt.getTime() : Infinity;
  for (const i of ids) {
    const p = seen.find((x) => x.platform === i.platform && x.platformUserId === i.platformUserId);
    const first = Math.min(i.createdAt.getTime(), p?.firstSeenAt.getTime() ?? Infinity);
    firstSeen = Math.min(firstSeen, first);
    since = Math.min(since, p?.accountCreatedAt?.getTime() ?? discordCreatedAt(i.platform, i.platformUserId)?.getTime() ?? first);
  }
  return { firstSeen: new Date(firstSeen), since: new Date(Math.min(since, firstSeen)) };
}

/** Referrals made by a referrer since `from` that count toward the caps (any status but cancelled). */
const madeSince = (s: Scope, communityId: string, referrerId: string, from: Date) =>
  txOf(s).referral.count({ where: { communityId, referrerId, status: { not: 'cancelled' }, createdAt: { gte: from } } });

/**
 * Starts a referral of `referee` by `referrer`, or refuses it (UserError): the referee was merged away or is
 * the referrer, already used a code, was first seen more than windowDays ago or has an account younger than
 * minAccountAgeDays; the referee referred the referrer (a cycle); the referrer is over a cap. Pending until the
 * referee qualifies (checkReferral), or paid at once when the rules have nothing to wait for. Runs under
 * lockCommunity.
 */
async function startReferral(
  s: Scope,
  community: Rewards & { id: string; timezone: string },
  referee: { id: string },
  referrer: { id: string; displayName: string; referralCode: string; referredById: string | null },
  source: ReferralSource,
  accountCreatedAt?: Date | null,
): Promise<Redeemed> {
  const tx = txOf(s);
  if (referrer.id === referee.id) throw new UserError('referrals:error.ownCode', {}, 'code');
  // This account was linked into another member while the command ran: it now acts for that member.
  if (!(await tx.identity.count({ where: { memberId: referee.id } }))) throw new UserError('referrals:error.ownCode', {}, 'code');
  const current = await tx.member.findUniqueOrThrow({ where: { id: referee.id }, select: { referredById: true } });
  if (current.referredById) throw new UserError('referrals:error.alreadyUsed');
  const rules = await referralRules(s, community.id);
  const { firstSeen, since } = await accountTimes(s, community.id, referee.id, accountCreatedAt);
  if (s.now.getTime() - firstSeen.getTime() > rules.windowDays * DAY_MS) throw new UserError('referrals:error.tooLate', { days: rules.windowDays });
  const oldEnough = days(since, rules.minAccountAgeDays);
  if (oldEnough.getTime() > s.now.getTime()) throw new UserError('referrals:error.tooNew', { days: rules.minAccountAgeDays, date: oldEnough });
  // Cycle check: walk up the referrer's chain; meeting the referee would close a loop.
  let cursor: string | null = referrer.referredById;
  for (let hops = 0; cursor && hops < 10_000; hops++) {
    if (cursor === referee.id) throw new UserError('referrals:error.cycle', {}, 'code');
    const up: { referredById: string | null } | null = await tx.member.findUnique({ where: { id: cursor }, select: { referredById: true } });
    cursor = up?.referredById ?? null;
  }
  const local = DateTime.fromJSDate(s.now, { zone: community.timezone });
  if (rules.perDay && await madeSince(s, community.id, referrer.id, local.startOf('day').toJSDate()) >= rules.perDay) {
    throw new UserError('referrals:error.capDay', { name: referrer.displayName, count: rules.perDay });
  }
  if (rules.perMonth && await madeSince(s, community.id, referrer.id, local.startOf('month').toJSDate()) >= rules.perMonth) {
    throw new UserError('referrals:error.capMonth', { name: referrer.displayName, count: rules.perMonth });
  }
  const claimed = await tx.member.updateMany({ where: { id: referee.id, referredById: null }, data: { referredById: referrer.id, referredAt: s.now } });
  if (claimed.count !== 1) throw new UserError('referrals:error.alreadyUsed');
  const ref = await tx.referral.create({
    data: { communityId: community.id, referrerId: referrer.id, refereeId: referee.id, code: referrer.referralCode, source, status: 'pending', createdAt: s.now },
  });
  const out: Redeemed = {
    referrerName: referrer.displayName, status: 'pending', minDays: rules.minDays, minActivity: rules.minActivity,
    referrerReward: community.referrerReward, refereeReward: community.refereeReward,
  };
  if (paysAtOnce(rules)) {
    const paid = await payReferral(s, ref, community);
    return { ...out, status: 'paid', ...(paid.refereeBalance !== undefined ? { refereeBalance: paid.refereeBalance } : {}) };
  }
  await s.schedule('referral.check', ref.id, days(s.now, rules.minDays));
  return out;
}

/**
 * The referee redeems the referrer's code once (typed, or through a Telegram deep link). The referral is
 * pending until the referee qualifies; codes of accounts merged into another member are refused, and so is
 * everything startReferral refuses.
 */
export async function redeemReferral(
  s: Scope,
  community: Rewards & { id: string; timezone: string },
  referee: { id: string },
  rawCode: string,
  source: ReferralSource = 'code',
): Promise<Redeemed> {
  const tx = txOf(s);
  await lockCommunity(s, community.id);
  const code = rawCode.trim().toUpperCase();
  const referrer = await tx.member.findUnique({
    where: { communityId_referralCode: { communityId: community.id, referralCode: code } },
    include: { _count: { select: { identities: true } } },
  });
  // A member with no accounts left was merged into another by /link: their old code no longer pays anyone.
  if (!referrer || referrer._count.identities === 0) throw new UserError('referrals:error.unknownCode', { code: rawCode }, 'code');
  return startReferral(s, community, referee, referrer, source);
}

/**
 * A member joined the community's space (recordPresence). With a known inviter (Discord invite attribution)
 * this starts a referral under the same rules as a code; a refusal (too young, an old member back, a cap)
 * only means no referral. Returns the outcome for the caller's records.
 */
export async function onJoined(
  s: Scope,
  c: { communityId: string; memberId: string; inviterId?: string | null; accountCreatedAt?: Date | null },
): Promise<{ referral: Redeemed } | { refused: string } | null> {
  if (!c.inviterId) return null;
  const tx = txOf(s);
  await lockCommunity(s, c.communityId);
  const community = await tx.community.findUniqueOrThrow({ where: { id: c.communityId }, select: { id: true, timezone: true, referrerReward: true, refereeReward: true } });
  const referrer = await tx.member.findUnique({ where: { id: c.inviterId }, include: { _count: { select: { identities: true } } } });
  if (!referrer || referrer.communityId !== c.communityId || referrer._count.identities === 0) return { refused: 'referrals:error.unknownCode' };
  try {
    return { referral: await startReferral(s, community, { id: c.memberId }, referrer, 'invite', c.accountCreatedAt) };
  } catch (err) {
    // Refusals are decided before anything is written, so the join itself is still recorded.
    if (err instanceof UserError) return { refused: err.code };
    throw err;
  }
}

/** Pays both sides of a pending referral once (conditional on it still being pending). */
async function payReferral(s: Scope, ref: { id: number; communityId: string; referrerId: string; refereeId: string }, rewards: Rewards) {
  const tx = txOf(s);
  const done = await tx.referral.updateMany({ where: { id: ref.id, status: 'pending' }, data: { status: 'paid', qualifiedAt: s.now } });
  if (done.count !== 1) return { paid: false };
  await emitEvent(s, ref.communityId, 'referral.qualified', `referral.qualified:${ref.id}`,
    { referralId: ref.id, referrerId: ref.referrerId, refereeId: ref.refereeId, referrerReward: rewards.referrerReward, refereeReward: rewards.refereeReward });
  if (rewards.referrerReward > 0) {
    await applyPoints(s, {
      communityId: ref.communityId, memberId: ref.referrerId, delta: rewards.referrerReward, kind: 'referral',
      reason: ledgerReason('referrer'), idempotencyKey: rewardKey(ref.refereeId, 'referrer'),
    });
  }
  if (rewards.refereeReward <= 0) return { paid: true };
  const referrer = await tx.member.findUniqueOrThrow({ where: { id: ref.referrerId }, select: { displayName: true } });
  const r = await applyPoints(s, {
    communityId: ref.communityId, memberId: ref.refereeId, delta: rewards.refereeReward, kind: 'referral',
    reason: ledgerReason('referee', { name: referrer.displayName }), idempotencyKey: rewardKey(ref.refereeId, 'referee'),
  });
  return { paid: true, refereeBalance: r.balance };
}

/** Ends a pending referral unpaid (left, linked to the referrer, or never active enough). */
async function cancelPending(s: Scope, id: number): Promise<boolean> {
  const done = await txOf(s).referral.updateMany({ where: { id, status: 'pending' }, data: { status: 'cancelled', endedAt: s.now } });
  if (done.count !== 1) return false;
  await s.unschedule('referral.check', id);
  return true;
}

/**
 * Takes a paid referral's rewards back through the ledger (balances may go below zero if they were spent).
 * Returns the points taken back, or null when it was no longer paid.
 */
async function clawBack(s: Scope, ref: { id: number; communityId: string; refereeId: string }, reason: string, params: Record<string, unknown> = {}): Promise<number | null> {
  const tx = txOf(s);
  const done = await tx.referral.updateMany({ where: { id: ref.id, status: 'paid' }, data: { status: 'clawedBack', endedAt: s.now } });
  if (done.count !== 1) return null;
  let taken = 0;
  for (const side of ['referrer', 'referee'] as const) {
    const paid = await tx.ledgerEntry.findUnique({ where: { communityId_idempotencyKey: { communityId: ref.communityId, idempotencyKey: rewardKey(ref.refereeId, side) } } });
    if (!paid) continue;
    await applyPoints(s, {
      communityId: ref.communityId, memberId: paid.memberId, delta: -paid.delta, kind: 'referral', allowNegative: true,
      reason: ledgerReason(reason, params), idempotencyKey: rewardKey(ref.refereeId, side, true),
    });
    taken += paid.delta;
  }
  return taken;
}

/**
 * Two members are being linked as one person (`a` merges into `b`, or the other way): a referral between them
 * was a member inviting themselves. A pending one is cancelled; a paid one is clawed back through the ledger.
 * The row stays, with its status, so stats stay explainable. Returns the points taken back.
 */
export async function reverseReferralBetween(s: Scope, communityId: string, a: string, b: string): Promise<number> {
  const tx = txOf(s);
  await lockCommunity(s, communityId);
  const ref = await tx.referral.findFirst({ where: { communityId, OR: [{ referrerId: a, refereeId: b }, { referrerId: b, refereeId: a }] } });
  if (!ref) return 0;
  if (ref.status === 'pending') { await cancelPending(s, ref.id); return 0; }
  return ref.status === 'paid' ? (await clawBack(s, ref, 'referralReversed')) ?? 0 : 0;
}

/** Whether every account of the member we saw in the space has left it (accounts never seen there count as present). */
async function hasLeft(s: Scope, communityId: string, memberId: string): Promise<boolean> {
  const tx = txOf(s);
  const ids = await tx.identity.findMany({ where: { communityId, memberId }, select: { platform: true, platformUserId: true } });
  if (!ids.length) return false;
  const rows = await tx.presence.findMany({
    where: { communityId, OR: ids.map((i) => ({ platform: i.platform, platformUserId: i.platformUserId })) },
    select: { leftAt: true },
  });
  return rows.length === ids.length && rows.every((r) => r.leftAt !== null);
}

/**
 * An account of a member left the community's space (recordPresence). Once every account of theirs has left
 * (linked accounts on other platforms may still be there), their pending referral is cancelled; a paid one is
 * clawed back from both sides when they leave within clawbackDays of qualifying.
 */
export async function onLeft(s: Scope, c: { communityId: string; memberId: string }): Promise<'cancelled' | 'clawedBack' | null> {
  const tx = txOf(s);
  if (!(await tx.referral.count({ where: { communityId: c.communityId, refereeId: c.memberId } }))) return null;
  // Two accounts of the member leaving at once would each see the other still here: the second waits for the
  // first to commit, then sees its leave.
  await lockCommunity(s, c.communityId);
  if (!(await hasLeft(s, c.communityId, c.memberId))) return null;
  let ref = await tx.referral.findUniqueOrThrow({ where: { refereeId: c.memberId } });
  if (ref.status === 'pending') {
    if (await cancelPending(s, ref.id)) return 'cancelled';
    // A check paid it meanwhile (it held the row; the cancel then matched nothing): take it back below.
    ref = await tx.referral.findUniqueOrThrow({ where: { refereeId: c.memberId } });
  }
  if (ref.status !== 'paid' || !ref.qualifiedAt) return null;
  const rules = await referralRules(s, c.communityId);
  if (s.now.getTime() - ref.qualifiedAt.getTime() > rules.clawbackDays * DAY_MS) return null;
  return (await clawBack(s, ref, 'referralLeft', { days: rules.clawbackDays })) === null ? null : 'clawedBack';
}

/**
 * Scheduled job (refId = the referral id): a pending referral is paid once the referee has stayed minDays and
 * earned minActivity activity points since it was made (their net activity ledger). Not yet active enough:
 * checked again daily (`{ again }`) until windowDays after it was made, then cancelled.
 */
export async function checkReferral(s: Scope, refId: number): Promise<void | { again: Date }> {
  const tx = txOf(s);
  const ref = await tx.referral.findUnique({ where: { id: refId } });
  if (!ref || ref.status !== 'pending') return;
  const community = await tx.community.findUniqueOrThrow({ where: { id: ref.communityId }, select: { referrerReward: true, refereeReward: true, referralRules: true } });
  const rules = parseReferralRules(community.referralRules);
  if (await hasLeft(s, ref.communityId, ref.refereeId)) { await cancelPending(s, ref.id); return; }
  const due = days(ref.createdAt, rules.minDays);
  const activity = await tx.ledgerEntry.aggregate({
    where: { communityId: ref.communityId, memberId: ref.refereeId, kind: 'activity', createdAt: { gte: ref.createdAt } },
    _sum: { delta: true },
  });
  if (s.now.getTime() >= due.getTime() && (activity._sum.delta ?? 0) >= rules.minActivity) {
    await payReferral(s, ref, community);
    return;
  }
  const end = days(ref.createdAt, Math.max(rules.windowDays, rules.minDays));
  if (s.now.getTime() >= end.getTime()) { await cancelPending(s, ref.id); return; }
  const next = Math.min(end.getTime(), Math.max(due.getTime(), s.now.getTime() + DAY_MS));
  return { again: new Date(next) };
}

/** A member's referrals: paid (and still standing), pending, and the points they earned them (net of take-backs). */
export async function referralStats(s: Scope, communityId: string, memberId: string) {
  const tx = txOf(s);
  const [byStatus, earned] = await Promise.all([
    tx.referral.groupBy({ by: ['status'], where: { communityId, referrerId: memberId }, _count: { _all: true } }),
    tx.ledgerEntry.aggregate({ where: { communityId, memberId, kind: 'referral', idempotencyKey: { endsWith: ':referrer' } }, _sum: { delta: true } }),
  ]);
  const count = (status: string) => byStatus.find((g) => g.status === status)?._count._all ?? 0;
  return { referred: count('paid'), pending: count('pending'), earned: earned._sum.delta ?? 0 };
}
