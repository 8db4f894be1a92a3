import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { openDatabase, transaction, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import type { Address, Reply, Select } from '../src/core/types.js';
import { defineCommand, opt, type CommandDef } from '../src/core/command.js';
import { pollVote } from '../commands/polls.js';
import { txScope } from '../src/infra/jobs.js';
import type { Scope } from '../src/core/scope.js';
import type { NoticeRenderers } from '../src/features/notices.js';
import type { SendMeta } from '../src/infra/outbox.js';
import { allCommands } from '../commands/index.js';
import { Clock, freshSqlite, seeded } from './helpers.js';
import { PG_ADMIN_URL, twoInstances } from './pg.js';
import { DiscordAdapter } from '../adapters/discord/index.js';
import { decodeCustomId, encodeSelect, messageBody } from '../adapters/discord/render.js';
import { buildSlashCommands, coreCommandName } from '../adapters/discord/commands.js';
import { PermissionFlagsBits } from 'discord.js';
import {
  FakeDiscord, PERMS, buttonPress, chatInput, dispatch, fakeToken, guildCreate, guildMessage, modalSubmit, reactionAdd, reactionRemove, ready, selectChoice,
  type Member, type Who,
} from './fakes/discord.js';

/*
 * Issue 11's native controls on Discord, through discord.js against the fake REST API and raw gateway
 * payloads: select menus, message ids and edits, reactions out and in, and the member's roles.
 */

const GUILD = '1000000000000000001';
const CHANNEL = '1200000000000000001';
const EPHEMERAL = 64;
const VIP = '3100000000000000001';

const alice: Who = { id: '2000000000000000001', username: 'alice', permissions: PERMS.manageGuild };
const bob: Member = { id: '2000000000000000002', username: 'bob', permissions: PERMS.member, roles: [VIP] };
const carol: Member = { id: '2000000000000000003', username: 'carol', permissions: PERMS.member };
const channel: Address = { kind: 'channel', channelId: CHANNEL };

/** What the probe commands saw: the arguments and the actor's roles. */
let seen: { command: string; args: Record<string, unknown>; user: string; roles?: string[] }[];

const pollSelect = (options = 3): Select => ({
  placeholder: 'Pick up to two',
  command: 'probe pick',
  args: { poll: 7 },
  name: 'choice',
  options: Array.from({ length: options }, (_, i) => ({ label: `Option ${i + 1}`, value: String(i + 1), ...(i === 0 ? { emoji: '🍕' } : {}) })),
  min: 1,
  max: 2,
  fallback: [Array.from({ length: Math.min(options, 5) }, (_, i) => ({ label: `Option ${i + 1}`, command: 'probe pick', args: { poll: 7, choice: String(i + 1) } }))],
});

const probes = [
  defineCommand({
    name: 'probe pick', permission: 'member',
    options: { poll: opt.id(), choice: opt.string({ max: 200 }) },
    async run(ctx, a) {
      seen.push({ command: 'probe pick', args: { ...a }, user: ctx.inbound.actor.userId, roles: ctx.inbound.actor.roles });
      return { text: `Picked ${a.choice}`, ephemeral: true };
    },
  }),
  defineCommand({
    name: 'probe card', permission: 'member', options: {},
    async run() {
      return { text: 'Lunch?', selects: [pollSelect()], buttons: [[{ label: 'Results', command: 'probe pick', args: { poll: 7, choice: 'results' } }]], reactions: ['👍', '👎'] };
    },
  }),
  defineCommand({
    name: 'probe note', permission: 'member', options: { body: opt.text({ max: 100 }) },
    async run(ctx, a) {
      seen.push({ command: 'probe note', args: { ...a }, user: ctx.inbound.actor.userId, roles: ctx.inbound.actor.roles });
      return { text: 'Noted', ephemeral: true };
    },
  }),
  // Stands in for the poll feature's `poll vote` (engine.reaction runs it for a reaction on a poll card).
  defineCommand({
    name: 'poll vote', permission: 'member',
    // The real command's options, so the stand-in reads its arguments the same way.
    options: pollVote.options,
    async run(ctx, a) {
      seen.push({ command: 'poll vote', args: { ...a }, user: ctx.inbound.actor.userId, roles: ctx.inbound.actor.roles });
      if (a.option === '🚫') return { text: 'That poll is closed.', error: { code: 'polls:error.closed' }, ephemeral: true };
      return { text: 'Voted', ephemeral: true };
    },
  }),
] as unknown as CommandDef[];

/** Notices carry a finished reply here, so the outbox path is tested without any feature's wording. */
const renderers = { 'test.card': (_L: unknown, n: { reply: Reply }) => n.reply } as unknown as NoticeRenderers;

let fake: FakeDiscord;
let db: Database;
let engine: Engine;
let adapter: DiscordAdapter;
let cleanup: () => void;
let errors: unknown[];
let logs: string[];
let clock: Clock;

const where = () => ({ applicationId: fake.applicationId, channelId: CHANNEL });

async function interact<T extends { id: string; token: string; channel_id?: string }>(d: T): Promise<T> {
  if (d.channel_id) fake.tokenChannels.set(d.token, d.channel_id);
  dispatch(adapter.client, 'INTERACTION_CREATE', d);
  await adapter.idle();
  return d;
}

const only = (d: { id: string; token: string }) => {
  const c = fake.find('POST', `/interactions/${d.id}/${d.token}/callback`);
  expect(c).toHaveLength(1);
  return c[0].body as { type: number; data: any };
};

async function gateway(t: string, d: unknown) {
  dispatch(adapter.client, t, d);
  await adapter.idle();
}

/** The gateway as after connecting: READY and the server with its members (bob holds the VIP role). */
function connect() {
  dispatch(adapter.client, 'READY', ready(fake.applicationId, [GUILD]));
  const g = guildCreate({ id: GUILD, name: 'Acme', textChannelId: CHANNEL, voiceChannelIds: [], members: [alice, bob, carol] });
  g.roles.push({ ...g.roles[0], id: VIP, name: 'VIP', position: 9 });
  return gateway('GUILD_CREATE', g);
}

const port = () => ({
  send: (to: Address, r: Reply, meta: SendMeta) => adapter.send(to, r, meta),
  edit: (to: Address, id: string, r: Reply, meta: SendMeta) => adapter.edit(to, id, r, meta),
});
const deliver = () => engine.deliverOutbox('discord', port());

const inTx = <T>(fn: (s: Scope) => Promise<T>) =>
  transaction(db.prisma, (tx) => fn(txScope(tx, engine.now(), () => 0)), { maxWait: 5_000, timeout: 10_000 });

async function communityId(): Promise<string> {
  await interact(chatInput(carol, where(), 'points'));
  return (await db.prisma.communityBinding.findFirstOrThrow({ where: { platform: 'discord', externalId: GUILD } })).communityId;
}

beforeEach(async () => {
  fake = await new FakeDiscord().start();
  const s = await freshSqlite();
  cleanup = s.cleanup;
  db = await openDatabase(s.url);
  errors = [];
  logs = [];
  seen = [];
  const names = new Set(probes.map((c) => c.name));
  engine = new Engine(db, {
    commands: [...allCommands.filter((c) => !names.has(c.name)), ...probes],
    notices: renderers, now: (clock = new Clock(new Date().toISOString())).now, random: seeded(), onError: (e) => errors.push(e),
  });
  adapter = new DiscordAdapter(engine, { token: fakeToken(fake), applicationId: fake.applicationId, apiBase: fake.api, log: (m) => logs.push(m) });
});

afterEach(async () => {
  await adapter.stop();
  await engine.flush();
  await db.close();
  cleanup();
  await fake.stop();
  expect(errors).toEqual([]);
  expect(fake.refusals).toEqual([]);
  expect(logs.filter((l) => l.includes('failed'))).toEqual([]);
});

describe('registration of the new commands', () => {
  it('registers poll vote, contest claim/verify, announce here and thanks (as /thanks send) within Discord\'s rules', () => {
    const groups = new Map<string, CommandDef[]>();
    for (const c of allCommands) groups.set(c.name.split(' ')[0], [...(groups.get(c.name.split(' ')[0]) ?? []), c]);
    const body = buildSlashCommands(groups) as any[];
    const by = new Map(body.map((c) => [c.name, c]));
    const subs = (top: string) => by.get(top).options.map((o: any) => o.name);
    expect(subs('poll')).toEqual(expect.arrayContaining(['vote', 'create', 'close']));
    // poll vote: `via` is optional and only ever "reaction" (engine.reaction sets it; members leave it empty).
    const vote = by.get('poll').options.find((o: any) => o.name === 'vote');
    expect(vote.options.map((o: any) => [o.name, o.type, o.required])).toEqual([['poll', 4, true], ['option', 3, true], ['mode', 3, false], ['via', 3, false]]);
    expect(vote.options.find((o: any) => o.name === 'via').choices).toEqual([{ name: 'reaction', value: 'reaction' }]);
    expect(subs('contest')).toEqual(expect.arrayContaining(['claim', 'verify']));
    expect(subs('thanks')).toEqual(['send', 'left', 'top', 'settings']);
    expect(by.get('thanks').options[0]).toMatchObject({ name_localizations: { ko: '보내기', ja: '送る' } });
    expect(by.get('thanks').options[0].options.map((o: any) => [o.name, o.type])).toEqual([['member', 6], ['points', 4], ['reason', 3]]);
    expect(coreCommandName(groups, 'thanks', 'send')).toBe('thanks');
    expect(coreCommandName(groups, 'thanks', 'left')).toBe('thanks left');
    // /announce here is for admins: only Manage Server sees it. The group has its own description (help:group.announce,
    // listing its one subcommand); the subcommand keeps its own.
    expect(by.get('announce').default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(by.get('announce').description).toBe('Where community-wide announcements go: here');
    expect(by.get('announce').options.map((o: any) => o.name)).toEqual(['here']);
    expect(by.get('announce').options[0].description).toBe('Post community-wide announcements (giveaways from other platforms) in this channel');
    for (const c of body) {
      for (const o of [c, ...(c.options ?? []), ...(c.options ?? []).flatMap((x: any) => x.options ?? [])]) {
        expect(o.description.length, o.name).toBeGreaterThan(0);
        expect(o.description.length, o.name).toBeLessThanOrEqual(100);
        expect(o.description, `${c.name} ${o.name}`).not.toMatch(/\.description$/);
        expect((o.choices ?? []).length).toBeLessThanOrEqual(25);
      }
    }
  });
});

describe('select menus', () => {
  it('renders a select as a string select row before the buttons, and a choice runs its command with the values joined', async () => {
    const card = await interact(chatInput(carol, where(), 'probe', { sub: 'card' }));
    const { data } = only(card);
    expect(data.flags).toBeUndefined();
    expect(data.components).toHaveLength(2);
    const [menu] = data.components[0].components;
    expect(menu).toEqual({
      type: 3, custom_id: 'e1:s:probe.pick:poll=7:choice', placeholder: 'Pick up to two', min_values: 1, max_values: 2,
      options: [{ label: 'Option 1', value: '1', emoji: { name: '🍕' } }, { label: 'Option 2', value: '2' }, { label: 'Option 3', value: '3' }],
    });
    expect(data.components[1].components[0]).toMatchObject({ type: 2, label: 'Results' });

    const pick = await interact(selectChoice(bob, where(), menu.custom_id, ['1', '3']));
    expect(only(pick)).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'Picked 1,3' } });
    expect(seen).toEqual([{ command: 'probe pick', args: { poll: 7, choice: '1,3' }, user: bob.id, roles: [VIP] }]);
    // The same interaction delivered again gets the same answer and runs nothing twice.
    await interact(pick);
    const both = fake.find('POST', `/interactions/${pick.id}/${pick.token}/callback`);
    expect(both.map((c) => c.body)).toEqual([both[0].body, both[0].body]);
    expect(await db.prisma.processedEvent.count({ where: { key: `discord:${pick.id}` } })).toBe(1);
  });

  it('shows a select Discord cannot take as its fallback buttons, and keeps selects first within 5 rows', () => {
    const big = messageBody({ text: 'Many', selects: [pollSelect(26)] }, { log: (m) => logs.push(m) });
    expect(big.components.map((r) => r.components.map((c) => c.type))).toEqual([[2, 2, 2, 2, 2]]);
    expect(logs.some((l) => l.includes('shown as buttons'))).toBe(true);
    const rows = Array.from({ length: 6 }, (_, i) => [{ label: `B${i}`, command: 'probe pick', args: { poll: i, choice: 'x' } }]);
    const full = messageBody({ text: 'Full', selects: [pollSelect(), { ...pollSelect(), args: { poll: 8 } }], buttons: rows });
    expect(full.components.map((r) => r.components[0].type)).toEqual([3, 3, 2, 2, 2]);
    // max_values never exceeds the options; min never exceeds max.
    expect(messageBody({ text: 'x', selects: [{ ...pollSelect(2), min: 3, max: 9 }] }).components[0].components[0]).toMatchObject({ min_values: 2, max_values: 2 });
    expect(decodeCustomId(encodeSelect('poll vote', { poll: 12, mode: 'set' }, 'option')!)).toEqual({ kind: 'select', command: 'poll vote', args: { poll: '12', mode: 'set' }, name: 'option' });
    expect(decodeCustomId('e1:s:poll.vote:poll=1:')).toBeNull();
  });
});

