import type { CommandDef } from '../src/core/command.js';
import { help, role, settings } from './admin.js';
import { link, communityBind } from './link.js';
import { points, leaderboardCmd, history, give, take } from './points.js';
import { challengeCreate, challengeList, challengeShow, challengeSubmit, challengeReview, challengeApprove, challengeReject, challengeClose } from './challenges.js';
import { contestCreate, contestEnter, contestList, contestShow, contestEnd, contestReroll, contestCancel, contestClaim, contestVerify } from './contests.js';
import { announceHere } from './announce.js';
import { referralCode, referralRedeem, referralSettings } from './referrals.js';
import { pollCreate, pollAnswer, pollComment, pollResultsCmd, pollList, pollClose, pollVote, pollReportCmd } from './polls.js';
import { activitySettings, activityReverse } from './activity.js';
import { tierCommands } from './tiers.js';
import { inviteCommands } from './invites.js';
import { seasonCommands } from './seasons.js';
import { thanksCommands } from './thanks.js';
import { dashboard } from './dashboard.js';
import { rewardsList, rewardAdd, rewardRemove, redeem, redemptions, redemptionFulfill, redemptionRefund } from './rewards.js';

/** Every command, in the order help lists them. Adapters register these on each platform. */
export const allCommands = [
  help, points, leaderboardCmd, history, give, take,
  challengeList, challengeShow, challengeSubmit, challengeCreate, challengeReview, challengeApprove, challengeReject, challengeClose,
  contestList, contestShow, contestEnter, contestClaim, contestVerify, contestCreate, contestEnd, contestReroll, contestCancel,
  referralCode, referralRedeem, referralSettings,
  pollList, pollAnswer, pollVote, pollComment, pollCreate, pollResultsCmd, pollReportCmd, pollClose,
  rewardsList, redeem, rewardAdd, rewardRemove, redemptions, redemptionFulfill, redemptionRefund,
  link, communityBind, announceHere, role, settings, activitySettings, activityReverse, dashboard,
  ...tierCommands, ...inviteCommands, ...seasonCommands, ...thanksCommands,
] as unknown as CommandDef[];
