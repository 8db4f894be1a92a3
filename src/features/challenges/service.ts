import { txOf, type Scope } from '../../core/scope.js';
import type { Address, Platform } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { applyPoints, ledgerReason } from '../points/service.js';
import { displayNames, dmTarget } from '../members/service.js';
import { channelOf } from '../../core/address.js';
import { emitEvent } from '../webhooks/service.js';

export interface NewChallenge {
  communityId: string;
  title: string;
  description: string;
  reward: number;
  deadline: Date;
  createdById: string;
  platform: Platform;
  address?: Address;
}

export interface ChallengeCard { id: number; title: string; description: string; reward: number; deadline: Date }

/** Notices this feature sends. */
export type ChallengeNotice =
  | { type: 'challenge.card'; challenge: ChallengeCard }
  | { type: 'challenge.reviewed'; challengeId: number; title: string; approved: boolean; reward: number; balance?: number; note?: string }
  | { type: 'challenge.closed'; challengeId: number; title: string; approved: number; pending: number };

const cardOf = (c: ChallengeCard): ChallengeCard => ({ id: c.id, title: c.title, description: c.description, reward: c.reward, deadline: c.deadline });

export async function createChallenge(s: Scope, c: NewChallenge) {
  if (c.deadline.getTime() <= s.now.getTime()) throw new UserError('challenges:error.deadlinePast', {}, 'deadline');
  const where = c.address?.kind === 'channel' ? c.address : undefined;
  const ch = await txOf(s).challenge.create({
    data: {
      communityId: c.communityId, title: c.title, description: c.description, reward: c.reward, deadline: c.deadline,
      createdById: c.createdById, platform: c.platform, channelId: where?.channelId ?? null, threadId: where?.threadId ?? null,
    },
  });
  await s.schedule('challenge.deadline', ch.id, ch.deadline);
  if (where) await s.announce({ communityId: c.communityId, platform: c.platform, to: where, notice: { type: 'challenge.card', challenge: cardOf(ch) } });
  return ch;
}

export async function getChallenge(s: Scope, communityId: string, id: number) {
  const ch = await txOf(s).challenge.findUnique({ where: { id } });
  if (!ch || ch.communityId !== communityId) throw new UserError('challenges:error.notFound', { id });
  return ch;
}

/** Open challenges (deadline ahead) with the member's own submission status. */
export async function openChallenges(s: Scope, communityId: string, memberId: string) {
  const tx = txOf(s);
  const open = await tx.challenge.findMany({ where: { communityId, status: 'open', deadline: { gt: s.now } }, orderBy: { deadline: 'asc' }, take: 20 });
  const mine = await tx.submission.findMany({ where: { memberId, challengeId: { in: open.map((c) => c.id) } } });
  return open.map((c) => ({ ...c, mine: mine.find((x) => x.challengeId === c.id)?.status as 'pending' | 'approved' | 'rejected' | undefined }));
}

/** A member submits proof; a rejected submission may be sent again, an approved or pending one not. */
export async function submitProof(s: Scope, communityId: string, challengeId: number, memberId: string, proof: string) {
  const tx = txOf(s);
  const ch = await getChallenge(s, communityId, challengeId);
  // Holds the challenge open until this commits (a racing close waits, and counts this proof as pending).
  const held = await tx.challenge.updateMany({ where: { id: ch.id, status: 'open', deadline: { gt: s.now } }, data: { status: 'open' } });
  if (held.count !== 1) throw new UserError('challenges:error.closed', { id: ch.id });
  const existing = await tx.submission.findUnique({ where: { challengeId_memberId: { challengeId, memberId } } });
  if (existing?.status === 'approved') throw new UserError('challenges:error.alreadyCompleted', { id: ch.id });
  if (existing?.status === 'pending') throw new UserError('challenges:error.alreadyPending', { id: ch.id });
  const sub = existing
    ? await tx.submission.update({ where: { id: existing.id }, data: { proof, status: 'pending', reviewedById: null, reviewNote: null, reviewedAt: null, createdAt: s.now } })
    : await tx.submission.create({ data: { challengeId, memberId, proof, createdAt: s.now } });
  return { challenge: ch, submission: sub };
}

/** Submissions waiting for review (optionally of one challenge), with the member's name. */
export async function pendingSubmissions(s: Scope, communityId: string, challengeId?: number) {
  const pending = await txOf(s).submission.findMany({
    where: { status: 'pending', challenge: { communityId, ...(challengeId ? { id: challengeId } : {}) } },
    include: { challenge: true },
    orderBy: { id: 'asc' },
    take: 10,
  });
  const names = await displayNames(s, pending.map((p) => p.memberId));
  return pending.map((p) => ({ id: p.id, challengeId: p.challengeId, title: p.challenge.title, proof: p.proof, name: names.get(p.memberId) ?? '?' }));
}

