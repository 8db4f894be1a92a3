import { defineCommand } from '../src/core/command.js';
import { createLink, LINK_MS } from '../src/features/dashboard/service.js';
import { linkReply } from '../src/features/dashboard/present.js';

/** A private, single-use sign-in link to the web dashboard of this community. */
export const dashboard = defineCommand({
  name: 'dashboard',
  permission: 'moderator',
  options: {},
  secretReply: true,
  async run(ctx) {
    const link = await createLink(ctx, ctx.community.id, ctx.member, ctx.role);
    return linkReply(ctx.lang, `${ctx.publicUrl}/auth/${link.token}`, LINK_MS / 60_000);
  },
});
