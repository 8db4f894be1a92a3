import { defineCommand, opt } from '../src/core/command.js';
import { inChannel } from '../src/core/preconditions.js';
import {
  closeChallengeNow, createChallenge, getChallenge, openChallenges, pendingSubmissions, reviewSubmission, submitProof,
} from '../src/features/challenges/service.js';
import {
  approvedReply, closedReply, createdReply, listReply, rejectedReply, reviewQueueReply, showReply, submittedReply,
} from '../src/features/challenges/present.js';

const challengeId = opt.id();
const submissionId = opt.id();

export const challengeCreate = defineCommand({
  name: 'challenge create',
  permission: 'moderator',
  preconditions: [inChannel],
  options: {
    title: opt.string({ max: 100 }),
    reward: opt.integer({ min: 1, max: 100_000 }),
    deadline: opt.moment(),
    description: opt.text({ optional: true, max: 1000 }),
  },
  async run(ctx, a) {
    const ch = await createChallenge(ctx, {
      communityId: ctx.community.id, title: a.title, description: a.description ?? '', reward: a.reward, deadline: a.deadline,
      createdById: ctx.member.id, platform: ctx.platform, address: ctx.address,
    });
    return createdReply(ctx.lang, ch, ctx.now);
  },
});

export const challengeList = defineCommand({
  name: 'challenge list',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    return listReply(ctx.lang, await openChallenges(ctx, ctx.community.id, ctx.member.id), ctx.now);
  },
});

export const challengeShow = defineCommand({
  name: 'challenge show',
  permission: 'member',
  readOnly: true,
  options: { challenge: challengeId },
  async run(ctx, { challenge }) {
    return showReply(ctx.lang, await getChallenge(ctx, ctx.community.id, challenge));
  },
});

export const challengeSubmit = defineCommand({
  name: 'challenge submit',
  permission: 'member',
  options: { challenge: challengeId, proof: opt.text({ max: 1000 }) },
  async run(ctx, { challenge, proof }) {
    const r = await submitProof(ctx, ctx.community.id, challenge, ctx.member.id, proof);
    return submittedReply(ctx.lang, r.challenge, r.submission.id);
  },
});

export const challengeReview = defineCommand({
  name: 'challenge review',
  permission: 'moderator',
  readOnly: true,
  options: { challenge: opt.id({ optional: true }) },
  async run(ctx, { challenge }) {
    return reviewQueueReply(ctx.lang, await pendingSubmissions(ctx, ctx.community.id, challenge));
  },
});

export const challengeApprove = defineCommand({
  name: 'challenge approve',
  permission: 'moderator',
  options: { submission: submissionId },
  async run(ctx, { submission }) {
    return approvedReply(ctx.lang, await reviewSubmission(ctx, ctx.community.id, submission, ctx.member.id, true));
  },
});

export const challengeReject = defineCommand({
  name: 'challenge reject',
  permission: 'moderator',
  options: { submission: submissionId, note: opt.text({ optional: true, max: 300 }) },
  async run(ctx, { submission, note }) {
    return rejectedReply(ctx.lang, await reviewSubmission(ctx, ctx.community.id, submission, ctx.member.id, false, note), note);
  },
});

export const challengeClose = defineCommand({
  name: 'challenge close',
  permission: 'moderator',
  options: { challenge: challengeId },
  async run(ctx, { challenge }) {
    return closedReply(ctx.lang, await closeChallengeNow(ctx, ctx.community.id, challenge));
  },
});
