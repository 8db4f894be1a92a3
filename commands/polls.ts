import { defineCommand, opt } from '../src/core/command.js';
import { inChannel } from '../src/core/preconditions.js';
import { answerPoll, challengeToOffer, closePollNow, commentPoll, createPoll, listPolls, pollReport, pollResults, voteChoice } from '../src/features/polls/service.js';
import { answeredReply, choiceResultsReply, closedReply, commentedReply, createdReply, listReply, reportReply, resultsReply, votedReply } from '../src/features/polls/present.js';
import { parseOptions, POLL_KINDS, VOTE_MODES } from '../src/features/polls/choices.js';

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
    kind: opt.choice(POLL_KINDS, { optional: true }),
    /** Labels separated by | (or new lines); emoji polls: emoji separated by spaces or |. */
    options: opt.text({ optional: true, max: 1000 }),
    anonymous: opt.choice(['yes', 'no'] as const, { optional: true }),
    points: opt.integer({ optional: true, min: 0, max: 1000 }),
    remind: opt.duration({ optional: true, minMs: 5 * 60_000, maxMs: 90 * 86_400_000 }),
    referral: opt.choice(['on', 'off'] as const, { optional: true }),
    /** An open challenge's number to offer promoters, or "none" (default: the newest open challenge). */
    challenge: opt.string({ optional: true, max: 20 }),
    followup: opt.choice(['on', 'off'] as const, { optional: true }),
  },
  async run(ctx, a) {
    const opensAt = a.opens ?? ctx.now;
    const kind = a.kind ?? 'nps';
    const options = parseOptions(kind, a.options);
    const p = await createPoll(ctx, {
      communityId: ctx.community.id, question: a.question, opensAt, closesAt: new Date(opensAt.getTime() + (a.duration ?? DEFAULT_LENGTH_MS)),
      repeat: a.repeat ?? 'none', createdById: ctx.member.id, platform: ctx.platform, address: ctx.address,
      kind, options, anonymous: a.anonymous === 'yes', answerPoints: a.points ?? 0, remindMs: a.remind,
      offerReferral: a.referral !== 'off', followUpDetractors: a.followup !== 'off',
      offerChallengeId: await challengeToOffer(ctx, ctx.community.id, a.challenge),
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

/** Answers a single, multi, yes/no or emoji poll (buttons, select menus, reactions through engine.reaction). */
export const pollVote = defineCommand({
  name: 'poll vote',
  permission: 'member',
  options: {
    poll: pollId,
    /** An option number, "1,3" (multi), or an emoji of an emoji poll. */
    option: opt.string({ max: 100 }),
    mode: opt.choice(VOTE_MODES, { optional: true }),
    /** Set by engine.reaction: the vote came from a reaction on the card, which everyone can see. */
    via: opt.choice(['reaction'] as const, { optional: true }),
  },
  async run(ctx, { poll, option, mode, via }) {
    return votedReply(ctx.lang, await voteChoice(ctx, ctx.community.id, poll, ctx.member.id, option, mode ?? 'set', { publicly: via === 'reaction' }));
  },
});

/** A moderator's view of one NPS run by referral source and tier. */
export const pollReportCmd = defineCommand({
  name: 'poll report',
  permission: 'moderator',
  readOnly: true,
  options: { poll: pollId },
  async run(ctx, { poll }) {
    const r = await pollReport(ctx, ctx.community.id, poll);
    return reportReply(ctx.lang, r.poll, r.segments);
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
    if (r.choices) return { ...choiceResultsReply(ctx.lang, r.poll, r.choices), ephemeral: true };
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
