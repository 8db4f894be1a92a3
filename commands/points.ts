import { defineCommand, opt } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { parseTiers, tierFor } from '../src/features/members/service.js';
import { applyPoints, ledgerReason, leaderboard, recentHistory, standingOf, type Board, type Period } from '../src/features/points/service.js';
import { adjustedReply, historyReply, leaderboardReply, pointsReply } from '../src/features/points/present.js';
import { streakOf } from '../src/features/activity/service.js';
import { getSeason } from '../src/features/seasons/service.js';
import { memberArg } from './util.js';

export const points = defineCommand({
  name: 'points',
  permission: 'member',
  readOnly: true,
  options: { member: opt.user({ optional: true }) },
  async run(ctx, { member }) {
    const m = member ? await memberArg(ctx, member) : ctx.member;
    const { tier, next } = tierFor(parseTiers(ctx.community.tiers), m.lifetimePoints);
    const standing = await standingOf(ctx, ctx.community.id, m.id, 'all', ctx.community.timezone);
    const streak = await streakOf(ctx, ctx.community.id, m.id, ctx.community.timezone);
    return pointsReply(ctx.lang, { ...m, self: m.id === ctx.member.id }, tier, next, standing, streak);
  },
});

export const leaderboardCmd = defineCommand({
  name: 'leaderboard',
  permission: 'member',
  readOnly: true,
  options: {
    period: opt.choice(['all', 'week', 'month'] as const, { optional: true }),
    size: opt.integer({ optional: true, min: 1, max: 25 }),
    season: opt.id({ optional: true }),
  },
  async run(ctx, { period, size, season }) {
    const p: Period = period ?? 'all';
    // A season's board when one is named (features/seasons), else the period's.
    const s = season ? await getSeason(ctx, ctx.community.id, season) : undefined;
    const board: Board = s ? `s:${s.id}` : p;
    const zone = ctx.community.timezone;
    const top = await leaderboard(ctx, ctx.community.id, board, zone, size ?? 10);
    const mine = await standingOf(ctx, ctx.community.id, ctx.member.id, board, zone);
    return leaderboardReply(ctx.lang, s ? { season: s.name } : p, top, mine);
  },
});

export const history = defineCommand({
  name: 'history',
  permission: 'member',
  readOnly: true,
  options: { member: opt.user({ optional: true }) },
  async run(ctx, { member }) {
    let m = ctx.member;
    if (member) {
      if (ctx.role === 'member') throw new UserError('points:error.otherHistory');
      m = await memberArg(ctx, member);
    }
    return historyReply(ctx.lang, m, await recentHistory(ctx, m.id));
  },
});

function adjust(kind: 'grant' | 'revoke') {
  return defineCommand({
    name: kind === 'grant' ? 'give' : 'take',
    permission: 'moderator',
    options: {
      member: opt.user(),
      amount: opt.integer({ min: 1, max: 1_000_000 }),
      reason: opt.text({ optional: true, max: 200 }),
    },
    async run(ctx, { member, amount, reason }) {
      // Points can be given to someone before they ever speak; taking needs a balance to take from.
      const m = await memberArg(ctx, member, { create: kind === 'grant' });
      const why = reason ?? ledgerReason(kind);
      const r = await applyPoints(ctx, {
        communityId: ctx.community.id, memberId: m.id, delta: kind === 'grant' ? amount : -amount, kind, reason: why,
        idempotencyKey: `${kind}:${ctx.eventKey}`, actorId: ctx.member.id,
      });
      return adjustedReply(ctx.lang, kind, amount, m.displayName, why, r.balance);
    },
  });
}

export const give = adjust('grant');
export const take = adjust('revoke');
