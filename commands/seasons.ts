import { defineCommand, opt, type CommandDef } from '../src/core/command.js';
import { inChannel } from '../src/core/preconditions.js';
import { announceSeasonHere, cancelSeason, createSeason, listSeasons, seasonDetails } from '../src/features/seasons/service.js';
import { parsePrizes } from '../src/features/seasons/prizes.js';
import { cancelledReply, createdReply, hereReply, listReply, showReply } from '../src/features/seasons/present.js';

const seasonId = opt.id();

export const seasonStart = defineCommand({
  name: 'season start',
  permission: 'admin',
  preconditions: [inChannel],
  options: {
    name: opt.string({ max: 100 }),
    end: opt.moment(),
    start: opt.moment({ optional: true }),
    prizes: opt.string({ optional: true, max: 300 }),
  },
  async run(ctx, a) {
    const season = await createSeason(ctx, {
      communityId: ctx.community.id, name: a.name, startsAt: a.start ?? ctx.now, endsAt: a.end,
      prizes: a.prizes ? parsePrizes(a.prizes) : [], platform: ctx.platform, address: ctx.address,
    });
    return createdReply(ctx.lang, season);
  },
});

export const seasonList = defineCommand({
  name: 'season list',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    return listReply(ctx.lang, await listSeasons(ctx, ctx.community.id));
  },
});

export const seasonShow = defineCommand({
  name: 'season show',
  permission: 'member',
  readOnly: true,
  options: { season: opt.id({ optional: true }) },
  async run(ctx, { season }) {
    return showReply(ctx.lang, await seasonDetails(ctx, ctx.community.id, ctx.member.id, season));
  },
});

export const seasonCancel = defineCommand({
  name: 'season cancel',
  permission: 'admin',
  options: { season: seasonId },
  async run(ctx, { season }) {
    return cancelledReply(ctx.lang, await cancelSeason(ctx, ctx.community.id, season));
  },
});

export const seasonHere = defineCommand({
  name: 'season here',
  permission: 'admin',
  preconditions: [inChannel],
  options: { season: seasonId },
  async run(ctx, { season }) {
    // inChannel holds: the address is a channel.
    return hereReply(ctx.lang, await announceSeasonHere(ctx, ctx.community.id, season, { platform: ctx.platform, address: ctx.address! }));
  },
});

export const seasonCommands = [seasonShow, seasonList, seasonStart, seasonCancel, seasonHere] as unknown as CommandDef[];
