import { defineCommand, opt } from '../src/core/command.js';
import { bindCommunity, createLinkCode, redeemLinkCode } from '../src/features/link/service.js';
import { bindCodeReply, boundReply, linkCodeReply, linkedReply } from '../src/features/link/present.js';

const code = () => opt.string({ optional: true, max: 20, pattern: /^[A-Za-z0-9]+$/, patternCode: 'lettersDigits' });

export const link = defineCommand({
  name: 'link',
  permission: 'member',
  options: { code: code() },
  async run(ctx, { code }) {
    if (!code) return linkCodeReply(ctx.lang, await createLinkCode(ctx, 'member', ctx.community.id, ctx.member.id));
    const m = await redeemLinkCode(ctx, ctx.community.id, ctx.platform, ctx.inbound.actor.userId, ctx.member, code);
    return linkedReply(ctx.lang, ctx.platform, m);
  },
});

export const communityBind = defineCommand({
  name: 'community bind',
  permission: 'admin',
  options: { code: code() },
  async run(ctx, { code }) {
    if (!code) return bindCodeReply(ctx.lang, await createLinkCode(ctx, 'community', ctx.community.id, ctx.member.id));
    return boundReply(ctx.lang, ctx.platform, await bindCommunity(ctx, ctx.community.id, ctx.platform, ctx.inbound.communityKey, code));
  },
});
