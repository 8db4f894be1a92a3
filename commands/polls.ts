import { defineCommand, opt } from '../src/core/command.js';
import { inChannel } from '../src/core/preconditions.js';
import { answerPoll, closePollNow, commentPoll, createPoll, listPolls, pollResults } from '../src/features/polls/service.js';
import { answeredReply, closedReply, commentedReply, createdReply, listReply, resultsReply } from '../src/features/polls/present.js';

const pollId = opt.id();
const DEFAULT_LENGTH_MS = 3 * 86_400_000;

export const pollCreate = defineCommand({
  name: 'poll create',
  permission: 'moderator',
  preconditions: [inChannel],
  options: {
    question: opt.text({ max: 300 }),
    duration: opt.duration({ optional: true, minMs: 5 * 60_000, maxMs: 90 * 86_400_000 }),
    opens: opt.moment({ optional: true }),
    repeat: opt.choice(['none', 'daily', 'weekly', 'monthly'] as const, { optional: true }),
  },
  async run(ctx, a) {
    const opensAt = a.opens ?? ctx.now;
    const p = await createPoll(ctx, {
      communityId: ctx.community.id, question: a.question, opensAt, closesAt: new Date(opensAt.getTime() + (a.duration ?? DEFAULT_LENGTH_MS)),
      repeat: a.repeat ?? 'none', createdById: ctx.member.id, platform: ctx.platform, address: ctx.address,
    });
    return createdReply(ctx.lang, p);
  },
});

export const pollAnswer = defineCommand({
  name: 'poll answer',
  permission: 'member',
  options: {
    poll: pollId,
    score: opt.integer({ min: 0, max: 10 }),
    comment: opt.text({ optional: true, max: 1000 }),
  },
  async run(ctx, { poll, score, comment }) {
    return answeredReply(ctx.lang, await answerPoll(ctx, ctx.community.id, poll, ctx.member.id, score, comment, ctx.platform));
  },
});

export const pollComment = defineCommand({
  name: 'poll comment',
  permission: 'member',
  options: { poll: pollId, comment: opt.text({ max: 1000 }) },
  async run(ctx, { poll, comment }) {
    return commentedReply(ctx.lang, await commentPoll(ctx, ctx.community.id, poll, ctx.member.id, comment));
  },
});

export const pollResultsCmd = defineCommand({
  name: 'poll results',
  permission: 'moderator',
  readOnly: true,
  options: { poll: pollId, comments: opt.integer({ optional: true, min: 0, max: 25 }) },
  async run(ctx, { poll, comments }) {
    const r = await pollResults(ctx, ctx.community.id, poll);
    return { ...resultsReply(ctx.lang, r.poll, r.summary, r.trend, r.comments, comments ?? 5), ephemeral: true };
  },
});

export const pollList = defineCommand({
  name: 'poll list',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    return listReply(ctx.lang, await listPolls(ctx, ctx.community.id, ctx.member.id), ctx.now);
  },
});

export const pollClose = defineCommand({
  name: 'poll close',
  permission: 'moderator',
  options: { poll: pollId },
  async run(ctx, { poll }) {
    return closedReply(ctx.lang, await closePollNow(ctx, ctx.community.id, poll));
  },
});
