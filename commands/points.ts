import { defineCommand, opt } from '../src/core/command.js';
import { applyPoints } from '../src/services/ledger.js';
import { leaderboard, standingOf, periodLabel, type Period } from '../src/services/points.js';
import { parseTiers, tierFor } from '../src/services/members.js';
import { formatDate } from '../src/core/time.js';
import { UserError } from '../src/core/errors.js';
import { memberArg, plural } from './util.js';

export const points = defineCommand({
  name: 'points',
  description: 'Your points, tier and rank (or another member\'s)',
  permission: 'member',
  readOnly: true,
  options: { member: opt.user('Whose points to show', { optional: true }) },
  examples: ['/points', '/points @alex'],
  async run(ctx, { member }) {
    const m = member ? await memberArg(ctx, member) : ctx.member;
    const { tier, next } = tierFor(parseTiers(ctx.community.tiers), m.lifetimePoints);
    const s = await standingOf(ctx.tx, ctx.community.id, m.id, 'all', ctx.now);
    const who = m.id === ctx.member.id ? 'You have' : `${m.displayName} has`;
    const lines = [
      `${who} **${m.balance} points** to spend · ${m.lifetimePoints} earned in all · tier **${tier.name}**`,
      s.rank ? `Rank #${s.rank} of ${s.ranked}` : 'Not ranked yet: earn points in challenges, giveaways and referrals.',
    ];
    if (next) lines.push(`${next.minPoints - m.lifetimePoints} more to reach ${next.name}.`);
    return { text: lines.join('\n'), ephemeral: true };
  },
});

export const leaderboardCmd = defineCommand({
  name: 'leaderboard',
  description: 'Top members by points earned',
  permission: 'member',
  readOnly: true,
  options: {
    period: opt.choice('all, week or month', ['all', 'week', 'month'] as const, { optional: true }),
    size: opt.integer('How many to show (1-25)', { optional: true, min: 1, max: 25 }),
  },
  examples: ['/leaderboard', '/leaderboard week', '/leaderboard month 20'],
  async run(ctx, { period, size }) {
    const p: Period = period ?? 'all';
    const top = await leaderboard(ctx.tx, ctx.community.id, p, ctx.now, size ?? 10);
    const mine = await standingOf(ctx.tx, ctx.community.id, ctx.member.id, p, ctx.now);
    if (!top.length) return { text: `🏆 No points earned ${periodLabel(p)} yet.` };
    const medal = (r: number) => (r === 1 ? '🥇' : r === 2 ? '🥈' : r === 3 ? '🥉' : `${r}.`);
    const lines = [`🏆 **Leaderboard, ${periodLabel(p)}**`, ...top.map((s) => `${medal(s.rank)} ${s.displayName}: ${s.points}`)];
    lines.push(mine.rank ? `You: #${mine.rank} with ${mine.points}` : 'You are not on the board yet.');
    return { text: lines.join('\n') };
  },
});

export const history = defineCommand({
  name: 'history',
  description: 'Recent points changes (yours, or a member\'s for moderators)',
  permission: 'member',
  readOnly: true,
  options: { member: opt.user('Whose history (moderators)', { optional: true }) },
  async run(ctx, { member }) {
    let m = ctx.member;
    if (member) {
      if (ctx.role === 'member') throw new UserError('Only moderators can see other members\' history.');
      m = await memberArg(ctx, member);
    }
    const rows = await ctx.tx.ledgerEntry.findMany({ where: { memberId: m.id }, orderBy: { id: 'desc' }, take: 10 });
    if (!rows.length) return { text: `No points history for ${m.displayName} yet.`, ephemeral: true };
    const lines = [`**Points history: ${m.displayName}** (balance ${m.balance})`,
      ...rows.map((r) => `${formatDate(r.createdAt)}  ${r.delta > 0 ? '+' : ''}${r.delta}  ${r.reason}`)];
    return { text: lines.join('\n'), ephemeral: true };
  },
});

function adjust(kind: 'grant' | 'revoke') {
  return defineCommand({
    name: kind === 'grant' ? 'give' : 'take',
    description: kind === 'grant' ? 'Give points to a member' : 'Take points back from a member',
    permission: 'moderator',
    options: {
      member: opt.user('Who'),
      amount: opt.integer('How many points', { min: 1, max: 1_000_000 }),
      reason: opt.text('Why (shown in their history)', { optional: true, max: 200 }),
    },
    examples: [kind === 'grant' ? '/give @alex 50 Great answer in #help' : '/take @alex 20 Duplicate entry'],
    async run(ctx, { member, amount, reason }) {
      const m = await memberArg(ctx, member);
      const delta = kind === 'grant' ? amount : -amount;
      const why = reason ?? (kind === 'grant' ? 'Given by a moderator' : 'Taken back by a moderator');
      const r = await applyPoints(ctx, {
        communityId: ctx.community.id, memberId: m.id, delta, kind, reason: why, idempotencyKey: `${kind}:${ctx.eventKey}`, actorId: ctx.member.id,
      });
      return {
        text: kind === 'grant'
          ? `➕ Gave ${plural(amount, 'point')} to ${m.displayName} (${why}). New balance: ${r.balance}.`
          : `➖ Took ${plural(amount, 'point')} from ${m.displayName} (${why}). New balance: ${r.balance}.`,
      };
    },
  });
}

export const give = adjust('grant');
export const take = adjust('revoke');
