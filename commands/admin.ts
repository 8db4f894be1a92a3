import { defineCommand, opt } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { LOCALES, ROLES, roleRank } from '../src/core/types.js';
import { changeRole, updateSettings } from '../src/features/community/service.js';
import { roleReply, settingsReply } from '../src/features/community/present.js';
import { commandHelp, overviewHelp } from '../src/features/help/present.js';
import { memberArg } from './util.js';
import { lang, readerLocale } from '../src/i18n/index.js';

export const role = defineCommand({
  name: 'role',
  permission: 'admin',
  options: { member: opt.user(), role: opt.choice(ROLES) },
  async run(ctx, { member, role }) {
    const m = await memberArg(ctx, member);
    return roleReply(ctx.lang, await changeRole(ctx, { id: ctx.member.id, role: ctx.role }, m, role));
  },
});

export const settings = defineCommand({
  name: 'settings',
  permission: 'admin',
  options: {
    referrer_reward: opt.integer({ optional: true, min: 0, max: 100_000 }),
    referee_reward: opt.integer({ optional: true, min: 0, max: 100_000 }),
    name: opt.string({ optional: true, max: 100 }),
    locale: opt.choice(LOCALES, { optional: true }),
    timezone: opt.string({ optional: true, max: 64 }),
  },
  async run(ctx, a) {
    const c = await updateSettings(ctx, ctx.community.id, {
      referrerReward: a.referrer_reward, refereeReward: a.referee_reward, name: a.name, locale: a.locale, timezone: a.timezone,
    });
    // Answer in the language and zone just chosen (unless the admin's platform names their own language).
    return settingsReply(lang(readerLocale(ctx.inbound.actor.locale, ctx.member.locale, c.locale), c.timezone, ctx.now), c);
  },
});

export const help = defineCommand({
  name: 'help',
  permission: 'member',
  readOnly: true,
  options: { command: opt.text({ optional: true, max: 50 }) },
  async run(ctx, { command }) {
    if (!command) return overviewHelp(ctx.lang, ctx.commands, { role: ctx.role, platform: ctx.platform, address: ctx.address });
    const mine = ctx.commands.filter((c) => roleRank(c.permission) <= roleRank(ctx.role));
    const reply = commandHelp(ctx.lang, mine, command);
    if (!reply) throw new UserError('help:unknown', { command }, 'command');
    return reply;
  },
});
