import { defineCommand, opt, usage } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { formatDate } from '../src/core/time.js';
import { roleRank, type Role } from '../src/core/types.js';
import { setRole } from '../src/services/members.js';
import { bindCommunity, createLinkCode, redeemLinkCode } from '../src/services/link.js';
import { memberArg } from './util.js';

export const role = defineCommand({
  name: 'role',
  description: 'Make a member a moderator or admin of the bot (or a member again)',
  permission: 'admin',
  options: { member: opt.user('Who'), role: opt.choice('member, moderator or admin', ['member', 'moderator', 'admin'] as const) },
  examples: ['/role @sam moderator'],
  async run(ctx, { member, role }) {
    const m = await memberArg(ctx, member);
    if (m.id === ctx.member.id && roleRank(role as Role) < roleRank(ctx.role)) throw new UserError('You cannot lower your own role.');
    await setRole(ctx.tx, m.id, role as Role);
    return { text: `${m.displayName} is now ${role === 'admin' ? 'an admin' : `a ${role}`}.` };
  },
});

export const settings = defineCommand({
  name: 'settings',
  description: 'Show or change community settings (referral rewards, name)',
  permission: 'admin',
  options: {
    referrer_reward: opt.integer('Points for the member who invites', { optional: true, min: 0, max: 100_000 }),
    referee_reward: opt.integer('Points for the new member', { optional: true, min: 0, max: 100_000 }),
    name: opt.string('Community name', { optional: true, max: 100 }),
  },
  examples: ['/settings referrer_reward:150 referee_reward:50'],
  async run(ctx, a) {
    const data = { ...(a.referrer_reward !== undefined ? { referrerReward: a.referrer_reward } : {}), ...(a.referee_reward !== undefined ? { refereeReward: a.referee_reward } : {}), ...(a.name ? { name: a.name } : {}) };
    const c = Object.keys(data).length ? await ctx.tx.community.update({ where: { id: ctx.community.id }, data }) : ctx.community;
    return { text: `**${c.name}** · referral rewards: ${c.referrerReward} points to the inviter, ${c.refereeReward} to the new member.`, ephemeral: true };
  },
});

export const link = defineCommand({
  name: 'link',
  description: 'Link your accounts on Discord, Slack and Telegram so they share points',
  permission: 'member',
  options: { code: opt.string('The code /link gave you on your other account', { optional: true, max: 20, pattern: /^[A-Za-z0-9]+$/, patternHint: 'is letters and digits only' }) },
  async run(ctx, { code }) {
    if (!code) {
      const c = await createLinkCode(ctx, 'member', ctx.community.id, ctx.member.id);
      return { text: `Your link code is **${c.code}** (valid until ${formatDate(c.expiresAt)}). On your other account, run /link ${c.code}.`, ephemeral: true };
    }
    const m = await redeemLinkCode(ctx, ctx.community.id, ctx.platform, ctx.inbound.actor.userId, ctx.member, code);
    return { text: `🔗 Linked: this ${ctx.platform} account now shares points with ${m.displayName} (balance ${m.balance}).`, ephemeral: true };
  },
});

export const communityBind = defineCommand({
  name: 'community bind',
  description: 'Connect this server/workspace/chat to a community on another platform',
  permission: 'admin',
  options: { code: opt.string('The code /community bind gave you on the other platform', { optional: true, max: 20, pattern: /^[A-Za-z0-9]+$/, patternHint: 'is letters and digits only' }) },
  async run(ctx, { code }) {
    if (!code) {
      const c = await createLinkCode(ctx, 'community', ctx.community.id, ctx.member.id);
      return { text: `Community code **${c.code}** (valid until ${formatDate(c.expiresAt)}). As an admin on the other platform, run /community bind ${c.code}.`, ephemeral: true };
    }
    const c = await bindCommunity(ctx, ctx.community.id, ctx.platform, ctx.inbound.communityKey, code);
    return { text: `This ${ctx.platform} space is now part of **${c.name}**: points, challenges and giveaways are shared. Members can connect their accounts with /link.`, ephemeral: true };
  },
});

export const help = defineCommand({
  name: 'help',
  description: 'What I can do',
  permission: 'member',
  readOnly: true,
  options: { command: opt.text('A command to explain, e.g. "contest create"', { optional: true, max: 50 }) },
  async run(ctx, { command }) {
    const mine = ctx.commands.filter((c) => roleRank(c.permission) <= roleRank(ctx.role));
    if (command) {
      const q = command.replace(/^\//, '').trim().toLowerCase();
      const matches = mine.filter((c) => c.name === q || c.name.startsWith(q + ' '));
      if (!matches.length) throw new UserError(`No command "${command}". Try /help.`);
      const lines: string[] = [];
      for (const c of matches) {
        lines.push(`**${usage(c)}**: ${c.description}`);
        for (const [n, o] of Object.entries(c.options)) lines.push(`  ${n}${o.required ? '' : ' (optional)'}: ${o.description}`);
        for (const e of c.examples ?? []) lines.push(`  e.g. ${e}`);
      }
      return { text: lines.join('\n'), ephemeral: true };
    }
    const section = (r: Role, title: string) => {
      const cs = mine.filter((c) => c.permission === r);
      return cs.length ? [`**${title}**`, ...cs.map((c) => `${usage(c)}: ${c.description}`)] : [];
    };
    return {
      text: [...section('member', 'Everyone'), ...section('moderator', 'Moderators'), ...section('admin', 'Admins'), 'Details: /help <command>'].join('\n'),
      ephemeral: true,
    };
  },
});