describe('the member\'s roles', () => {
  it('reach the command from slash commands, buttons, selects and modals (role ids; none is an empty list)', async () => {
    await interact(chatInput(bob, where(), 'probe', { sub: 'pick', options: [{ name: 'poll', type: 4, value: 1 }, { name: 'choice', type: 3, value: 'a' }] }));
    await interact(buttonPress(bob, where(), 'e1:r:probe.pick:poll=1&choice=b'));
    await interact(selectChoice(carol, where(), 'e1:s:probe.pick:poll=1:choice', ['c']));
    await interact(modalSubmit(bob, where(), 'e1:m:probe.note:', { body: 'hello' }));
    expect(seen.map((s) => [s.command, s.user, s.roles])).toEqual([
      ['probe pick', bob.id, [VIP]], ['probe pick', bob.id, [VIP]], ['probe pick', carol.id, []], ['probe note', bob.id, [VIP]],
    ]);
  });
});

describe('message ids, edits and reactions out', () => {
  it('send returns the message id (DMs too); a card is remembered and an edit announcement edits that same message', async () => {
    const community = await communityId();
    await inTx(async (s) => {
      await s.announce({ communityId: community, platform: 'discord', to: channel, notice: { type: 'test.card', reply: { text: 'Entries: 1', buttons: [[{ label: 'Enter', command: 'probe pick', args: { poll: 1, choice: 'in' } }]] } }, card: 'contest:1' });
    });
    expect(await deliver()).toBe(1);
    const [post] = fake.find('POST', `/channels/${CHANNEL}/messages`);
    const posted = await db.prisma.postedMessage.findFirstOrThrow();
    expect(posted).toMatchObject({ key: 'contest:1', platform: 'discord', channelId: CHANNEL });
    expect(fake.posted.get(posted.messageId)).toMatchObject({ channelId: CHANNEL, content: post.body.content });

    await inTx((s) => s.announce({ communityId: community, platform: 'discord', to: channel, notice: { type: 'test.card', reply: { text: 'Entries: **2**', selects: [pollSelect()] } }, edit: 'contest:1' }));
    expect(await deliver()).toBe(1);
    const [patch] = fake.find('PATCH', `/channels/${CHANNEL}/messages/${posted.messageId}`);
    expect(patch.body).toMatchObject({ content: 'Entries: **2**', allowed_mentions: { parse: ['users'] } });
    expect(patch.body.components[0].components[0].type).toBe(3);
    expect(fake.find('POST', `/channels/${CHANNEL}/messages`)).toHaveLength(1);

    // A card deleted in the meantime: the edit is dropped (logged), not retried for hours.
    fake.deleted.add(posted.messageId);
    await inTx((s) => s.announce({ communityId: community, platform: 'discord', to: channel, notice: { type: 'test.card', reply: { text: 'Entries: 3' } }, edit: 'contest:1' }));
    expect(await deliver()).toBe(1);
    expect(await db.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);
    expect(logs.some((l) => l.includes(`message ${posted.messageId}`) && l.includes('gone'))).toBe(true);
    // Any other failure of an edit throws, so the outbox tries again.
    fake.deleted.clear();
    fake.failChannels.add(CHANNEL);
    await expect(adapter.edit(channel, posted.messageId, { text: 'x' })).rejects.toThrow(/Missing Access/);
    fake.failChannels.clear();

    const dmId = await adapter.send({ kind: 'dm', userId: carol.id }, { text: 'You won' });
    expect(fake.posted.get(dmId)).toMatchObject({ channelId: `9${carol.id}`, content: 'You won' });
  });

  it('adds the reply\'s reactions under the posted message in order; a refused one is logged and the send still succeeds', async () => {
    const id = await adapter.send(channel, { text: 'Pizza or sushi?', reactions: ['🍕', '🍣', '👨‍👩‍👧'] });
    expect(fake.reactions.get(id)).toEqual(['🍕', '🍣', '👨‍👩‍👧']);
    expect(fake.find('PUT', /\/reactions\//).map((r) => r.path)).toEqual(['🍕', '🍣', '👨‍👩‍👧'].map((e) => `/channels/${CHANNEL}/messages/${id}/reactions/${e}/@me`));
    fake.refuseReactions.add('🍣');
    const next = await adapter.send(channel, { text: 'Again', reactions: ['🍕', '🍣', '👍'] });
    expect(fake.reactions.get(next)).toEqual(['🍕', '👍']);
    expect(logs.filter((l) => l.includes('could not add reaction 🍣'))).toHaveLength(1);
    // A public interaction reply with reactions gets them under the response message.
    const card = await interact(chatInput(carol, where(), 'probe', { sub: 'card' }));
    const original = fake.find('GET', `/webhooks/${fake.applicationId}/${card.token}/messages/@original`);
    expect(original).toHaveLength(1);
    const [reply] = [...fake.reactions.entries()].filter(([m]) => m !== id && m !== next);
    expect(reply[1]).toEqual(['👍', '👎']);
  });
});

describe('reactions in', () => {
  it('hands members\' reactions (added and removed) to engine.reaction, not the bot\'s own, other bots\' or custom emoji', async () => {
    await connect();
    const spy = vi.spyOn(engine, 'reaction');
    const msg = { guildId: GUILD, channelId: CHANNEL, messageId: '1300000000000000777' };
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(bob, msg, { name: '👍' }));
    await gateway('MESSAGE_REACTION_REMOVE', reactionRemove(bob, msg, { name: '👍' }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(bob, msg, { id: '1300000000000000123', name: 'party' }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd({ id: fake.applicationId, username: 'engage', bot: true }, msg, { name: '👍' }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd({ id: '2000000000000000099', username: 'otherbot', bot: true }, msg, { name: '👍' }));
    // A message the bot has seen and did not write cannot be a card: no look-up.
    const chat = guildMessage(carol, { guildId: GUILD, channelId: CHANNEL }, 'hi');
    await gateway('MESSAGE_CREATE', chat);
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(bob, { ...msg, messageId: chat.id }, { name: '👍' }));
    expect(spy.mock.calls.map((c) => c[0])).toEqual([
      {
        platform: 'discord', communityKey: GUILD, communityName: 'Acme', channelId: CHANNEL, messageId: msg.messageId, emoji: '👍', kind: 'add',
        actor: { platform: 'discord', userId: bob.id, displayName: 'bob', username: 'bob', roles: [VIP] },
      },
      expect.objectContaining({ kind: 'remove', emoji: '👍', actor: expect.objectContaining({ userId: bob.id, roles: [VIP] }) }),
    ]);
  });

  it('a reaction on a remembered poll card runs `poll vote`; a refusal is sent to the member by DM', async () => {
    await connect();
    const community = await communityId();
    await inTx((s) => s.announce({ communityId: community, platform: 'discord', to: channel, notice: { type: 'test.card', reply: { text: 'Lunch?', reactions: ['🍕', '🍣'] } }, card: 'poll:3' }));
    expect(await deliver()).toBe(1);
    const { messageId } = await db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'poll:3' } });
    const msg = { guildId: GUILD, channelId: CHANNEL, messageId };
    // Discord echoes the bot's own reactions: they are not votes.
    await gateway('MESSAGE_REACTION_ADD', reactionAdd({ id: fake.applicationId, username: 'engage', bot: true }, msg, { name: '🍕' }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(bob, msg, { name: '🍕' }));
    await gateway('MESSAGE_REACTION_REMOVE', reactionRemove(bob, msg, { name: '🍕' }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(carol, msg, { name: '🚫' }));
    expect(seen.map((s) => [s.user, s.args, s.roles])).toEqual([
      [bob.id, { poll: 3, option: '🍕', mode: 'add', via: 'reaction' }, [VIP]],
      [bob.id, { poll: 3, option: '🍕', mode: 'remove', via: 'reaction' }, [VIP]],
      [carol.id, { poll: 3, option: '🚫', mode: 'add', via: 'reaction' }, []],
    ]);
    // Only the refusal is told, privately; a vote says nothing (the reaction is its own answer).
    expect(fake.find('POST', `/channels/9${carol.id}/messages`).map((r) => r.body.content)).toEqual(['⚠️ That poll is closed.']);
    expect(fake.find('POST', `/channels/9${bob.id}/messages`)).toHaveLength(0);
    // Reactions on other messages run nothing.
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(bob, { ...msg, messageId: '1300000000000000778' }, { name: '🍕' }));
    expect(seen).toHaveLength(3);
  });
});

describe('end to end with the real commands', () => {
  const str = (name: string, value: string) => ({ name, type: 3, value });
  const int = (name: string, value: number) => ({ name, type: 4, value });
  const posts = () => fake.find('POST', `/channels/${CHANNEL}/messages`);

  beforeEach(async () => {
    // The real commands and notices (no probes) on the same database.
    await adapter.stop();
    engine = new Engine(db, { commands: allCommands, now: clock.now, random: seeded(), onError: (e) => errors.push(e) });
    adapter = new DiscordAdapter(engine, { token: fakeToken(fake), applicationId: fake.applicationId, apiBase: fake.api, log: (m) => logs.push(m) });
    await connect();
  });

  it('an emoji poll: the card is posted with its reactions, members vote by reacting, the results count it', async () => {
    const created = await interact(chatInput(alice, where(), 'poll', { sub: 'create', options: [str('question', 'Lunch?'), str('kind', 'emoji'), str('options', '🍕 🍣')] }));
    expect(only(created).data.content).not.toContain('⚠️');
    expect(await deliver()).toBe(1);
    const { messageId } = await db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'poll:1', platform: 'discord' } });
    expect(fake.reactions.get(messageId)).toEqual(['🍕', '🍣']);
    const msg = { guildId: GUILD, channelId: CHANNEL, messageId };
    // Discord echoes the bot's own reactions; they are no votes.
    for (const e of ['🍕', '🍣']) await gateway('MESSAGE_REACTION_ADD', reactionAdd({ id: fake.applicationId, username: 'engage', bot: true }, msg, { name: e }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(bob, msg, { name: '🍕' }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(carol, msg, { name: '🍣' }));
    await gateway('MESSAGE_REACTION_REMOVE', reactionRemove(carol, msg, { name: '🍣' }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(carol, msg, { name: '🍕' }));
    const closed = await interact(chatInput(alice, where(), 'poll', { sub: 'close', options: [int('poll', 1)] }));
    expect(only(closed).data.content).not.toContain('⚠️');
    await deliver();
    const results = posts().map((p) => p.body.content).join('\n');
    expect(results).toMatch(/🍕[^\n]*2/);
    expect(results).not.toMatch(/🍣[^\n]*[1-9]/);
    expect(await db.prisma.pollVoter.count()).toBe(2);
  });

  it('a multi-choice poll: the card has a select menu; choosing two options votes for both', async () => {
    await interact(chatInput(alice, where(), 'poll', { sub: 'create', options: [str('question', 'Which days?'), str('kind', 'multi'), str('options', 'Mon|Wed|Fri')] }));
    expect(await deliver()).toBe(1);
    const [card] = posts();
    const menu = card.body.components.flatMap((r: any) => r.components).find((c: any) => c.type === 3);
    expect(menu).toMatchObject({ max_values: 3, options: [{ label: expect.stringContaining('Mon') }, { label: expect.stringContaining('Wed') }, { label: expect.stringContaining('Fri') }] });
    const pick = await interact(selectChoice(bob, where(), menu.custom_id, [menu.options[0].value, menu.options[2].value]));
    expect(only(pick).data).toMatchObject({ flags: EPHEMERAL });
    expect(only(pick).data.content).not.toContain('⚠️');
    const choices = await db.prisma.pollChoice.findMany({ orderBy: { option: 'asc' } });
    expect(choices.map((c) => c.option)).toHaveLength(2);
  });

  it('a giveaway with a role requirement: the member\'s roles decide; the live card is edited after entries', async () => {
    const created = await interact(chatInput(alice, where(), 'contest', {
      sub: 'create', options: [str('prize', 'Hoodie'), int('winners', 1), str('ends', '2d'), str('role', `<@&${VIP}>`)],
    }));
    expect(only(created).data.content).not.toContain('⚠️');
    expect(await deliver()).toBe(1);
    const { messageId } = await db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'contest:1', platform: 'discord' } });
    const [enter] = fake.posted.get(messageId)!.components!.flatMap((r: any) => r.components).map((c: any) => c.custom_id);
    const refused = await interact(buttonPress(carol, where(), enter));
    expect(only(refused).data.content).toContain('⚠️');
    const entered = await interact(buttonPress(bob, where(), enter));
    expect(only(entered).data.content).not.toContain('⚠️');
    expect(await db.prisma.contestEntry.count()).toBe(1);

    // The refresh job edits the card in place with the new count.
    clock.advance(60_000);
    expect(await engine.runDueJobs()).toBeGreaterThanOrEqual(1);
    await deliver();
    const edits = fake.find('PATCH', `/channels/${CHANNEL}/messages/${messageId}`);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.at(-1)!.body.content).not.toBe(fake.find('POST', `/channels/${CHANNEL}/messages`)[0].body.content);
    expect(posts()).toHaveLength(1);
  });

  it('a winner\'s claim button in their DM acts in the server it came from', async () => {
    await interact(chatInput(alice, where(), 'contest', { sub: 'create', options: [str('prize', 'Mug'), int('winners', 1), str('ends', '2d'), int('claim', 24)] }));
    expect(await deliver()).toBe(1);
    const { messageId } = await db.prisma.postedMessage.findFirstOrThrow({ where: { key: 'contest:1' } });
    const [enter] = fake.posted.get(messageId)!.components!.flatMap((r: any) => r.components).map((c: any) => c.custom_id);
    await interact(buttonPress(bob, where(), enter));
    await interact(chatInput(alice, where(), 'contest', { sub: 'end', options: [int('contest', 1)] }));
    await deliver();
    const [dm] = fake.find('POST', `/channels/9${bob.id}/messages`);
    const [claim] = dm.body.components[0].components;
    expect(claim.custom_id).toBe(`e1@${GUILD}:r:contest.claim:contest=1`);
    const press = await interact(buttonPress(bob, { applicationId: fake.applicationId, channelId: `9${bob.id}`, guildId: null }, claim.custom_id));
    expect(only(press).data.content).not.toContain('⚠️');
    expect((await db.prisma.contestWinner.findFirstOrThrow()).claimedAt).not.toBeNull();
    // Without a server in the id, a button in a DM is still refused.
    const stray = await interact(buttonPress(bob, { applicationId: fake.applicationId, channelId: `9${bob.id}`, guildId: null }, 'e1:r:contest.claim:contest=1'));
    expect(only(stray).data.content).toContain('⚠️');
  });

  it('/thanks runs as "/thanks send" with its options; /thanks left answers', async () => {
    await interact(chatInput(carol, where(), 'points'));
    const thanked = await interact(chatInput(bob, where(), 'thanks', {
      sub: 'send', options: [{ name: 'member', type: 6, value: carol.id }, int('points', 2), str('reason', 'great help with the setup')], resolvedUsers: [carol],
    }));
    const reply = only(thanked).data.content as string;
    expect(reply).not.toContain('⚠️');
    expect(reply).toContain('carol');
    const left = await interact(chatInput(bob, where(), 'thanks', { sub: 'left' }));
    expect(only(left).data.content).not.toContain('⚠️');
    expect(await db.prisma.thanks.count()).toBe(1);
  });
});

