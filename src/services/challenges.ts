import type { Deps } from '../core/context.js';
import type { Platform, Reply } from '../core/types.js';
import { UserError } from '../core/errors.js';
import { formatDate } from '../core/time.js';
import { applyPoints } from './ledger.js';

export interface NewChallenge {
  communityId: string;
  title: string;
  description: string;
  reward: number;
  deadline: Date;
  createdById: string;
  platform: Platform;
  channelId?: string;
}

export function challengeCard(c: { id: number; title: string; description: string; reward: number; deadline: Date }): Reply {
  return {
    text: `🏁 **Challenge #${c.id}: ${c.title}**\n${c.description ? c.description + '\n' : ''}Reward: **${c.reward} points** · Deadline: ${formatDate(c.deadline)}\nSubmit with /challenge submit ${c.id} <proof>`,
    buttons: [[{
      label: 'Submit proof', command: 'challenge submit', args: { challenge: c.id }, style: 'primary',
      form: { title: `Challenge #${c.id}`, command: 'challenge submit', args: { challenge: c.id }, fields: [{ name: 'proof', label: 'Proof (link or description)', long: true, maxLength: 1000 }] },
    }]],
  };
}

export async function createChallenge(d: Deps, c: NewChallenge) {
  if (c.deadline.getTime() <= d.now.getTime()) throw new UserError('The deadline must be in the future.');
  const ch = await d.tx.challenge.create({
    data: {
      communityId: c.communityId, title: c.title, description: c.description, reward: c.reward, deadline: c.deadline,
      createdById: c.createdById, platform: c.platform, channelId: c.channelId ?? null,
    },
  });
  await d.schedule('challenge.deadline', ch.id, ch.deadline);
  if (c.channelId) await d.announce({ communityId: c.communityId, platform: c.platform, channelId: c.channelId, reply: challengeCard(ch) });
  return ch;
}

export async function getChallenge(d: Deps, communityId: string, id: number) {
  const ch = await d.tx.challenge.findUnique({ where: { id } });
  if (!ch || ch.communityId !== communityId) throw new UserError(`There is no challenge #${id}. See /challenge list.`);
  return ch;
}

/** A member submits proof; a rejected submission may be sent again, an approved or pending one not. */
export async function submitProof(d: Deps, communityId: string, challengeId: number, memberId: string, proof: string) {
  const ch = await getChallenge(d, communityId, challengeId);
  if (ch.status !== 'open' || ch.deadline.getTime() <= d.now.getTime()) throw new UserError(`Challenge #${ch.id} is closed.`);
  const existing = await d.tx.submission.findUnique({ where: { challengeId_memberId: { challengeId, memberId } } });
  if (existing?.status === 'approved') throw new UserError(`You already completed challenge #${ch.id}.`);
  if (existing?.status === 'pending') throw new UserError(`Your proof for challenge #${ch.id} is already waiting for review.`);
  const sub = existing
    ? await d.tx.submission.update({ where: { id: existing.id }, data: { proof, status: 'pending', reviewedById: null, reviewNote: null, reviewedAt: null, createdAt: d.now } })
    : await d.tx.submission.create({ data: { challengeId, memberId, proof, createdAt: d.now } });
  return { challenge: ch, submission: sub };
}

/** Approve (reward once, through the ledger) or reject a pending submission. */
export async function reviewSubmission(d: Deps, communityId: string, submissionId: number, reviewerId: string, approve: boolean, note?: string) {
  const sub = await d.tx.submission.findUnique({ where: { id: submissionId }, include: { challenge: true } });
  if (!sub || sub.challenge.communityId !== communityId) throw new UserError(`There is no submission #${submissionId}. See /challenge review.`);
  if (sub.status !== 'pending') throw new UserError(`Submission #${submissionId} was already ${sub.status}.`);
  // Conditional update: of two moderators pressing at once, only one wins.
  const claimed = await d.tx.submission.updateMany({
    where: { id: submissionId, status: 'pending' },
    data: { status: approve ? 'approved' : 'rejected', reviewedById: reviewerId, reviewNote: note ?? null, reviewedAt: d.now },
  });
  if (claimed.count !== 1) throw new UserError(`Submission #${submissionId} was already reviewed.`);
  let balance: number | undefined;
  if (approve) {
    const r = await applyPoints(d, {
      communityId, memberId: sub.memberId, delta: sub.challenge.reward, kind: 'challenge',
      reason: `Challenge #${sub.challengeId}: ${sub.challenge.title}`, idempotencyKey: `challenge:${sub.challengeId}:${sub.memberId}`, actorId: reviewerId,
    });
    balance = r.balance;
  }
  const identity = await d.tx.identity.findFirst({ where: { memberId: sub.memberId, platform: sub.challenge.platform ?? undefined } });
  if (identity && identity.platform !== 'console') {
    await d.announce({
      communityId, platform: identity.platform as Platform, channelId: `user:${identity.platformUserId}`,
      reply: {
        text: approve
          ? `✅ Your proof for challenge #${sub.challengeId} "${sub.challenge.title}" was approved: +${sub.challenge.reward} points (balance ${balance}).`
          : `❌ Your proof for challenge #${sub.challengeId} "${sub.challenge.title}" was not accepted${note ? `: ${note}` : ''}. You can submit again before the deadline.`,
      },
    });
  }
  return { submission: sub, balance };
}

/** Deadline job: closes the challenge; submissions already in can still be reviewed. */
export async function closeChallenge(d: Deps, id: number): Promise<void> {
  const ch = await d.tx.challenge.findUnique({ where: { id } });
  if (!ch || ch.status !== 'open') return;
  await d.tx.challenge.update({ where: { id }, data: { status: 'closed', closedAt: d.now } });
  if (ch.platform && ch.channelId) {
    const [approved, pending] = await Promise.all([
      d.tx.submission.count({ where: { challengeId: id, status: 'approved' } }),
      d.tx.submission.count({ where: { challengeId: id, status: 'pending' } }),
    ]);
    await d.announce({
      communityId: ch.communityId, platform: ch.platform as Platform, channelId: ch.channelId,
      reply: { text: `⏰ Challenge #${id} "${ch.title}" is closed. ${approved} completed${pending ? `, ${pending} still in review` : ''}.` },
    });
  }
}
