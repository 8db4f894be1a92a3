import { defineCommand, opt } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { formatDate, formatDuration } from '../src/core/time.js';
import type { Button } from '../src/core/types.js';
import { challengeCard, closeChallenge, createChallenge, getChallenge, reviewSubmission, submitProof } from '../src/services/challenges.js';
import { plural } from './util.js';
import { displayNames } from '../src/services/members.js';

const challengeId = opt.id('Challenge number');
const submissionId = opt.id('Submission number');

export const challengeCreate = defineCommand({
  name: 'challenge create',
  description: 'Start a challenge with a points reward and a deadline',
  permission: 'moderator',
  options: {
    title: opt.string('Short title (quote it if it has spaces)', { max: 100 }),
    reward: opt.integer('Points for completing it', { min: 1, max: 100_000 }),
    deadline: opt.moment('When it closes: 3d, 12h, or 2026-12-24 18:00 (UTC)'),
    description: opt.text('What to do and what proof to send', { optional: true, max: 1000 }),
  },
  examples: ['/challenge create "Share a post" 50 7d Post about us and send the link'],
  async run(ctx, a) {
    const ch = await createChallenge(ctx, {
      communityId: ctx.community.id, title: a.title, description: a.description ?? '', reward: a.reward, deadline: a.deadline,
      createdById: ctx.member.id, platform: ctx.platform, channelId: ctx.channelId,
    });
    return { text: `Challenge #${ch.id} "${ch.title}" is live until ${formatDate(ch.deadline)} (${formatDuration(ch.deadline.getTime() - ctx.now.getTime())}).`, ephemeral: true };
  },
});

export const challengeList = defineCommand({
  name: 'challenge list',
  description: 'Open challenges',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    const open = await ctx.tx.challenge.findMany({ where: { communityId: ctx.community.id, status: 'open', deadline: { gt: ctx.now } }, orderBy: { deadline: 'asc' }, take: 20 });
    if (!open.length) return { text: 'No open challenges right now.' };
    const mine = await ctx.tx.submission.findMany({ where: { memberId: ctx.member.id, challengeId: { in: open.map((c) => c.id) } } });
    const status = (id: number) => {
      const s = mine.find((x) => x.challengeId === id);
      return s ? ` · yours: ${s.status}` : '';
    };
    return {
      text: ['🏁 **Open challenges**', ...open.map((c) => `#${c.id} ${c.title}: ${c.reward} pts, ${formatDuration(c.deadline.getTime() - ctx.now.getTime())} left${status(c.id)}`)].join('\n'),
    };
  },
});

export const challengeShow = defineCommand({
  name: 'challenge show',
  description: 'Details of one challenge',
  permission: 'member',
  readOnly: true,
  options: { challenge: challengeId },
  async run(ctx, { challenge }) {
    const ch = await getChallenge(ctx, ctx.community.id, challenge);
    if (ch.status !== 'open') return { text: `Challenge #${ch.id} "${ch.title}" is closed.` };
    return { ...challengeCard(ch), ephemeral: true };
  },
});

export const challengeSubmit = defineCommand({
  name: 'challenge submit',
  description: 'Send proof that you completed a challenge',
  permission: 'member',
  options: { challenge: challengeId, proof: opt.text('A link or a short description', { max: 1000 }) },
  examples: ['/challenge submit 3 https://example.com/my-post'],
  async run(ctx, { challenge, proof }) {
    const { challenge: ch, submission } = await submitProof(ctx, ctx.community.id, challenge, ctx.member.id, proof);
    return { text: `📨 Got it: submission #${submission.id} for challenge #${ch.id} "${ch.title}" is waiting for a moderator. You get ${ch.reward} points when it is approved.`, ephemeral: true };
  },
});

export const challengeReview = defineCommand({
  name: 'challenge review',
  description: 'Submissions waiting for review',
  permission: 'moderator',
  readOnly: true,
  options: { challenge: opt.id('Only this challenge', { optional: true }) },
  async run(ctx, { challenge }) {
    const pending = await ctx.tx.submission.findMany({
      where: { status: 'pending', challenge: { communityId: ctx.community.id, ...(challenge ? { id: challenge } : {}) } },
      include: { challenge: true },
      orderBy: { id: 'asc' },
      take: 10,
    });
    if (!pending.length) return { text: 'Nothing to review. 🎉', ephemeral: true };
    const names = await displayNames(ctx.tx, pending.map((p) => p.memberId));
    const buttons: Button[][] = pending.slice(0, 5).map((s) => [
      { label: `Approve #${s.id}`, command: 'challenge approve', args: { submission: s.id }, style: 'success' },
      { label: `Reject #${s.id}`, command: 'challenge reject', args: { submission: s.id }, style: 'danger' },
    ]);
    return {
      text: ['**Waiting for review**', ...pending.map((s) => `#${s.id} · challenge #${s.challengeId} "${s.challenge.title}" · ${names.get(s.memberId)}: ${s.proof}`)].join('\n'),
      buttons,
      ephemeral: true,
    };
  },
});

export const challengeApprove = defineCommand({
  name: 'challenge approve',
  description: 'Approve a submission and award the points',
  permission: 'moderator',
  options: { submission: submissionId },
  async run(ctx, { submission }) {
    const r = await reviewSubmission(ctx, ctx.community.id, submission, ctx.member.id, true);
    const m = await ctx.tx.member.findUniqueOrThrow({ where: { id: r.submission.memberId } });
    return { text: `✅ Approved submission #${submission}: ${m.displayName} gets ${r.submission.challenge.reward} points (balance ${r.balance}).` };
  },
});

export const challengeReject = defineCommand({
  name: 'challenge reject',
  description: 'Reject a submission (they may submit again)',
  permission: 'moderator',
  options: { submission: submissionId, note: opt.text('Why (sent to them)', { optional: true, max: 300 }) },
  async run(ctx, { submission, note }) {
    const r = await reviewSubmission(ctx, ctx.community.id, submission, ctx.member.id, false, note);
    const m = await ctx.tx.member.findUniqueOrThrow({ where: { id: r.submission.memberId } });
    return { text: `❌ Rejected submission #${submission} from ${m.displayName}${note ? ` (${note})` : ''}.` };
  },
});

export const challengeClose = defineCommand({
  name: 'challenge close',
  description: 'Close a challenge now, before its deadline',
  permission: 'moderator',
  options: { challenge: challengeId },
  async run(ctx, { challenge }) {
    const ch = await getChallenge(ctx, ctx.community.id, challenge);
    if (ch.status !== 'open') throw new UserError(`Challenge #${ch.id} is already closed.`);
    await closeChallenge(ctx, ch.id);
    await ctx.unschedule('challenge.deadline', ch.id);
    const pending = await ctx.tx.submission.count({ where: { challengeId: ch.id, status: 'pending' } });
    return { text: `Challenge #${ch.id} closed.${pending ? ` ${plural(pending, 'submission')} still to review: /challenge review ${ch.id}` : ''}`, ephemeral: true };
  },
});
