import common from './common.js';
import errors from './errors.js';
import members from './members.js';
import points from './points.js';
import challenges from './challenges.js';
import contests from './contests.js';
import polls from './polls.js';
import referrals from './referrals.js';
import rewards from './rewards.js';
import community from './community.js';
import help from './help.js';
import adapters from './adapters.js';
import discord from './discord.js';
import slack from './slack.js';
import telegram from './telegram.js';
import consoleTexts from './console.js';

const features = { members, points, challenges, contests, polls, referrals, rewards, community, help };

/**
 * One namespace per feature; `commands` gathers every feature's command texts (descriptions, option help,
 * examples) under the command's name, which is where /help and the adapters look them up.
 */
export default {
  common,
  errors,
  adapters,
  discord,
  slack,
  telegram,
  console: consoleTexts,
  ...features,
  commands: Object.assign({}, ...Object.values(features).map((f) => ('commands' in f ? f.commands : {}))) as Record<string, unknown>,
};
