import { defineCommand, opt } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { formatDate, formatDuration } from '../src/core/time.js';
import { cancelContest, contestCard, createContest, endContest, enterContest, getContest, requirementsText, rerollContest } from '../src/services/contests.js';
import { memberArg, plural } from './util.js';
import { displayNames } from '../src/services/members.js';

const contestId = opt.id('Giveaway number');

export const contestCreate = defineCommand({
  name: 'contest create',
  description: 'Start a giveaway',
  permission: 'moderator',
  options: {
    prize: opt.string('The prize (quote it if it has spaces)', { max: 200 }),
    winners: opt.integer('Number of winners', { min: 1, max: 100 }),
    ends: opt.moment('When it ends: 1d, 6h, or 2026-12-24 18:00 (UTC)'),
    points: opt.integer('Points each winner also gets', { optional: true, min: 1, max: 1_000_000 }),
    min_points: opt.integer('Only members who earned at least this many points', { optional: true, min: 1, max: 10_000_000 }),
    min_days: opt.integer('Only members who joined at least this many days ago', { optional: true, min: 1, max: 3650 }),
  },
  examples: ['/contest create "Hoodie" 2 3d', '/contest create "Nitro" 1 2026-12-24 min_points:100'],
  async run(ctx, a) {
    const c = await createContest(ctx, {
      communityId: ctx.community.id, prize: a.prize, prizePoints: a.points ?? 0, winnersCount: a.winners, endsAt: a.ends,
      minPoints: a.min_points ?? 0, minMemberDays: a.min_days ?? 0, createdById: ctx.member.id, platform: ctx.platform, channelId: ctx.channelId,
    });
    return { text: `Giveaway #${c.id} for "${c.prize}" is live until ${formatDate(c.endsAt)}.`, ephemeral: true };
  },
});

export const contestEnter = defineCommand({
  name: 'contest enter',
  description: 'Enter a giveaway',
  permission: 'member',
  options: { contest: contestId },
  async run(ctx, { contest }) {
    const r = await enterContest(ctx, ctx.community.id, contest, ctx.member);
    return { text: `🎟️ You're in giveaway #${r.contest.id} for "${r.contest.prize}" (${plural(r.entries, 'entry', 'entries')} so far). Winners are drawn ${formatDate(r.contest.endsAt)}.`, ephemeral: true };
  },
});

export const contestList = defineCommand({
  name: 'contest list',
  description: 'Running giveaways',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    const open = await ctx.tx.contest.findMany({ where: { communityId: ctx.community.id, status: 'open' }, orderBy: { endsAt: 'asc' }, take: 20, include: { _count: { select: { entries: true } } } });
    if (!open.length) return { text: 'No giveaways running right now.' };
    const mine = new Set((await ctx.tx.contestEntry.findMany({ where: { memberId: ctx.member.id, contestId: { in: open.map((c) => c.id) } } })).map((e) => e.contestId));
    return {
      text: ['🎉 **Giveaways**', ...open.map((c) => `#${c.id} ${c.prize}: ${plural(c.winnersCount, 'winner')}, ends in ${formatDuration(c.endsAt.getTime() - ctx.now.getTime())}, ${plural(c._count.entries, 'entry', 'entries')}${mine.has(c.id) ? ' · you\'re in' : ''}. ${requirementsText(c)}`)].join('\n'),
    };
  },
});

export const contestShow = defineCommand({
  name: 'contest show',
  description: 'Details and winners of a giveaway',
  permission: 'member',
  readOnly: true,
  options: { contest: contestId },
  async run(ctx, { contest }) {
    const c = await getContest(ctx, ctx.community.id, contest);
    if (c.status === 'open') return { ...contestCard(c), ephemeral: true };
    const winners = await ctx.tx.contestWinner.findMany({ where: { contestId: c.id, replaced: false }, orderBy: [{ round: 'asc' }, { createdAt: 'asc' }] });
    const byId = await displayNames(ctx.tx, winners.map((w) => w.memberId));
    const names = winners.map((w) => byId.get(w.memberId));
    return { text: `Giveaway #${c.id} "${c.prize}" ${c.status}${names.length ? `. Winners: ${names.join(', ')}` : ''}.`, ephemeral: true };
  },
});

export const contestEnd = defineCommand({
  name: 'contest end',
  description: 'End a giveaway now and draw the winners',
  permission: 'moderator',
  options: { contest: contestId },
  async run(ctx, { contest }) {
    const c = await getContest(ctx, ctx.community.id, contest);
    if (c.status !== 'open') throw new UserError(`Giveaway #${c.id} is already ${c.status}.`);
    const r = await endContest(ctx, c.id);
    await ctx.unschedule('contest.end', c.id);
    return { text: r && r.winners.length ? `Giveaway #${c.id} ended. Winners: ${r.winners.join(', ')}.` : `Giveaway #${c.id} ended with no entries.`, ephemeral: true };
  },
});

export const contestReroll = defineCommand({
  name: 'contest reroll',
  description: 'Draw new winner(s) for an ended giveaway, optionally replacing one winner',
  permission: 'moderator',
  options: {
    contest: contestId,
    count: opt.integer('How many new winners (default 1)', { optional: true, min: 1, max: 100 }),
    replace: opt.user('A winner to replace (e.g. they did not claim the prize)', { optional: true }),
  },
  examples: ['/contest reroll 4', '/contest reroll 4 replace:@alex'],
  async run(ctx, { contest, count, replace }) {
    const replaced = replace ? await memberArg(ctx, replace) : undefined;
    const names = await rerollContest(ctx, ctx.community.id, contest, count ?? 1, replaced?.id);
    return { text: `🔁 New winner${names.length > 1 ? 's' : ''} for giveaway #${contest}: ${names.join(', ')}${replaced ? ` (replacing ${replaced.displayName})` : ''}.`, ephemeral: true };
  },
});

export const contestCancel = defineCommand({
  name: 'contest cancel',
  description: 'Cancel a running giveaway without drawing',
  permission: 'moderator',
  options: { contest: contestId },
  async run(ctx, { contest }) {
    const c = await cancelContest(ctx, ctx.community.id, contest);
    return { text: `Giveaway #${c.id} cancelled.`, ephemeral: true };
  },
});
