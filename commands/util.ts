import type { CommandContext } from '../src/core/context.js';
import type { Deps } from '../src/core/context.js';
import { resolveMemberRef } from '../src/services/members.js';

/** The member a typed reference (mention, @name, id) points to, in this community and platform. */
export const memberArg = (ctx: CommandContext, ref: string) => resolveMemberRef(ctx.tx, ctx.community.id, ctx.platform, ref, ctx.now);

/** Channel messages about things created here go back to this channel. */
export const here = (ctx: CommandContext) => ctx.channelId;

export const plural = (n: number, word: string, many = word + 's') => `${n} ${n === 1 ? word : many}`;

export const asDeps = (ctx: CommandContext): Deps => ctx;
