import { defineCommand } from '../src/core/command.js';
import { inChannel } from '../src/core/preconditions.js';
import { setAnnounceChannel } from '../src/features/community/service.js';
import { announceHereReply } from '../src/features/community/present.js';

/** `/announce here`: community-wide announcements (giveaways started elsewhere) on this platform go to this channel. */
export const announceHere = defineCommand({
  name: 'announce here',
  permission: 'admin',
  preconditions: [inChannel],
  options: {},
  async run(ctx) {
    return announceHereReply(ctx.lang, await setAnnounceChannel(ctx, ctx.community.id, ctx.platform, ctx.inbound.communityKey, ctx.address!));
  },
});