/** Approve (reward once, through the ledger) or reject a pending submission; the member is told by DM. */
export async function reviewSubmission(s: Scope, communityId: string, submissionId: number, reviewerId: string, approve: boolean, note?: string) {
  const tx = txOf(s);
  const sub = await tx.submission.findUnique({ where: { id: submissionId }, include: { challenge: true } });
  if (!sub || sub.challenge.communityId !== communityId) throw new UserError('challenges:error.noSubmission', { id: submissionId });
  if (sub.status !== 'pending') throw new UserError(`challenges:error.already.${sub.status}`, { id: submissionId });
  // Conditional update: of two moderators pressing at once, only one wins.
  const claimed = await tx.submission.updateMany({
    where: { id: submissionId, status: 'pending' },
    data: { status: approve ? 'approved' : 'rejected', reviewedById: reviewerId, reviewNote: note ?? null, reviewedAt: s.now },
  });
  if (claimed.count !== 1) throw new UserError('challenges:error.alreadyReviewed', { id: submissionId });
  let balance: number | undefined;
  if (approve) {
    const r = await applyPoints(s, {
      communityId, memberId: sub.memberId, delta: sub.challenge.reward, kind: 'challenge',
      reason: ledgerReason('challenge', { id: sub.challengeId, title: sub.challenge.title }), idempotencyKey: `challenge:${sub.challengeId}:${sub.memberId}`, actorId: reviewerId,
    });
    balance = r.balance;
    await emitEvent(s, communityId, 'challenge.approved', `challenge.approved:${submissionId}`,
      { challengeId: sub.challengeId, title: sub.challenge.title, submissionId, memberId: sub.memberId, reward: sub.challenge.reward, reviewerId });
  }
  const identity = await dmTarget(s, sub.memberId, sub.challenge.platform ?? undefined);
  if (identity && identity.platform !== 'console') {
    await s.announce({
      communityId, platform: identity.platform as Platform, to: { kind: 'dm', userId: identity.platformUserId }, memberId: sub.memberId,
      notice: { type: 'challenge.reviewed', challengeId: sub.challengeId, title: sub.challenge.title, approved: approve, reward: sub.challenge.reward, ...(balance !== undefined ? { balance } : {}), ...(note ? { note } : {}) },
    });
  }
  const member = await tx.member.findUniqueOrThrow({ where: { id: sub.memberId }, select: { displayName: true } });
  return { submissionId, challengeId: sub.challengeId, reward: sub.challenge.reward, name: member.displayName, balance };
}

/** Closes an open challenge (the deadline job, or a moderator); proof already in can still be reviewed. Null if it was not open. */
export async function closeChallenge(s: Scope, id: number): Promise<{ approved: number; pending: number } | null> {
  const tx = txOf(s);
  const ch = await tx.challenge.findUnique({ where: { id } });
  if (!ch) return null;
  const claimed = await tx.challenge.updateMany({ where: { id, status: 'open' }, data: { status: 'closed', closedAt: s.now } });
  if (claimed.count !== 1) return null;
  await s.unschedule('challenge.deadline', id);
  const [approved, pending] = await Promise.all([
    tx.submission.count({ where: { challengeId: id, status: 'approved' } }),
    tx.submission.count({ where: { challengeId: id, status: 'pending' } }),
  ]);
  const where = channelOf(ch);
  if (ch.platform && where) {
    await s.announce({ communityId: ch.communityId, platform: ch.platform as Platform, to: where, notice: { type: 'challenge.closed', challengeId: id, title: ch.title, approved, pending } });
  }
  return { approved, pending };
}

/** A moderator closes a challenge before its deadline. */
export async function closeChallengeNow(s: Scope, communityId: string, id: number) {
  const ch = await getChallenge(s, communityId, id);
  const r = await closeChallenge(s, ch.id);
  if (!r) throw new UserError('challenges:error.alreadyClosed', { id: ch.id });
  return { id: ch.id, pending: r.pending };
}

/* The dashboard's challenges page (read only). */

export interface BoardChallenge { id: number; title: string; reward: number; deadline: Date; pending: number; approved: number }
export interface QueuedSubmission { id: number; challengeId: number; title: string; reward: number; memberId: string; name: string; proof: string; submittedAt: Date }
export interface ChallengesBoard { open: BoardChallenge[]; queue: QueuedSubmission[] }

/**
 * Open challenges (soonest deadline first, up to 50) with their pending and approved submission counts, and
 * the review queue: pending submissions of any challenge (closed ones can still be reviewed), oldest first, up to 50.
 */
export async function challengesBoard(s: Scope, communityId: string): Promise<ChallengesBoard> {
  const tx = txOf(s);
  const [open, pending] = await Promise.all([
    tx.challenge.findMany({ where: { communityId, status: 'open' }, orderBy: [{ deadline: 'asc' }, { id: 'asc' }], take: 50 }),
    tx.submission.findMany({
      where: { status: 'pending', challenge: { communityId } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 50,
      include: { challenge: { select: { title: true, reward: true } } },
    }),
  ]);
  const counts = open.length
    ? await tx.submission.groupBy({ by: ['challengeId', 'status'], where: { challengeId: { in: open.map((c) => c.id) }, status: { in: ['pending', 'approved'] } }, _count: { _all: true } })
    : [];
  const count = (id: number, status: string) => counts.find((x) => x.challengeId === id && x.status === status)?._count._all ?? 0;
  const names = await displayNames(s, [...new Set(pending.map((p) => p.memberId))]);
  return {
    open: open.map((c) => ({ id: c.id, title: c.title, reward: c.reward, deadline: c.deadline, pending: count(c.id, 'pending'), approved: count(c.id, 'approved') })),
    queue: pending.map((p) => ({
      id: p.id, challengeId: p.challengeId, title: p.challenge.title, reward: p.challenge.reward, memberId: p.memberId,
      name: names.get(p.memberId) ?? '?', proof: p.proof, submittedAt: p.createdAt,
    })),
  };
}
