import { defineCommand, opt } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { formatDate, formatDuration } from '../src/core/time.js';
import { answerPoll, category, closePoll, commentButton, commentPoll, createPoll, getPoll, pollResults, resultsText, type Repeat } from '../src/services/polls.js';

const pollId = opt.id('Poll number');

export const pollCreate = defineCommand({
  name: 'poll create',
  description: 'Post an NPS poll (0-10) now or later, once or on repeat',
  permission: 'moderator',
  options: {
    question: opt.text('The question', { max: 300 }),
    duration: opt.duration('How long it stays open (default 3d)', { optional: true, minMs: 5 * 60_000, maxMs: 90 * 86_400_000 }),
    opens: opt.moment('When to post it (default now): 2h, or 2026-12-01 09:00 (UTC)', { optional: true }),
    repeat: opt.choice('Post it again: none, daily, weekly or monthly', ['none', 'daily', 'weekly', 'monthly'] as const, { optional: true }),
  },
  examples: ['/poll create How likely are you to recommend us to a friend? duration:2d', '/poll create How are we doing? opens:2026-12-01 repeat:monthly'],
  async run(ctx, a) {
    const opensAt = a.opens ?? ctx.now;
    const p = await createPoll(ctx, {
      communityId: ctx.community.id, question: a.question, opensAt, closesAt: new Date(opensAt.getTime() + (a.duration ?? 3 * 86_400_000)),
      repeat: (a.repeat ?? 'none') as Repeat, createdById: ctx.member.id, platform: ctx.platform, channelId: ctx.channelId,
    });
    const when = p.status === 'open' ? 'is open' : `opens ${formatDate(p.opensAt)}`;
    return { text: `Poll #${p.id} ${when} and closes ${formatDate(p.closesAt)}${p.repeat !== 'none' ? `; it repeats ${p.repeat}` : ''}. Results: /poll results ${p.id}`, ephemeral: true };
  },
});

export const pollAnswer = defineCommand({
  name: 'poll answer',
  description: 'Answer a poll with a score from 0 to 10',
  permission: 'member',
  options: {
    poll: pollId,
    score: opt.integer('0 = not at all likely, 10 = extremely likely', { min: 0, max: 10 }),
    comment: opt.text('Why? (optional)', { optional: true, max: 1000 }),
  },
  examples: ['/poll answer 2 9 Great community and fast answers'],
  async run(ctx, { poll, score, comment }) {
    const r = await answerPoll(ctx, ctx.community.id, poll, ctx.member.id, score, comment);
    const text = r.changed
      ? `Updated your answer to poll #${poll}: ${r.previous} → ${score}.`
      : `Thanks! You answered ${score} to poll #${poll}.`;
    if (comment) return { text: `${text} Your comment was saved.`, ephemeral: true };
    const ask = category(score) === 'promoter' ? 'What do you like most?' : category(score) === 'passive' ? 'What would make it a 10?' : 'What should we improve?';
    return { text: `${text} ${ask} Add a comment: /poll comment ${poll} <text>`, ephemeral: true, buttons: commentButton(poll) };
  },
});

export const pollComment = defineCommand({
  name: 'poll comment',
  description: 'Add a comment to your poll answer',
  permission: 'member',
  options: { poll: pollId, comment: opt.text('Your comment', { max: 1000 }) },
  async run(ctx, { poll, comment }) {
    await commentPoll(ctx, ctx.community.id, poll, ctx.member.id, comment);
    return { text: `Thanks for the comment on poll #${poll}!`, ephemeral: true };
  },
});

export const pollResultsCmd = defineCommand({
  name: 'poll results',
  description: 'NPS score, promoter/passive/detractor breakdown and comments',
  permission: 'moderator',
  readOnly: true,
  options: { poll: pollId, comments: opt.integer('How many recent comments to show (default 5)', { optional: true, min: 0, max: 25 }) },
  async run(ctx, { poll, comments }) {
    const r = await pollResults(ctx, ctx.community.id, poll);
    return { text: resultsText(r.poll, r.summary, r.responses, comments ?? 5, r.trend), ephemeral: true };
  },
});

export const pollList = defineCommand({
  name: 'poll list',
  description: 'Open and upcoming polls',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    const polls = await ctx.tx.poll.findMany({ where: { communityId: ctx.community.id, status: { in: ['open', 'scheduled'] } }, orderBy: { opensAt: 'asc' }, take: 20 });
    if (!polls.length) return { text: 'No open or scheduled polls.' };
    const answered = new Set((await ctx.tx.pollResponse.findMany({ where: { memberId: ctx.member.id, pollId: { in: polls.map((p) => p.id) } } })).map((r) => r.pollId));
    return {
      text: ['📊 **Polls**', ...polls.map((p) => p.status === 'open'
        ? `#${p.id} ${p.question}: open, closes in ${formatDuration(p.closesAt.getTime() - ctx.now.getTime())}${answered.has(p.id) ? ' · answered' : ''}`
        : `#${p.id} ${p.question}: opens ${formatDate(p.opensAt)}${p.repeat !== 'none' ? ` (${p.repeat})` : ''}`)].join('\n'),
    };
  },
});

export const pollClose = defineCommand({
  name: 'poll close',
  description: 'Close a poll now and post the results (stops a repeating poll)',
  permission: 'moderator',
  options: { poll: pollId },
  async run(ctx, { poll }) {
    const p = await getPoll(ctx, ctx.community.id, poll);
    if (p.status === 'closed') throw new UserError(`Poll #${p.id} is already closed.`);
    // Closing by hand stops the series: a moderator who wants it again creates a new one.
    await ctx.tx.poll.update({ where: { id: p.id }, data: { repeat: 'none' } });
    await closePoll(ctx, p.id);
    await ctx.unschedule('poll.close', p.id);
    return { text: `Poll #${p.id} closed.`, ephemeral: true };
  },
});
