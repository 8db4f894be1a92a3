import { defineCommand, opt, type CommandDef } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { addTier, editTier, listTiers, removeTier, type AccessChange } from '../src/features/tiers/service.js';
import { changedReply, listReply } from '../src/features/tiers/present.js';

/** "none", "off" or "-" takes an access away (in /tier edit). */
const CLEAR = /^(none|off|-)$/i;

/**
 * A typed access target, as an id: a Discord role mention <@&123> or id, a Telegram group/channel id
 * (-100123), a Slack user group (S0123, or <!subteam^S0123|@name>) or private channel (C0123/G0123, or <#C0123|name>).
 */
const FORMS = {
  discord_role: [/^<@&(\d{5,25})>$|^(\d{5,25})$/, 'discordRole'],
  telegram_chat: [/^(-\d{5,20})$/, 'telegramChat'],
  slack_usergroup: [/^<!subteam\^(S[A-Z0-9]{2,20})(?:\|[^>]*)?>$|^(S[A-Z0-9]{2,20})$/, 'slackUsergroup'],
  slack_channel: [/^<#([CG][A-Z0-9]{2,20})(?:\|[^>]*)?>$|^([CG][A-Z0-9]{2,20})$/, 'slackChannel'],
} as const;
type AccessOption = keyof typeof FORMS;

function accessArgs(a: Partial<Record<AccessOption, string>>, allowClear: boolean): AccessChange {
  const out: AccessChange = {};
  for (const [option, [pattern, field]] of Object.entries(FORMS) as [AccessOption, (typeof FORMS)[AccessOption]][]) {
    const value = a[option]?.trim();
    if (value === undefined) continue;
    if (allowClear && CLEAR.test(value)) { out[field] = null; continue; }
    const m = pattern.exec(value);
    if (!m) throw new UserError(`tiers:error.bad.${field}`, { value }, option);
    out[field] = m[1] ?? m[2];
  }
  return out;
}

const accessOptions = {
  discord_role: opt.string({ optional: true, max: 40 }),
  telegram_chat: opt.string({ optional: true, max: 30 }),
  slack_usergroup: opt.string({ optional: true, max: 60 }),
  slack_channel: opt.string({ optional: true, max: 60 }),
};

const tierName = opt.string({ max: 40 });
const threshold = (o: { optional?: boolean } = {}) => opt.integer({ ...o, min: 0, max: 100_000_000 });

export const tierList = defineCommand({
  name: 'tier list',
  permission: 'member',
  readOnly: true,
  options: {},
  async run(ctx) {
    return listReply(ctx.lang, await listTiers(ctx, ctx.community.id), ctx.member.lifetimePoints);
  },
});

export const tierAdd = defineCommand({
  name: 'tier add',
  permission: 'admin',
  options: { name: tierName, points: threshold(), ...accessOptions },
  async run(ctx, a) {
    const tiers = await addTier(ctx, ctx.community.id, { name: a.name, minPoints: a.points, access: accessArgs(a, false) });
    return changedReply(ctx.lang, 'added', a.name, tiers);
  },
});

export const tierEdit = defineCommand({
  name: 'tier edit',
  permission: 'admin',
  options: { name: tierName, new_name: opt.string({ optional: true, max: 40 }), points: threshold({ optional: true }), ...accessOptions },
  async run(ctx, a) {
    const access = accessArgs(a, true);
    if (a.new_name === undefined && a.points === undefined && !Object.keys(access).length) throw new UserError('tiers:error.nothingToChange', {}, 'points');
    const tiers = await editTier(ctx, ctx.community.id, a.name, { name: a.new_name, minPoints: a.points, access });
    return changedReply(ctx.lang, 'edited', a.new_name ?? a.name, tiers);
  },
});

export const tierRemove = defineCommand({
  name: 'tier remove',
  permission: 'admin',
  options: { name: tierName },
  async run(ctx, a) {
    return changedReply(ctx.lang, 'removed', a.name, await removeTier(ctx, ctx.community.id, a.name));
  },
});

export const tierCommands: CommandDef[] = [tierList, tierAdd, tierEdit, tierRemove] as unknown as CommandDef[];
