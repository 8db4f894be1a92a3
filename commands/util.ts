import type { CommandContext } from '../src/core/context.js';
import { resolveMemberRef } from '../src/features/members/service.js';

/** The member a typed reference (mention, @name, id) points to, in this community and platform. */
export const memberArg = (ctx: CommandContext, ref: string) => resolveMemberRef(ctx, ctx.community.id, ctx.platform, ref);
