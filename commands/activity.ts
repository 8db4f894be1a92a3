import { defineCommand, opt } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { activityRules, reverseActivity, updateRules, type RulesChange } from '../src/features/activity/service.js';
import { channelRef } from '../src/features/activity/rules.js';
import { reversedReply, rulesReply } from '../src/features/activity/present.js';
import { memberArg } from './util.js';

/** "1.5" -> 1.5, for a factor from 0 to 10. */
function factorArg(value: string, field: string): number {
  const f = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(f >= 0 && f <= 10)) throw new UserError('activity:error.factor', { value }, field);
  return f;
}

export const activitySettings = defineCommand({
  name: 'activity settings',
  permission: 'admin',
  options: {
    cooldown: opt.integer({ optional: true, min: 0, max: 86_400 }),
    points_min: opt.integer({ optional: true, min: 0, max: 1000 }),
    points_max: opt.integer({ optional: true, min: 0, max: 1000 }),
    min_length: opt.integer({ optional: true, min: 0, max: 4000 }),
    daily_cap: opt.integer({ optional: true, min: 0, max: 1_000_000 }),
    reaction_points: opt.integer({ optional: true, min: 0, max: 1000 }),
    voice_points: opt.integer({ optional: true, min: 0, max: 1000 }),
    streak_bonus: opt.integer({ optional: true, min: 0, max: 100_000 }),
    streak_days: opt.integer({ optional: true, min: 2, max: 365 }),
    channel: opt.string({ optional: true, max: 100 }),
    factor: opt.string({ optional: true, max: 10 }),
    bonus_start: opt.moment({ optional: true }),
    bonus_end: opt.moment({ optional: true }),
    bonus_factor: opt.string({ optional: true, max: 10 }),
    clear: opt.choice(['bonus', 'channels'] as const, { optional: true }),
  },
  async run(ctx, a) {
    const change: RulesChange = {
      cooldownSec: a.cooldown, minPoints: a.points_min, maxPoints: a.points_max, minLength: a.min_length, dailyCap: a.daily_cap,
      reactionPoints: a.reaction_points, voicePerMinute: a.voice_points, streakBonus: a.streak_bonus, streakDays: a.streak_days, clear: a.clear,
    };
    if ((a.channel === undefined) !== (a.factor === undefined)) throw new UserError('activity:error.channelFactor', {}, a.channel === undefined ? 'channel' : 'factor');
    if (a.channel !== undefined) change.channel = { id: channelRef(a.channel), factor: factorArg(a.factor!, 'factor') };
    if ((a.bonus_start === undefined) !== (a.bonus_end === undefined)) throw new UserError('activity:error.bonusBoth', {}, a.bonus_start === undefined ? 'bonus_start' : 'bonus_end');
    if (a.bonus_start && a.bonus_end) change.bonus = { start: a.bonus_start, end: a.bonus_end, multiplier: a.bonus_factor === undefined ? 2 : factorArg(a.bonus_factor, 'bonus_factor') };
    const changing = Object.values(change).some((v) => v !== undefined);
    const rules = changing ? await updateRules(ctx, ctx.community.id, change) : await activityRules(ctx, ctx.community.id);
    return rulesReply(ctx.lang, rules, ctx.now);
  },
});

export const activityReverse = defineCommand({
  name: 'activity reverse',
  permission: 'moderator',
  options: { member: opt.user(), from: opt.moment(), to: opt.moment() },
  async run(ctx, { member, from, to }) {
    const m = await memberArg(ctx, member);
    return reversedReply(ctx.lang, m.displayName, await reverseActivity(ctx, ctx.community.id, m.id, from, to, ctx.member.id));
  },
});
