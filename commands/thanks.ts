import { z } from 'zod';
import { defineCommand, opt, type OptionDef } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { allowanceOf, giveThanks, thanksRules, topThanked, updateThanksRules, type ThanksRulesChange } from '../src/features/thanks/service.js';
import { formReply, leftReply, rulesReply, thankedReply, topReply } from '../src/features/thanks/present.js';
import { REASON_MAX } from '../src/features/thanks/rules.js';
import { memberArg } from './util.js';

const POINTS_MAX = 1000;

/**
 * Points, optional in the middle of a typed line: "/thanks @mina 2 for the guide" or "/thanks @mina for the
 * guide". A number is checked like opt.integer; a word is handed on (as text) to become the reason's first word.
 */
const pointsOrWord: OptionDef<number | string | undefined> = {
  kind: 'integer', required: false, min: 1, max: POINTS_MAX,
  schema: z.union([z.number(), z.string()]).transform((v, ctx) => {
    const t = typeof v === 'string' ? v.trim() : v;
    if (typeof t === 'string' && !/^[+-]?\d+$/.test(t)) return t;
    const n = Number(t);
    if (!Number.isSafeInteger(n)) { ctx.addIssue({ code: 'custom', message: 'arg.integer' }); return z.NEVER; }
    if (n < 1) { ctx.addIssue({ code: 'custom', message: 'arg.min', params: { min: 1 } }); return z.NEVER; }
    if (n > POINTS_MAX) { ctx.addIssue({ code: 'custom', message: 'arg.max', params: { max: POINTS_MAX } }); return z.NEVER; }
    return n;
  }).optional(),
};

export const thanks = defineCommand({
  name: 'thanks',
  permission: 'member',
  // All optional so that "/thanks" alone opens the form; what is missing is refused below.
  options: {
    member: opt.user({ optional: true }),
    points: pointsOrWord,
    reason: opt.text({ optional: true, max: REASON_MAX + 20 }),
  },
  async run(ctx, { member, points, reason }) {
    if (member === undefined && points === undefined && reason === undefined) return formReply(ctx.lang);
    if (!member) throw new UserError('thanks:error.noMember', {}, 'member');
    let amount = 1;
    let why = reason ?? '';
    if (typeof points === 'number') amount = points;
    else if (typeof points === 'string') {
      // Only a typed line puts a word there; a form or slash option must be a number.
      if (typeof ctx.inbound.args !== 'string') throw new UserError('errors:arg.integer', { field: 'points' }, 'points');
      why = why ? `${points} ${why}` : points;
    }
    // Someone mentioned who has not spoken yet can be thanked; a typed name must be known.
    const receiver = await memberArg(ctx, member, { create: /^<@/.test(member.trim()) });
    if (!why.trim()) throw new UserError('thanks:error.noReason', { name: receiver.displayName }, 'reason');
    const done = await giveThanks(ctx, {
      community: ctx.community, giver: ctx.member, receiver, points: amount, reason: why, key: ctx.eventKey,
    });
    return thankedReply(ctx.lang, done);
  },
});

export const thanksLeft = defineCommand({
  name: 'thanks left',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    return leftReply(ctx.lang, await allowanceOf(ctx, ctx.community, ctx.member.id));
  },
});

export const thanksTop = defineCommand({
  name: 'thanks top',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    const { top, mine } = await topThanked(ctx, ctx.community, ctx.member.id, 10);
    return topReply(ctx.lang, top, mine);
  },
});

export const thanksSettings = defineCommand({
  name: 'thanks settings',
  permission: 'admin',
  options: {
    daily: opt.integer({ optional: true, min: 1, max: 1000 }),
    pair_weekly: opt.integer({ optional: true, min: 1, max: 100_000 }),
    max: opt.integer({ optional: true, min: 1, max: 1000 }),
  },
  async run(ctx, a) {
    const change: ThanksRulesChange = { daily: a.daily, pairWeekly: a.pair_weekly, max: a.max };
    const changing = Object.values(change).some((v) => v !== undefined);
    return rulesReply(ctx.lang, changing ? await updateThanksRules(ctx, ctx.community.id, change) : await thanksRules(ctx, ctx.community.id));
  },
});

/** In the order help lists them. */
export const thanksCommands = [thanks, thanksLeft, thanksTop, thanksSettings];