describe.skipIf(!PG_ADMIN_URL)('two instances on PostgreSQL', () => {
  it('the same select choice, and the same reaction, handled by two instances at once count once', async () => {
    const pgi = await twoInstances('dcontrols');
    const mk = (e: Engine) => new DiscordAdapter(e, { token: fakeToken(fake), applicationId: fake.applicationId, apiBase: fake.api, log: (m) => logs.push(m) });
    const [a1, a2] = [mk(pgi.e1), mk(pgi.e2)];
    try {
      for (const a of [a1, a2]) {
        dispatch(a.client, 'READY', ready(fake.applicationId, [GUILD]));
        dispatch(a.client, 'GUILD_CREATE', guildCreate({ id: GUILD, name: 'Acme', textChannelId: CHANNEL, voiceChannelIds: [], members: [alice, bob, carol] }));
      }
      const both = async (t: string, d: unknown) => {
        dispatch(a1.client, t, d);
        dispatch(a2.client, t, d);
        await Promise.all([a1.idle(), a2.idle()]);
      };
      const deliverPg = () => pgi.e1.deliverOutbox('discord', { send: (to, r) => a1.send(to, r), edit: (to, id, r) => a1.edit(to, id, r) });
      const str = (name: string, value: string) => ({ name, type: 3, value });
      await both('INTERACTION_CREATE', chatInput(alice, where(), 'poll', { sub: 'create', options: [str('question', 'Days?'), str('kind', 'multi'), str('options', 'Mon|Wed|Fri')] }));
      await both('INTERACTION_CREATE', chatInput(alice, where(), 'poll', { sub: 'create', options: [str('question', 'Lunch?'), str('kind', 'emoji'), str('options', '🍕 🍣')] }));
      expect(await pgi.a.prisma.poll.count()).toBe(2);
      expect(await deliverPg()).toBe(2);
      // A creation that lost the race still used up a sequence number: the ids are read, not assumed.
      const [multiId, emojiId] = (await pgi.a.prisma.poll.findMany({ orderBy: { id: 'asc' }, select: { id: true } })).map((p) => p.id);
      const [multi, emojiCard] = await Promise.all([multiId, emojiId].map((id) => pgi.a.prisma.postedMessage.findFirstOrThrow({ where: { key: `poll:${id}` } })));
      const menu = (fake.posted.get(multi.messageId)!.components as any[]).flatMap((r) => r.components).find((c: any) => c.type === 3);
      const pick = selectChoice(bob, where(), menu.custom_id, [menu.options[0].value, menu.options[2].value]);
      await both('INTERACTION_CREATE', pick);
      const answers = fake.find('POST', `/interactions/${pick.id}/${pick.token}/callback`);
      expect(answers).toHaveLength(2);
      expect(answers[1].body).toEqual(answers[0].body);
      expect(await pgi.a.prisma.pollChoice.count({ where: { pollId: multiId } })).toBe(2);
      expect(await pgi.a.prisma.pollVoter.count({ where: { pollId: multiId } })).toBe(1);

      await both('MESSAGE_REACTION_ADD', reactionAdd(carol, { guildId: GUILD, channelId: CHANNEL, messageId: emojiCard.messageId }, { name: '🍕' }));
      expect(await pgi.a.prisma.pollVoter.count({ where: { pollId: emojiId } })).toBe(1);
      const tally = await pgi.a.prisma.pollChoice.findMany({ where: { pollId: emojiId } });
      expect(tally.map((c) => c.option)).toHaveLength(1);
    } finally {
      await a1.stop();
      await a2.stop();
      await pgi.close();
    }
  }, 60_000);
});
