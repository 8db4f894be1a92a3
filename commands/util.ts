import type { CommandContext } from '../src/core/context.js';
import { resolveMemberRef } from '../src/features/members/service.js';

/**
 * The member a typed reference (mention, @name, id) points to, in this community and platform. Someone
 * the bot has not met is refused, unless `create` (a command that gives them something) makes them a member.
 */
export const memberArg = (ctx: CommandContext, ref: string, opts: { create?: boolean } = {}) =>
  resolveMemberRef(ctx, ctx.community.id, ctx.platform, ref, opts);
