import type { CommandContext } from '../src/core/context.js';
import { resolveMemberRef } from '../src/services/members.js';

/** The member a typed reference (mention, @name, id) points to, in this community and platform. */
export const memberArg = (ctx: CommandContext, ref: string) => resolveMemberRef(ctx.tx, ctx.community.id, ctx.platform, ref, ctx.now);

export const plural = (n: number, word: string, many = word + 's') => `${n} ${n === 1 ? word : many}`;
