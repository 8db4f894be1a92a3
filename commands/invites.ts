import { defineCommand, opt } from '../src/core/command.js';
import { inviteLeaderboard, inviteStats } from '../src/features/presence/service.js';
import { inviteBoardReply, inviteStatsReply } from '../src/features/presence/present.js';
import { memberArg } from './util.js';

/** Discord invite attribution: who brought how many members in (src/features/presence). */
export const invitesShow = defineCommand({
  name: 'invites show',
  permission: 'member',
  readOnly: true,
  options: { member: opt.user({ optional: true }) },
  async run(ctx, { member }) {
    const m = member ? await memberArg(ctx, member) : ctx.member;
    const stats = await inviteStats(ctx, ctx.community.id, m.id);
    return inviteStatsReply(ctx.lang, { name: m.displayName, self: m.id === ctx.member.id }, stats);
  },
});

export const invitesTop = defineCommand({
  name: 'invites top',
  permission: 'member',
  readOnly: true,
  options: { size: opt.integer({ optional: true, min: 1, max: 25 }) },
  async run(ctx, { size }) {
    return inviteBoardReply(ctx.lang, await inviteLeaderboard(ctx, ctx.community.id, size ?? 10));
  },
});

/** A group (`/invites show`, `/invites top`): a top-level name is one command or a group, never both. */
export const inviteCommands = [invitesShow, invitesTop];
