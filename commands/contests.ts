import { defineCommand, opt } from '../src/core/command.js';
import { inChannel } from '../src/core/preconditions.js';
import {
  cancelContest, claimPrize, contestDetails, createContest, endContestNow, enterContest, openContests, rerollContest, verifyDraw,
} from '../src/features/contests/service.js';
import {
  cancelledReply, claimedReply, createdReply, endedReply, enteredReply, listReply, rerolledReply, showReply, verifyReply,
} from '../src/features/contests/present.js';
import { memberArg } from './util.js';

const contestId = opt.id();

export const contestCreate = defineCommand({
  name: 'contest create',
  permission: 'moderator',
  preconditions: [inChannel],
  options: {
    prize: opt.string({ max: 200 }),
    winners: opt.integer({ min: 1, max: 100 }),
    ends: opt.moment(),
    points: opt.integer({ optional: true, min: 1, max: 1_000_000 }),
    min_points: opt.integer({ optional: true, min: 1, max: 10_000_000 }),
    min_days: opt.integer({ optional: true, min: 1, max: 3650 }),
    bonus: opt.string({ optional: true, max: 500 }),
    role: opt.string({ optional: true, max: 500 }),
    tier: opt.string({ optional: true, max: 50 }),
    claim: opt.integer({ optional: true, min: 0, max: 720 }),
  },
  async run(ctx, a) {
    const c = await createContest(ctx, {
      communityId: ctx.community.id, prize: a.prize, prizePoints: a.points ?? 0, winnersCount: a.winners, endsAt: a.ends,
      minPoints: a.min_points ?? 0, minMemberDays: a.min_days ?? 0, createdById: ctx.member.id, platform: ctx.platform, address: ctx.address,
      externalId: ctx.inbound.communityKey, bonus: a.bonus, roles: a.role, tier: a.tier, claimHours: a.claim ?? 0,
    });
    return createdReply(ctx.lang, c);
  },
});

export const contestEnter = defineCommand({
  name: 'contest enter',
  permission: 'member',
  options: { contest: contestId },
  async run(ctx, { contest }) {
    const from = { platform: ctx.platform, ...(ctx.inbound.actor.roles ? { roles: ctx.inbound.actor.roles } : {}) };
    return enteredReply(ctx.lang, await enterContest(ctx, ctx.community.id, contest, ctx.member, from));
  },
});

export const contestList = defineCommand({
  name: 'contest list',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    return listReply(ctx.lang, await openContests(ctx, ctx.community.id, ctx.member.id), ctx.now, ctx.platform);
  },
});

export const contestShow = defineCommand({
  name: 'contest show',
  permission: 'member',
  readOnly: true,
  options: { contest: contestId },
  async run(ctx, { contest }) {
    const d = await contestDetails(ctx, ctx.community.id, contest, ctx.member.id);
    return showReply(ctx.lang, { ...d, platform: ctx.platform });
  },
});

export const contestClaim = defineCommand({
  name: 'contest claim',
  permission: 'member',
  options: { contest: contestId },
  async run(ctx, { contest }) {
    return claimedReply(ctx.lang, await claimPrize(ctx, ctx.community.id, contest, ctx.member.id));
  },
});

export const contestVerify = defineCommand({
  name: 'contest verify',
  permission: 'member',
  readOnly: true,
  options: { contest: contestId },
  async run(ctx, { contest }) {
    const { record, check, mine } = await verifyDraw(ctx, ctx.community.id, contest, ctx.member.id);
    const url = `${ctx.publicUrl}/giveaways/${encodeURIComponent(ctx.community.id)}/${contest}/draw.json`;
    return verifyReply(ctx.lang, record, check, url, mine);
  },
});

export const contestEnd = defineCommand({
  name: 'contest end',
  permission: 'moderator',
  options: { contest: contestId },
  async run(ctx, { contest }) {
    return endedReply(ctx.lang, await endContestNow(ctx, ctx.community.id, contest));
  },
});

export const contestReroll = defineCommand({
  name: 'contest reroll',
  permission: 'moderator',
  options: {
    contest: contestId,
    count: opt.integer({ optional: true, min: 1, max: 100 }),
    replace: opt.user({ optional: true }),
  },
  async run(ctx, { contest, count, replace }) {
    const replaced = replace ? await memberArg(ctx, replace) : undefined;
    const winners = await rerollContest(ctx, ctx.community.id, contest, count ?? 1, replaced?.id);
    return rerolledReply(ctx.lang, contest, winners, replaced?.displayName);
  },
});

export const contestCancel = defineCommand({
  name: 'contest cancel',
  permission: 'moderator',
  options: { contest: contestId },
  async run(ctx, { contest }) {
    return cancelledReply(ctx.lang, await cancelContest(ctx, ctx.community.id, contest));
  },
});
