import { describe, it, expect, beforeEach, afterEach, vi, type MockInstance } from 'vitest';
import { GatewayIntentBits, PermissionFlagsBits } from 'discord.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import type { Inbound, Reply } from '../src/core/types.js';
import { defineCommand, opt, type CommandDef } from '../src/core/command.js';
import { lang } from '../src/i18n/index.js';
import { allCommands } from '../commands/index.js';
import { Clock, freshSqlite, seeded } from './helpers.js';
import { loadConfig } from '../src/config.js';
import { DiscordAdapter, applicationIdFromToken, createAdapter } from '../adapters/discord/index.js';
import { buildSlashCommands, coreCommandName, isLocalizedName } from '../adapters/discord/commands.js';
import { buildModal, decodeCustomId, encodeForm, encodeRun, messageBody, toDiscordText, CUSTOM_ID_MAX } from '../adapters/discord/render.js';
import { createShardManager, ownsBackgroundWork, SHARD0_ONLY_ENV } from '../adapters/discord/shard.js';
import {
  FakeDiscord, PERMS, buttonPress, dispatch, fakeToken, chatInput, checkRequest, discordLimits, guildCreate, guildMessage, modalSubmit, reactionAdd, ready, snowflake, voiceState,
  type Member, type Who,
} from './fakes/discord.js';
import { clip } from '../adapters/shared/text.js';
import { FAMILY, LONE_SURROGATE, expectCutBetweenGraphemes } from './graphemes.js';

const GUILD = '1000000000000000001';
const CHANNEL = '1200000000000000001';
const EPHEMERAL = 64;

const alice: Who = { id: '2000000000000000001', username: 'alice', nick: 'Alice (mod)', permissions: PERMS.manageGuild };
const bob: Who = { id: '2000000000000000002', username: 'bob', globalName: 'Bobby', permissions: PERMS.member };
const carol: Who = { id: '2000000000000000003', username: 'carol', permissions: PERMS.member };
const root: Who = { id: '2000000000000000004', username: 'root', permissions: PERMS.administrator };
const minji: Who = { id: '2000000000000000005', username: 'minji', permissions: PERMS.member, locale: 'ko' };
const channel = { kind: 'channel', channelId: CHANNEL } as const;
const ko = lang('ko');
const ja = lang('ja');

/** The engine, but its answers wait for `release()`: forces the adapter's defer path without timing. */
class GatedEngine extends Engine {
  gate?: Promise<void>;
  override async handle(i: Inbound): Promise<Reply> {
    await this.gate;
    return super.handle(i);
  }
}

let fake: FakeDiscord;
let db: Database;
let engine: GatedEngine;
let adapter: DiscordAdapter;
let cleanup: () => void;
let errors: unknown[];
let logs: string[];

const token = () => fakeToken(fake);
const where = (extra: { id?: string; guildId?: string | null } = {}) => ({ applicationId: fake.applicationId, channelId: CHANNEL, ...extra });

async function interact<T extends { id: string; token: string }>(d: T): Promise<T> {
  dispatch(adapter.client, 'INTERACTION_CREATE', d);
  await adapter.idle();
  return d;
}

/** The interaction callback(s) the bot POSTed for this interaction. */
const callbacks = (d: { id: string; token: string }) => fake.find('POST', `/interactions/${d.id}/${d.token}/callback`);
const only = (d: { id: string; token: string }) => {
  const c = callbacks(d);
  expect(c).toHaveLength(1);
  return c[0].body as { type: number; data: any };
};

async function deliver(): Promise<number> {
  return engine.deliverOutbox('discord', (ch, r) => adapter.send(ch, r));
}

const memberOf = async (userId: string) =>
  (await db.prisma.identity.findFirstOrThrow({ where: { platform: 'discord', platformUserId: userId }, include: { member: true } })).member;

/** Customs ids of all buttons in a recorded message body. */
const buttonIds = (body: any): string[] => (body.components ?? []).flatMap((r: any) => r.components.map((b: any) => b.custom_id));

beforeEach(async () => {
  fake = await new FakeDiscord().start();
  const s = await freshSqlite();
  cleanup = s.cleanup;
  db = await openDatabase(s.url);
  errors = [];
  logs = [];
  engine = new GatedEngine(db, { commands: allCommands, now: new Clock(new Date().toISOString()).now, random: seeded(), onError: (e) => errors.push(e) });
  adapter = new DiscordAdapter(engine, { token: token(), applicationId: fake.applicationId, apiBase: fake.api, log: (m) => logs.push(m) });
});

afterEach(async () => {
  await adapter.stop();
  // Activity events wait in the engine's buffer: they are stored (without errors) before the database closes.
  await engine.flush();
  await db.close();
  cleanup();
  await fake.stop();
  expect(errors).toEqual([]);
  // Nothing the adapter sent broke a Discord limit.
  expect(fake.refusals).toEqual([]);
  expect(logs.filter((l) => l.includes('failed'))).toEqual([]);
});

describe('slash command registration', () => {
  it('builds plain commands and groups with subcommands, options typed and ordered', () => {
    const body = buildSlashCommands(engine.commandGroups());
    const byName = new Map(body.map((c) => [c.name, c as any]));
    // A plain command
    const points = byName.get('points');
    const localized = (key: string) => ({ ko: ko.t(key), ja: ja.t(key) });
    expect(points.options).toEqual([{ type: 6, name: 'member', description: 'Whose points to show', description_localizations: localized('commands:points.options.member'), required: false }]);
    expect(points.description).toBe('Your points, tier and rank (or another member\'s)');
    expect(points.contexts).toEqual([0]);
    // Members' menus leave out commands they cannot use: moderators' need Manage Messages, admins' Manage Server.
    expect(points.default_member_permissions).toBeUndefined();
    expect(byName.get('give').default_member_permissions).toBe(String(PermissionFlagsBits.ManageMessages));
    expect(byName.get('role').default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(byName.get('challenge').default_member_permissions).toBeUndefined(); // members submit
    // A group: one slash command with subcommands
    const challenge = byName.get('challenge');
    expect(challenge.options.map((o: any) => [o.type, o.name])).toEqual(
      ['list', 'show', 'submit', 'create', 'review', 'approve', 'reject', 'close'].map((n) => [1, n]),
    );
    const create = challenge.options.find((o: any) => o.name === 'create');
    const described = (o: string) => ({ description_localizations: localized(`commands:challenge create.options.${o}`) });
    expect(create.options).toEqual([
      { type: 3, name: 'title', description: 'Short title (quote it if it has spaces)', ...described('title'), required: true, max_length: 100 },
      { type: 4, name: 'reward', description: 'Points for completing it', ...described('reward'), required: true, min_value: 1, max_value: 100000 },
      { type: 3, name: 'deadline', description: 'When it closes: 3d, 12h, or 2026-12-24 18:00', ...described('deadline'), required: true },
      { type: 3, name: 'description', description: 'What to do and what proof to send', ...described('description'), required: false, max_length: 1000 },
    ]);
    expect(create).toMatchObject({ description: 'Start a challenge with a points reward and a deadline', description_localizations: localized('commands:challenge create.description') });
    // The group's own description lists its subcommands (help:group.challenge).
    expect(challenge.description).toBe('Challenges: list, show, submit, create, review, approve, reject, close');
    expect(challenge.description_localizations.ko).toBe(ko.t('help:group.challenge', { subs: 'list, show, submit, create, review, approve, reject, close' }));
    // choice -> STRING with choices; integer bounds
    const lb = byName.get('leaderboard');
    expect(lb.options.find((o: any) => o.name === 'period')).toMatchObject({ type: 3, choices: [{ name: 'all', value: 'all' }, { name: 'week', value: 'week' }, { name: 'month', value: 'month' }] });
    expect(lb.options.find((o: any) => o.name === 'size')).toMatchObject({ type: 4, min_value: 1, max_value: 25 });
    // Poll answer: score 0..10, optional comment moved after required ones
    const answer = byName.get('poll').options.find((o: any) => o.name === 'answer');
    expect(answer.options.map((o: any) => [o.name, o.required])).toEqual([['poll', true], ['score', true], ['comment', false]]);
    expect(answer.options[1]).toMatchObject({ min_value: 0, max_value: 10 });
    // "community bind" alone is still a group (its only command is not named "community")
    expect(byName.get('community').options[0]).toMatchObject({ type: 1, name: 'bind' });
    // Every level: description 1..100 in every language, required options before optional ones
    const checkDescription = (o: { description: string; description_localizations: Record<string, string> }) => {
      for (const d of [o.description, o.description_localizations.ko, o.description_localizations.ja]) {
        expect(d.length).toBeGreaterThan(0);
        expect(d.length).toBeLessThanOrEqual(100);
      }
    };
    const check = (opts: any[] = []) => {
      let seenOptional = false;
      for (const o of opts) {
        checkDescription(o);
        if (o.type === 1) check(o.options);
        else if (!o.required) seenOptional = true;
        else expect(seenOptional).toBe(false);
      }
    };
    for (const c of body) {
      checkDescription(c as any);
      check((c as any).options);
      // Korean and Japanese clients show the localized names from the catalogs.
      const names = (c as any).name_localizations as Record<string, string>;
      expect(Object.keys(names).sort()).toEqual(['ja', 'ko']);
      for (const [loc, n] of Object.entries(names)) expect(isLocalizedName(n, loc), `${c.name} ${loc}`).toBe(true);
    }
    for (const loc of ['ko', 'ja']) {
      const names = body.map((c) => (c as any).name_localizations[loc]);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(body.find((c) => c.name === 'points')!.name_localizations).toEqual({ ko: '포인트', ja: 'ポイント' });
    // What a translator may put in discord:names.<command>.
    expect(isLocalizedName('포인트', 'ko')).toBe(true);
    expect(isLocalizedName('ポイント', 'ja')).toBe(true);
    expect(isLocalizedName('순위-표', 'ko')).toBe(true);
    expect(isLocalizedName('Points', 'en')).toBe(false);
    expect(isLocalizedName('포인트 확인', 'ko')).toBe(false);
    expect(isLocalizedName('x'.repeat(33), 'en')).toBe(false);
    expect(coreCommandName(engine.commandGroups(), 'challenge', 'create')).toBe('challenge create');
    expect(coreCommandName(engine.commandGroups(), 'points', null)).toBe('points');
  });

  it('PUTs the commands to the guild when DISCORD_GUILD_ID is set, else globally', async () => {
    const guilded = new DiscordAdapter(engine, { token: token(), guildId: GUILD, apiBase: fake.api, log: () => {} });
    await guilded.registerCommands();
    await adapter.registerCommands();
    await guilded.stop();
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    // applicationId came from the token in the first adapter
    expect(puts.map((p) => p.path)).toEqual([`/applications/${fake.applicationId}/guilds/${GUILD}/commands`, `/applications/${fake.applicationId}/commands`]);
    expect(puts[0].authorization).toBe(`Bot ${token()}`);
    expect(puts[0].body).toEqual(buildSlashCommands(engine.commandGroups()));
    expect(applicationIdFromToken(token())).toBe(fake.applicationId);
  });
});

describe('interactions', () => {
  it('runs a plain command; uses the guild name, nickname and replies ephemerally', async () => {
    dispatch(adapter.client, 'GUILD_CREATE', { id: GUILD, name: 'Cozy Server', icon: null, owner_id: alice.id, roles: [], emojis: [], stickers: [], features: [], channels: [], threads: [], members: [], presences: [], voice_states: [], member_count: 3, unavailable: false });
    const d = await interact(chatInput(bob, where(), 'points'));
    const cb = only(d);
    expect(cb.type).toBe(4);
    expect(cb.data.flags).toBe(EPHEMERAL);
    expect(cb.data.content).toContain('You have **0 points** to spend');
    expect(cb.data.allowed_mentions).toEqual({ parse: ['users'] });
    const community = await db.prisma.communityBinding.findFirstOrThrow({ where: { platform: 'discord', externalId: GUILD }, include: { community: true } });
    expect(community.community.name).toBe('Cozy Server');
    expect((await memberOf(bob.id)).displayName).toBe('Bobby'); // no nick: global name
  });

  it('runs a subcommand with options, announces the challenge card with a form button', async () => {
    const d = await interact(chatInput(alice, where(), 'challenge', {
      sub: 'create',
      options: [
        { name: 'title', type: 3, value: 'Share *our* post' },
        { name: 'reward', type: 4, value: 50 },
        { name: 'deadline', type: 3, value: '3d' },
        { name: 'description', type: 3, value: 'Post about us and send the link' },
      ],
    }));
    const cb = only(d);
    expect(cb.type).toBe(4);
    expect(cb.data.flags).toBe(EPHEMERAL);
    expect(cb.data.content).toMatch(/^Challenge #1 "Share \\\*our\\\* post" is live until/);
    const ch = await db.prisma.challenge.findFirstOrThrow();
    expect(ch).toMatchObject({ title: 'Share *our* post', reward: 50, channelId: CHANNEL, platform: 'discord' });
    expect((await memberOf(alice.id)).displayName).toBe('Alice (mod)');

    // The card goes out through the outbox as a channel message with a "Submit proof" form button.
    expect(await deliver()).toBe(1);
    const [post] = fake.find('POST', `/channels/${CHANNEL}/messages`);
    expect(post.authorization).toBe(`Bot ${token()}`);
    expect(post.body.content).toContain('🏁 **Challenge #1: Share \\*our\\* post**');
    expect(post.body.content).toContain('Reward: **50 points**');
    expect(post.body.allowed_mentions).toEqual({ parse: ['users'] });
    expect(post.body.components).toEqual([{ type: 1, components: [{ type: 2, style: 1, label: 'Submit proof', custom_id: expect.stringMatching(/^e1:f:challenge\.submit:challenge=1:proof\*\.1000/) }] }]);
    expect(buttonIds(post.body)[0].length).toBeLessThanOrEqual(100);
    expect((await db.prisma.outboxMessage.findFirstOrThrow()).status).toBe('sent');
  });

  it('refuses bad input with an ephemeral error and stores nothing', async () => {
    const d = await interact(chatInput(alice, where(), 'challenge', {
      sub: 'create',
      options: [{ name: 'title', type: 3, value: 'Oops' }, { name: 'reward', type: 4, value: 10 }, { name: 'deadline', type: 3, value: 'someday' }],
    }));
    const cb = only(d);
    expect(cb.data.flags).toBe(EPHEMERAL);
    expect(cb.data.content).toBe('⚠️ deadline: "someday" is not a date; use YYYY-MM-DD HH:MM or a time from now like 3d.');
    expect(await db.prisma.challenge.count()).toBe(0);
    expect(await db.prisma.outboxMessage.count()).toBe(0);
  });

  it('refuses an admin command to a member and allows a Discord server admin', async () => {
    const args = { sub: 'add', options: [{ name: 'cost', type: 4, value: 500 }, { name: 'name', type: 3, value: 'Sticker pack' }] };
    const refused = await interact(chatInput(bob, where(), 'reward', args));
    expect(only(refused).data).toMatchObject({ flags: EPHEMERAL, content: '⚠️ /reward add is for admins only.' });
    expect(await db.prisma.reward.count()).toBe(0);
    // Administrator and Manage Server both map to platformRole 'admin'.
    const allowed = await interact(chatInput(root, where(), 'reward', args));
    expect(only(allowed).data.content).not.toContain('⚠️');
    expect(await db.prisma.reward.findFirstOrThrow()).toMatchObject({ name: 'Sticker pack', cost: 500 });
    const byMod = await interact(chatInput(alice, where(), 'reward', { ...args, options: [{ name: 'cost', type: 4, value: 9 }, { name: 'name', type: 3, value: 'Badge' }] }));
    expect(only(byMod).data.content).not.toContain('⚠️');
    expect(await db.prisma.reward.count()).toBe(2);
    // The stored role of the member is untouched: platform admin is per interaction.
    expect((await memberOf(root.id)).role).toBe('member');
  });

  it('passes user options as mentions and applies a redelivered interaction once', async () => {
    const payload = chatInput(alice, where(), 'give', {
      options: [{ name: 'member', type: 6, value: bob.id }, { name: 'amount', type: 4, value: 25 }, { name: 'reason', type: 3, value: 'helpful answer' }],
      resolvedUsers: [bob],
    });
    await interact(payload);
    await interact(payload); // the same interaction (same id) delivered again
    const cbs = callbacks(payload);
    expect(cbs).toHaveLength(2);
    expect(cbs[0].body.data.content).toContain(`Gave 25 points to ${bob.globalName ?? bob.username}`);
    expect(cbs[1].body).toEqual(cbs[0].body);
    const bobMember = await memberOf(bob.id);
    expect(bobMember.balance).toBe(25);
    expect(await db.prisma.ledgerEntry.count({ where: { memberId: bobMember.id } })).toBe(1);
    expect(await db.prisma.processedEvent.findUnique({ where: { key: `discord:${payload.id}` } })).not.toBeNull();
  });

  it('enters a giveaway with the card button, once even when pressed twice', async () => {
    await interact(chatInput(alice, where(), 'contest', {
      sub: 'create',
      options: [{ name: 'prize', type: 3, value: 'Hoodie' }, { name: 'winners', type: 4, value: 1 }, { name: 'ends', type: 3, value: '2d' }],
    }));
    expect(await deliver()).toBe(1);
    const [card] = fake.find('POST', `/channels/${CHANNEL}/messages`);
    const [enterId] = buttonIds(card.body);
    expect(enterId).toBe('e1:r:contest.enter:contest=1');
    expect(card.body.components[0].components[0]).toMatchObject({ style: 3, label: '🎉 Enter' });

    const press = buttonPress(bob, where(), enterId, { id: snowflake(), content: card.body.content, components: card.body.components });
    await interact(press);
    expect(only(press)).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: expect.stringContaining("You're in giveaway #1 for \"Hoodie\"") } });
    // A second press (a new interaction) by the same member changes nothing.
    const again = await interact(buttonPress(bob, where(), enterId));
    expect(only(again).data.flags).toBe(EPHEMERAL);
    expect(await db.prisma.contestEntry.count()).toBe(1);
    const entry = await db.prisma.contestEntry.findFirstOrThrow();
    expect(entry.memberId).toBe((await memberOf(bob.id)).id);
  });

  it('answers an NPS poll with a score button, then comments through the modal', async () => {
    await interact(chatInput(alice, where(), 'poll', { sub: 'create', options: [{ name: 'question', type: 3, value: 'Would you recommend us?' }] }));
    await deliver();
    const [card] = fake.find('POST', `/channels/${CHANNEL}/messages`);
    // 0-5 (six buttons) wraps into two rows of three; 6-10 fits one row.
    expect(card.body.components.map((r: any) => r.components.length)).toEqual([3, 3, 5]);
    const ids = buttonIds(card.body);
    expect(ids).toHaveLength(11);
    expect(ids[9]).toBe('e1:r:poll.answer:poll=1&score=9');

    const press = await interact(buttonPress(carol, where(), ids[9]));
    const reply = only(press);
    expect(reply.data.flags).toBe(EPHEMERAL);
    expect(reply.data.content).toContain('Thanks! You answered 9 to poll #1.');
    const [commentId] = buttonIds(reply.data);
    expect(decodeCustomId(commentId)).toMatchObject({ kind: 'form', command: 'poll comment', args: { poll: '1' }, fields: [{ name: 'comment', long: true, maxLength: 1000 }] });
    const resp = await db.prisma.pollResponse.findFirstOrThrow();
    expect(resp).toMatchObject({ score: 9, comment: null });

    // Pressing "Add a comment" opens a modal (callback type 9) with a paragraph input.
    const open = await interact(buttonPress(carol, where(), commentId));
    const modal = only(open);
    expect(modal.type).toBe(9);
    expect(modal.data).toMatchObject({ custom_id: 'e1:m:poll.comment:poll=1', title: 'Poll #1' });
    expect(modal.data.components).toHaveLength(1);
    expect(modal.data.components[0]).toMatchObject({ type: 18, component: { type: 4, custom_id: 'comment', style: 2, required: true, max_length: 1000 } });
    expect(modal.data.components[0].label.length).toBeLessThanOrEqual(45);

    const submit = await interact(modalSubmit(carol, where(), modal.data.custom_id, { comment: 'Friendly people & fast answers' }));
    expect(only(submit).data).toMatchObject({ flags: EPHEMERAL, content: 'Thanks for the comment on poll #1!' });
    expect((await db.prisma.pollResponse.findFirstOrThrow()).comment).toBe('Friendly people & fast answers');
    expect(await db.prisma.pollResponse.count()).toBe(1);
  });

  it('submits challenge proof through the card modal; approval DMs the member via the outbox', async () => {
    await interact(chatInput(alice, where(), 'challenge', { sub: 'create', options: [{ name: 'title', type: 3, value: 'Share' }, { name: 'reward', type: 4, value: 40 }, { name: 'deadline', type: 3, value: '3d' }] }));
    await deliver();
    const [card] = fake.find('POST', `/channels/${CHANNEL}/messages`);
    const open = await interact(buttonPress(bob, where(), buttonIds(card.body)[0]));
    const modal = only(open);
    expect(modal).toMatchObject({ type: 9, data: { custom_id: 'e1:m:challenge.submit:challenge=1', title: 'Challenge #1' } });
    expect(modal.data.components[0]).toMatchObject({ label: 'Proof (link or description)', component: { custom_id: 'proof', style: 2 } });

    const submit = await interact(modalSubmit(bob, where(), modal.data.custom_id, { proof: 'https://example.com/my_post' }));
    expect(only(submit).data.content).toContain('submission #1 for challenge #1');
    const sub = await db.prisma.submission.findFirstOrThrow();
    expect(sub).toMatchObject({ proof: 'https://example.com/my_post', status: 'pending' });

    // Review buttons, then approval; the member gets a DM through send({ kind: 'dm' }).
    const review = await interact(chatInput(alice, where(), 'challenge', { sub: 'review' }));
    expect(only(review).data.content).toContain('https://example.com/my_post'); // URL left unescaped
    expect(buttonIds(only(review).data)).toEqual(['e1:r:challenge.approve:submission=1', 'e1:r:challenge.reject:submission=1']);
    const approve = await interact(buttonPress(alice, where(), 'e1:r:challenge.approve:submission=1'));
    expect(only(approve).data.content).toContain('Approved submission #1');
    expect(only(approve).data.flags).toBeUndefined(); // public
    expect((await memberOf(bob.id)).balance).toBe(40);

    fake.clear();
    expect(await deliver()).toBe(1);
    const [dm] = fake.find('POST', '/users/@me/channels');
    expect(dm.body).toEqual({ recipient_id: bob.id });
    const [msg] = fake.find('POST', `/channels/9${bob.id}/messages`);
    expect(msg.body.content).toContain('Your proof for challenge #1 "Share" was approved: +40 points');
    expect(await db.prisma.outboxMessage.count({ where: { status: 'sent' } })).toBe(2);
  });

  it('answers stale/unknown button ids and direct messages with ephemeral errors', async () => {
    const stale = await interact(buttonPress(bob, where(), 'enter_contest_7'));
    expect(only(stale).data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('older version') });
    const gone = await interact(buttonPress(bob, where(), 'e1:r:contest.teleport:contest=1'));
    expect(only(gone).data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('Unknown command /contest teleport') });
    const badForm = await interact(buttonPress(bob, where(), 'e1:f:nope.nope:x=1:field'));
    expect(only(badForm).data.flags).toBe(EPHEMERAL);
    const dm = await interact(chatInput(bob, where({ guildId: null }), 'points'));
    expect(only(dm).data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining('work in servers') });
    expect(await db.prisma.member.count()).toBe(0);
    expect(await db.prisma.community.count()).toBe(0);
  });

  it('defers a slow command ephemerally, then edits the reply (ephemeral) or follows up (public)', async () => {
    await adapter.stop();
    adapter = new DiscordAdapter(engine, { token: token(), apiBase: fake.api, deferAfterMs: 5, log: (m) => logs.push(m) });
    let release!: () => void;
    engine.gate = new Promise<void>((r) => (release = r));
    const slow = chatInput(bob, where(), 'points');
    dispatch(adapter.client, 'INTERACTION_CREATE', slow);
    const deferred = await fake.waitFor((r) => r.path === `/interactions/${slow.id}/${slow.token}/callback`);
    expect(deferred.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    release();
    await adapter.idle();
    const [edit] = fake.find('PATCH', `/webhooks/${fake.applicationId}/${slow.token}/messages/@original`);
    expect(edit.body.content).toContain('You have **0 points**');
    expect(callbacks(slow)).toHaveLength(1);

    // A public answer (challenge list) after an ephemeral deferral: note in the placeholder, public follow-up.
    engine.gate = new Promise<void>((r) => (release = r));
    const list = chatInput(carol, where(), 'challenge', { sub: 'list' });
    dispatch(adapter.client, 'INTERACTION_CREATE', list);
    await fake.waitFor((r) => r.path === `/interactions/${list.id}/${list.token}/callback`);
    release();
    await adapter.idle();
    const [note] = fake.find('PATCH', `/webhooks/${fake.applicationId}/${list.token}/messages/@original`);
    expect(note.body.content).toContain('posted below');
    const [follow] = fake.find('POST', `/webhooks/${fake.applicationId}/${list.token}`);
    expect(follow.body.content).toBe('No open challenges right now.');
    expect(follow.body.flags ?? 0).toBe(0);
    expect(follow.query.get('wait')).toBe('true');
  });
});

describe('the language of the interaction', () => {
  it('words replies and the adapter\'s own texts in the client\'s language and stores it on the member', async () => {
    // Registration carries the Korean and Japanese catalog texts as Discord localizations.
    const body = buildSlashCommands(engine.commandGroups()) as any[];
    const points = body.find((c) => c.name === 'points');
    expect(points.description_localizations).toEqual({ ko: ko.t('commands:points.description'), ja: ja.t('commands:points.description') });
    const submit = body.find((c) => c.name === 'challenge').options.find((o: any) => o.name === 'submit');
    expect(submit.description_localizations.ko).toBe(ko.t('commands:challenge submit.description'));
    expect(submit.options.find((o: any) => o.name === 'proof').description_localizations.ko).toBe(ko.t('commands:challenge submit.options.proof'));

    // A Korean client: the engine gets actor.locale "ko" and remembers it on the member.
    const d = await interact(chatInput(minji, where(), 'points'));
    expect(only(d).data.content).toContain(ko.t('points:balance.self', { balance: 0, lifetime: 0, tier: ko.t('points:tierNames.Member') }).split(' · ')[0]);
    expect((await engine.db.prisma.member.findFirstOrThrow({ where: { displayName: 'minji' } })).locale).toBe('ko');

    // What the adapter says itself comes from the discord namespace in that language.
    const stale = await interact(buttonPress(minji, where(), 'enter_contest_7'));
    expect(only(stale).data).toMatchObject({ flags: EPHEMERAL, content: `⚠️ ${ko.t('discord:staleButton')}` });
    const dm = await interact(chatInput({ ...minji, locale: 'ja' }, where({ guildId: null }), 'points'));
    expect(only(dm).data.content).toBe(`⚠️ ${ja.t('discord:notInServer')}`);

    // A modal whose labels were dropped from a long custom_id labels its inputs from the catalog.
    const def = engine.commands.find((c) => c.name === 'challenge submit')!;
    const modal = buildModal({ command: 'challenge submit', args: { challenge: 1 }, fields: [{ name: 'proof', label: '' }] }, def, ko)!;
    expect((modal.components[0] as any).label).toBe(ko.t('commands:challenge submit.options.proof').slice(0, 45));
  });
});

describe('a reply that is a form', () => {
  const note = defineCommand({
    name: 'note',
    permission: 'member',
    options: { topic: opt.string(), body: opt.text({ max: 500 }) },
    async run(_ctx, a) {
      const form = { title: 'One more?', command: 'note', args: { topic: a.topic }, fields: [{ name: 'body', label: 'Another note' }] };
      return a.body === 'more' ? { text: 'Tell me more', form } : { text: `Noted on ${a.topic}: ${a.body}`, ephemeral: true };
    },
  });
  const ask = defineCommand({
    name: 'ask',
    permission: 'member',
    options: {},
    async run() {
      return { text: 'Leave a note', form: { title: 'Your note', command: 'note', args: { topic: 'ideas' }, fields: [{ name: 'body', label: 'Note', long: true }] } };
    },
  });

  it('opens a modal for a command reply, and falls back to a form button after a modal submit', async () => {
    await adapter.stop();
    const formEngine = new Engine(db, { commands: [ask, note] as unknown as CommandDef[], onError: (e) => errors.push(e) });
    adapter = new DiscordAdapter(formEngine, { token: token(), apiBase: fake.api, log: (m) => logs.push(m) });
    const d = await interact(chatInput(bob, where(), 'ask'));
    const modal = only(d);
    expect(modal).toMatchObject({ type: 9, data: { custom_id: 'e1:m:note:topic=ideas', title: 'Your note' } });
    expect(modal.data.components).toEqual([{ type: 18, label: 'Note', component: { type: 4, custom_id: 'body', style: 2, required: true, max_length: 500 } }]);

    const more = await interact(modalSubmit(bob, where(), modal.data.custom_id, { body: 'more' }));
    const r = only(more);
    expect(r.type).toBe(4); // a modal cannot answer a modal: the form becomes a button
    expect(r.data.content).toBe('Tell me more');
    const [formId] = buttonIds(r.data);
    expect(r.data.components[0].components[0]).toMatchObject({ label: 'One more?', style: 1 });
    const open = only(await interact(buttonPress(bob, where(), formId)));
    expect(open.data.components[0]).toMatchObject({ label: 'Another note', component: { style: 2, max_length: 500 } }); // text option -> paragraph
    const done = only(await interact(modalSubmit(bob, where(), open.data.custom_id, { body: 'ship it' })));
    expect(done.data).toMatchObject({ flags: EPHEMERAL, content: 'Noted on ideas: ship it' });
    expect(await db.prisma.processedEvent.count()).toBe(3); // opening a modal runs nothing
  });
});

describe('send (outbox)', () => {
  it('posts channel messages with button rows, reuses DM channels, and throws on failure so the outbox retries', async () => {
    const row = Array.from({ length: 7 }, (_, i) => ({ label: String(i), command: 'poll answer', args: { poll: 3, score: i } }));
    await adapter.send(channel, { text: 'Pick one', buttons: [row] });
    const [post] = fake.find('POST', `/channels/${CHANNEL}/messages`);
    expect(post.body.components.map((r: any) => r.components.length)).toEqual([4, 3]);
    expect(post.body.flags).toBeUndefined();

    await adapter.send({ kind: 'dm', userId: carol.id }, { text: 'hello' });
    await adapter.send({ kind: 'dm', userId: carol.id }, { text: 'again' });
    expect(fake.find('POST', '/users/@me/channels')).toHaveLength(1);
    expect(fake.find('POST', `/channels/9${carol.id}/messages`).map((r) => r.body.content)).toEqual(['hello', 'again']);

    // A failing channel: send throws, the outbox keeps the message pending with the error.
    await interact(chatInput(alice, where({}), 'contest', { sub: 'create', options: [{ name: 'prize', type: 3, value: 'Mug' }, { name: 'winners', type: 4, value: 1 }, { name: 'ends', type: 3, value: '1d' }] }));
    fake.failChannels.add(CHANNEL);
    await expect(adapter.send(channel, { text: 'x' })).rejects.toThrow(/Missing Access/);
    expect(await deliver()).toBe(0);
    const row1 = await db.prisma.outboxMessage.findFirstOrThrow();
    expect(row1).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row1.lastError).toContain('Missing Access');
    fake.failChannels.clear();
    expect(await deliver()).toBe(0); // not before its backoff
    await db.prisma.outboxMessage.updateMany({ data: { nextAt: null } }); // as if the wait had passed
    expect(await deliver()).toBe(1);
    expect((await db.prisma.outboxMessage.findFirstOrThrow()).status).toBe('sent');
  });
});

describe('send: addresses', () => {
  it('opens a DM channel for a dm address and posts to the thread for a thread address', async () => {
    await adapter.send({ kind: 'dm', userId: bob.id }, { text: 'Your proof was approved' });
    expect(fake.find('POST', '/users/@me/channels').map((r) => r.body)).toEqual([{ recipient_id: bob.id }]);
    expect(fake.find('POST', `/channels/9${bob.id}/messages`).map((r) => r.body.content)).toEqual(['Your proof was approved']);
    const THREAD = '1200000000000000077';
    await adapter.send({ kind: 'channel', channelId: CHANNEL, threadId: THREAD }, { text: 'In the thread' });
    expect(fake.find('POST', `/channels/${THREAD}/messages`).map((r) => r.body.content)).toEqual(['In the thread']);
    expect(fake.find('POST', `/channels/${CHANNEL}/messages`)).toHaveLength(0);
  });
});

describe('rendering and custom ids', () => {
  it('escapes markdown but keeps bold, mentions and URLs', () => {
    expect(toDiscordText('**Giveaway #3: *Nitro*_x_**\nWinner: <@123> see https://a.b/c_d_e')).toBe('**Giveaway #3: \\*Nitro\\*\\_x\\_**\nWinner: <@123> see https://a.b/c_d_e');
    expect(toDiscordText('# not a heading\n> no quote\n- no list')).toBe('\\# not a heading\n\\> no quote\n\\- no list');
    expect(toDiscordText('x'.repeat(3000)).length).toBe(2000);
    expect(toDiscordText('x'.repeat(3000), false, ko)).toMatch(new RegExp(`x…\\n-# ${ko.t('adapters:shortened').replace(/[()]/g, '\\$&')}$`));
    expect(toDiscordText('x'.repeat(2000))).toBe('x'.repeat(2000));
    expect(toDiscordText('nope', true)).toBe('⚠️ nope');
  });

  it('clips emoji-heavy text between graphemes, never inside a surrogate pair', () => {
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const text = toDiscordText('🎉'.repeat(1500));
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.endsWith(`🎉…\n-# ${lang('en').t('adapters:shortened')}`)).toBe(true);
    expect(loneSurrogate.test(text)).toBe(false);
    // A button label (80) of family emoji (ZWJ sequences) keeps whole families.
    const family = '👩‍👩‍👧‍👦';
    const body = messageBody({ text: 't', buttons: [[{ label: `x${family.repeat(20)}`, command: 'points', args: {} }]] });
    const label: string = (body.components[0].components[0] as any).label;
    expect(label.length).toBeLessThanOrEqual(80);
    expect(loneSurrogate.test(label)).toBe(false);
    expect(label.replace(/^x/, '').replace(/…$/, '').split(family).every((p) => p === '')).toBe(true);
  });

  it('encodes button ids compactly (<= 100 chars) and round-trips them', () => {
    const id = encodeRun('poll answer', { poll: 12, score: 9 })!;
    expect(id).toBe('e1:r:poll.answer:poll=12&score=9');
    expect(decodeCustomId(id)).toEqual({ kind: 'run', command: 'poll answer', args: { poll: '12', score: '9' } });
    const weird = encodeRun('give', { member: '<@1>', reason: 'a:b&c=d,e' })!;
    expect(decodeCustomId(weird)).toEqual({ kind: 'run', command: 'give', args: { member: '<@1>', reason: 'a:b&c=d,e' } });
    // A long form id drops the labels, then the title, to fit.
    const form = { title: 'A very long title for a modal form', command: 'poll comment', args: { poll: 123456 }, fields: [{ name: 'comment', label: 'What is the main reason for your score?', long: true, maxLength: 1000 }] };
    const f = encodeForm(form)!;
    expect(f.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
    expect(decodeCustomId(f)).toMatchObject({ kind: 'form', command: 'poll comment', title: form.title, fields: [{ name: 'comment', long: true, maxLength: 1000, label: '' }] });
    expect(decodeCustomId('e1:f:note::body?.20')).toEqual({ kind: 'form', command: 'note', args: {}, title: undefined, fields: [{ name: 'body', label: '', long: undefined, required: false, maxLength: 20 }] });
    expect(encodeRun('give', { reason: 'x'.repeat(120) })).toBeNull();
    expect(decodeCustomId('e1:r:poll.answer:poll')).toBeNull();
    expect(decodeCustomId('random')).toBeNull();
    // Too-long buttons are dropped (and logged) rather than breaking the message.
    const body = messageBody({ text: 't', buttons: [[{ label: 'ok', command: 'points', args: {} }, { label: 'long', command: 'give', args: { reason: 'x'.repeat(120) } }]] }, { log: (m) => logs.push(m) });
    expect(buttonIds(body)).toEqual(['e1:r:points:']);
    expect(logs.some((l) => l.includes('dropped'))).toBe(true);
  });
});

describe('sharding', () => {
  it('only shard 0 (or an unsharded process) owns the scheduler, outbox and registration', async () => {
    expect(ownsBackgroundWork(undefined)).toBe(true);
    expect(ownsBackgroundWork('auto')).toBe(true);
    expect(ownsBackgroundWork([0])).toBe(true);
    expect(ownsBackgroundWork([0, 1])).toBe(true);
    expect(ownsBackgroundWork([1])).toBe(false);
    expect(ownsBackgroundWork(2)).toBe(false);
    expect(adapter.ownsBackgroundWork).toBe(true);
    const shard1 = new DiscordAdapter(engine, { token: token(), apiBase: fake.api, client: { shards: [1], shardCount: 2 } });
    expect(shard1.ownsBackgroundWork).toBe(false);
    await shard1.stop();
  });

  it('creates a ShardingManager that runs the bot entry and keeps other platforms on shard 0', () => {
    const saved = { ...process.env };
    process.env.SLACK_BOT_TOKEN = 'xoxb-test';
    process.env.TELEGRAM_BOT_TOKEN = '1:abc';
    try {
      const manager = createShardManager({ token: token(), totalShards: 2 });
      expect(manager.totalShards).toBe(2);
      const s0 = manager.createShard(0);
      const s1 = manager.createShard(1);
      expect(s0.execArgv).toEqual(['--import', 'tsx']);
      expect(manager.file).toMatch(/src\/main\.ts$/);
      expect(s0.env).toMatchObject({ SHARDS: 0, SHARD_COUNT: 2, SLACK_BOT_TOKEN: 'xoxb-test', TELEGRAM_BOT_TOKEN: '1:abc' });
      expect(s1.env).toMatchObject({ SHARDS: 1, SHARD_COUNT: 2, DISCORD_TOKEN: token() });
      for (const k of SHARD0_ONLY_ENV) expect(s1.env).not.toHaveProperty(k);
    } finally {
      process.env = saved;
    }
  });

  it('createAdapter builds the adapter from the config', async () => {
    const a = await createAdapter(engine, { DISCORD_TOKEN: token(), DISCORD_GUILD_ID: GUILD, SLACK_PORT: 3001, PORT: 3000, TELEGRAM_PORT: 8443, LOG_LEVEL: 'info', START_TIMEOUT_S: 30, STOP_TIMEOUT_S: 10, console: false, platforms: ['discord'] });
    expect(a.platform).toBe('discord');
    expect((a as DiscordAdapter).commands.length).toBe(engine.commandGroups().size);
    // Activity, join/leave and invite intents; the privileged MessageContent only when DISCORD_MESSAGE_CONTENT=true.
    const intents = (x: unknown) => (x as DiscordAdapter).client.options.intents;
    const base = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.GuildMessageReactions | GatewayIntentBits.GuildVoiceStates
      | GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildInvites;
    expect(intents(a).bitfield).toBe(base);
    await a.stop();
    const withContent = await createAdapter(engine, loadConfig({ DISCORD_TOKEN: token(), DISCORD_MESSAGE_CONTENT: 'true' }));
    expect(intents(withContent).bitfield).toBe(base | GatewayIntentBits.MessageContent);
    await withContent.stop();
    expect(() => loadConfig({ DISCORD_TOKEN: token(), DISCORD_MESSAGE_CONTENT: 'maybe' })).toThrow(/DISCORD_MESSAGE_CONTENT must be true or false/);
    // This process's share of the shards: shard 1 of 2 does not register the commands.
    const shard1 = await createAdapter(engine, loadConfig({ DISCORD_TOKEN: token(), DISCORD_SHARDS: '1', DISCORD_SHARD_COUNT: '2' })) as DiscordAdapter;
    expect(shard1.client.options).toMatchObject({ shards: [1], shardCount: 2 });
    expect(shard1.ownsBackgroundWork).toBe(false);
    await shard1.stop();
  });
});

describe('Discord limits', () => {
  const callback = (data: unknown, type = 4) => checkRequest('POST', '/interactions/1/tok/callback', { type, data });

  it('answers /poll results with 25 long comments in one message, visibly shortened in the reader\'s language', async () => {
    await interact(chatInput(alice, where(), 'poll', { sub: 'create', options: [{ name: 'question', type: 3, value: 'Would you recommend us?' }] }));
    // ~990 UTF-16 units each: ZWJ emoji, Korean, and markdown that gets escaped (\* \_).
    const comment = (i: number) => clip(`c${i}: ` + `${FAMILY} 정말 *좋아요* _빠른_ 답변! `.repeat(40), 990);
    for (let i = 0; i < 25; i++) {
      const who: Who = { id: String(3000000000000000000n + BigInt(i)), username: `m${i}`, permissions: PERMS.member };
      const d = await interact(chatInput(who, where(), 'poll', { sub: 'answer', options: [{ name: 'poll', type: 4, value: 1 }, { name: 'score', type: 4, value: i % 11 }, { name: 'comment', type: 3, value: comment(i) }] }));
      expect(only(d).data.content).toContain('poll #1');
    }
    const koMod: Who = { ...minji, id: '2000000000000000009', username: 'jisoo', permissions: PERMS.manageGuild };
    for (const [who, L] of [[alice, lang('en')], [koMod, ko]] as const) {
      const d = await interact(chatInput(who, where(), 'poll', { sub: 'results', options: [{ name: 'poll', type: 4, value: 1 }, { name: 'comments', type: 4, value: 25 }] }));
      const { data } = only(d);
      expect(data.flags).toBe(EPHEMERAL);
      expect(data.content.length).toBeLessThanOrEqual(discordLimits.content);
      expect(data.content.length).toBeGreaterThan(1900); // filled, not cut short
      const [body, note] = data.content.split(/\n-# (?=[^\n]*$)/);
      expect(note).toBe(L.t('adapters:shortened'));
      expect(body.endsWith('…')).toBe(true);
      expect(body).toContain('c24: '); // newest first
      expect(body).toContain('\\*좋아요\\* \\_빠른\\_');
      expect(body).not.toContain('\\…'); // an escape is never cut in half
      expect(body.replaceAll(FAMILY, '')).not.toContain('\u200d');
      expect(body).not.toMatch(LONE_SURROGATE);
    }
  });

  it('keeps long replies, many buttons, long labels and big forms within Discord\'s limits', async () => {
    const label = `${FAMILY.repeat(3)} 아주 긴 버튼 이름입니다 `.repeat(5);
    const rows = Array.from({ length: 4 }, (_, r) => Array.from({ length: 7 }, (_, i) => ({ label, command: 'poll answer', args: { poll: r, score: i } })));
    const reply = { text: `**${'제목 '.repeat(50)}**\n${`${FAMILY} 한국어 *별표* 댓글\n`.repeat(300)}`, buttons: rows };
    await adapter.send(channel, reply);
    const [post] = fake.find('POST', `/channels/${CHANNEL}/messages`);
    expect(post.body.content.length).toBeLessThanOrEqual(discordLimits.content);
    expect(post.body.content.endsWith(`\n-# ${lang('en').t('adapters:shortened')}`)).toBe(true);
    expect(post.body.components.length).toBeLessThanOrEqual(discordLimits.actionRows);
    for (const row of post.body.components) {
      expect(row.components.length).toBeLessThanOrEqual(discordLimits.buttonsPerRow);
      for (const b of row.components) {
        expect(b.label.length).toBeLessThanOrEqual(discordLimits.buttonLabel);
        expectCutBetweenGraphemes(b.label, label.trim());
      }
    }
    // Rows past the fifth are left out and logged, not sent.
    expect(logs.some((l) => l.includes('button row(s) dropped'))).toBe(true);

    // A form with a long title and labels, and more fields than a modal holds.
    const title = `${FAMILY}${'설문 조사 양식'.normalize('NFD')} for the whole community, please`;
    const fields = Array.from({ length: 7 }, (_, i) => ({ name: `f${i}`, label: `${FAMILY} ${'질문 '.repeat(30)}${i}`, maxLength: 9000 }));
    const modal = buildModal({ command: 'poll comment', args: { poll: 1 }, fields, title })!;
    expect(callback(modal, 9)).toBeNull();
    expect(modal.title.length).toBeLessThanOrEqual(discordLimits.modalTitle);
    expectCutBetweenGraphemes(modal.title, title);
    expect(modal.components).toHaveLength(discordLimits.modalComponents);
    for (const c of modal.components as any[]) expectCutBetweenGraphemes(c.label, fields[0].label);
    // A blank title falls back to the command, never an empty title.
    expect(buildModal({ command: 'poll comment', args: { poll: 1 }, fields, title: '   ' })!.title).toBe('/poll comment');
  });

  it('clips emoji ZWJ sequences, flags and Korean (also decomposed) only between graphemes, at every length', () => {
    const samples = [FAMILY.repeat(12), '한국어 텍스트입니다 '.repeat(6), '한국어 텍스트'.normalize('NFD').repeat(6), '🇰🇷🇯🇵👍🏽'.repeat(10), `${FAMILY}가\u0301\\*`.repeat(8)];
    for (const src of samples) {
      for (let max = 1; max <= src.length + 1; max++) {
        const out = clip(src, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 1));
        expectCutBetweenGraphemes(out, src);
        expect(out).not.toMatch(LONE_SURROGATE);
      }
    }
    // Discord text keeps "\*" escapes whole when it cuts.
    for (let n = 1990; n < 2000; n++) {
      const t = toDiscordText(`${'가'.repeat(n)}${'*'.repeat(60)}`);
      expect(t.length).toBeLessThanOrEqual(2000);
      expect(t).not.toContain('\\…');
    }
  });

  it('the fake Discord refuses what Discord refuses, with 400 Invalid Form Body (50035)', async () => {
    const button = (label: string, custom_id: string) => ({ type: 2, style: 1, label, custom_id });
    const row = (...components: unknown[]) => ({ type: 1, components });
    expect(callback({ content: 'x'.repeat(2001) })).toEqual({ code: 50035, message: 'Invalid Form Body', errors: { data: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } } });
    expect(callback({ content: 'x'.repeat(2000) })).toBeNull();
    expect(callback({ content: 'x', components: Array.from({ length: 6 }, (_, i) => row(button('b', `id${i}`))) })?.errors).toMatchObject({ data: { components: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
    expect(callback({ content: 'x', components: [row(...Array.from({ length: 6 }, (_, i) => button('b', `id${i}`)))] })?.errors).toMatchObject({ data: { components: { 0: { components: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } } } });
    expect(callback({ content: 'x', components: [row(button('b'.repeat(81), 'a'))] })?.errors).toMatchObject({ data: { components: { 0: { components: { 0: { label: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } } } });
    expect(callback({ content: 'x', components: [row(button('b', 'c'.repeat(101)))] })?.errors).toMatchObject({ data: { components: { 0: { components: { 0: { custom_id: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } } } } } });
    expect(callback({ content: 'x', components: [row(button('b', 'same'), button('c', 'same'))] })?.errors).toMatchObject({ data: { components: { 0: { components: { 1: { custom_id: { _errors: [{ code: 'COMPONENT_CUSTOM_ID_DUPLICATED' }] } } } } } } });
    expect(callback({ content: 'x', embeds: [{ title: 't'.repeat(257) }] })?.errors).toMatchObject({ data: { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
    expect(callback({ content: 'x', embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] })?.errors).toMatchObject({ data: { embeds: { _errors: [{ message: 'Embed size exceeds maximum size of 6000' }] } } });
    expect(callback({})).toEqual({ code: 50006, message: 'Cannot send an empty message' });
    const input = (label: string) => ({ type: 18, label, component: { type: 4, custom_id: label.slice(0, 5) || 'x', style: 1 } });
    expect(callback({ custom_id: 'm', title: 't'.repeat(46), components: [input('ok')] }, 9)?.errors).toMatchObject({ data: { title: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } });
    expect(callback({ custom_id: 'm', title: 't', components: [input('l'.repeat(46))] }, 9)?.errors).toMatchObject({ data: { components: { 0: { label: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } } } });
    expect(callback({ custom_id: 'm', title: 't', components: Array.from({ length: 6 }, (_, i) => input(`in${i}`)) }, 9)?.errors).toMatchObject({ data: { components: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } });

    // Over HTTP: the status and body discord.js turns into a DiscordAPIError, and the adapter's send() throws.
    const res = await fetch(`${fake.api}/v10/channels/${CHANNEL}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: 'x'.repeat(2001) }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 50035, message: 'Invalid Form Body', errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
    await expect(adapter.client.rest.post(`/channels/${CHANNEL}/messages`, { body: { content: 'x', components: [row(button('b'.repeat(81), 'a'))] } })).rejects.toThrow(/Invalid Form Body/);
    expect(fake.refusals).toHaveLength(2);
    fake.refusals.length = 0;
  });
});

describe('activity points', () => {
  const VOICE = '1200000000000000010';
  const AFK = '1200000000000000011';
  const botUser: Member = { id: '2000000000000000099', username: 'otherbot', bot: true };
  let now: number;
  let activity: MockInstance<Engine['activity']>;
  const events = () => activity.mock.calls.map((c) => c[0]);

  async function gateway(t: string, d: unknown) {
    dispatch(adapter.client, t, d);
    await adapter.idle();
  }

  async function connect(opts: { messageContent?: boolean; voiceStates?: { userId: string; channelId: string; sessionId: string }[] } = {}) {
    await adapter.stop();
    now = Date.parse('2026-03-01T12:00:00Z');
    adapter = new DiscordAdapter(engine, {
      token: token(), applicationId: fake.applicationId, apiBase: fake.api, log: (m) => logs.push(m),
      messageContent: opts.messageContent, now: () => now,
    });
    dispatch(adapter.client, 'READY', ready(fake.applicationId, [GUILD]));
    await gateway('GUILD_CREATE', guildCreate({
      id: GUILD, name: 'Acme', textChannelId: CHANNEL, voiceChannelIds: [VOICE, AFK], afkChannelId: AFK,
      members: [alice, bob, carol, botUser], voiceStates: opts.voiceStates,
    }));
  }

  beforeEach(() => {
    activity = vi.spyOn(engine, 'activity');
  });

  it('a member\'s message in a server channel is a message event; with MessageContent it carries the visible length', async () => {
    await connect({ messageContent: true });
    const m = guildMessage(bob, { guildId: GUILD, channelId: CHANNEL }, '  Hello <@2000000000000000001>  👨‍👩‍👧 <:party:1300000000000000123>!  ');
    await gateway('MESSAGE_CREATE', m);
    expect(events()).toEqual([{
      platform: 'discord', communityKey: GUILD, communityName: 'Acme', address: channel, kind: 'message', eventId: m.id,
      actor: { platform: 'discord', userId: bob.id, displayName: 'Bobby', username: 'bob' },
      // "Hello", space, mention, space, family emoji, space, custom emoji, "!"
      length: 12,
    }]);
  });

  it('without MessageContent the message event has no length; bots, webhooks, system messages and DMs earn nothing', async () => {
    await connect();
    const m = guildMessage(alice, { guildId: GUILD, channelId: CHANNEL }, '');
    await gateway('MESSAGE_CREATE', m);
    await gateway('MESSAGE_CREATE', guildMessage(botUser, { guildId: GUILD, channelId: CHANNEL }, 'beep'));
    await gateway('MESSAGE_CREATE', guildMessage(carol, { guildId: GUILD, channelId: CHANNEL }, 'hook', { webhook_id: '1500000000000000001' }));
    await gateway('MESSAGE_CREATE', guildMessage(carol, { guildId: GUILD, channelId: CHANNEL }, '', { type: 7 })); // member joined
    const dmChannel = '1200000000000000099';
    dispatch(adapter.client, 'CHANNEL_CREATE', { id: dmChannel, type: 1, last_message_id: null, recipients: [{ id: carol.id, username: 'carol', discriminator: '0', global_name: null, avatar: null }] });
    const { guild_id: _g, member: _m, ...dm } = guildMessage(carol, { guildId: GUILD, channelId: dmChannel }, 'hi in private');
    await gateway('MESSAGE_CREATE', dm);
    expect(events()).toHaveLength(1);
    const e = events()[0];
    expect(e).toMatchObject({ kind: 'message', eventId: m.id, actor: { userId: alice.id, displayName: 'Alice (mod)', platformRole: 'admin' } });
    expect(e).not.toHaveProperty('length');
  });

  it('a reaction, even on a message sent before the bot started, is a reaction event per message, person and emoji; a bot\'s is not', async () => {
    await connect();
    const where = { guildId: GUILD, channelId: CHANNEL, messageId: '1300000000000000777' };
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(carol, where, { name: '👍' }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(carol, where, { id: '1300000000000000123', name: 'party' }));
    await gateway('MESSAGE_REACTION_ADD', reactionAdd(botUser, where, { name: '👍' }));
    expect(events().map((e) => [e.kind, e.eventId, e.actor.userId, e.address])).toEqual([
      ['reaction', `${where.messageId}:${carol.id}:👍`, carol.id, channel],
      ['reaction', `${where.messageId}:${carol.id}:1300000000000000123`, carol.id, channel],
    ]);
    expect(events()[0]).toMatchObject({ communityKey: GUILD, communityName: 'Acme', actor: { displayName: 'carol', username: 'carol' } });
  });

  it('minutes in voice: counted while not alone, muted or deafened, reported every 5 minutes and on leaving', async () => {
    await connect();
    const minute = 60_000;
    await gateway('VOICE_STATE_UPDATE', voiceState(alice, GUILD, VOICE, 'va'));
    now += 10 * minute; // alone: nothing counts
    await gateway('VOICE_STATE_UPDATE', voiceState(bob, GUILD, VOICE, 'vb'));
    await gateway('VOICE_STATE_UPDATE', voiceState(botUser, GUILD, VOICE, 'vbot'));
    now += 5 * minute + 30_000;
    adapter.reportVoice(); // the 5-minute report
    await adapter.idle();
    await gateway('VOICE_STATE_UPDATE', voiceState(bob, GUILD, VOICE, 'vb', { selfDeaf: true }));
    now += 20 * minute; // bob deafened: alice is as good as alone, neither counts
    await gateway('VOICE_STATE_UPDATE', voiceState(bob, GUILD, VOICE, 'vb', { selfMute: true }));
    now += 4 * minute; // bob muted: he does not count, alice (he listens) does
    await gateway('VOICE_STATE_UPDATE', voiceState(bob, GUILD, VOICE, 'vb'));
    now += 2 * minute;
    await gateway('VOICE_STATE_UPDATE', voiceState(bob, GUILD, null, 'vb')); // bob leaves: his rest is reported
    now += 3 * minute; // alice alone again
    await gateway('VOICE_STATE_UPDATE', voiceState(alice, GUILD, null, 'va'));
    const voice = events().map((e) => [e.actor.userId, e.eventId, e.minutes, e.address]);
    const at = { kind: 'channel', channelId: VOICE };
    expect(voice).toEqual([
      [alice.id, 'va:1', 5, at],
      [bob.id, 'vb:1', 5, at],
      [bob.id, 'vb:2', 2, at], // 30 s carried over + 2 minutes
      [alice.id, 'va:2', 6, at], // 30 s + 4 + 2 minutes
    ]);
    expect(events().every((e) => e.kind === 'voice' && e.communityKey === GUILD)).toBe(true);
  });

  it('moving channels reports the minutes where they were spent; the AFK channel, members found in voice at start-up, leaves never seen', async () => {
    await connect({ voiceStates: [{ userId: alice.id, channelId: VOICE, sessionId: 'va' }, { userId: carol.id, channelId: VOICE, sessionId: 'vc' }] });
    dispatch(adapter.client, 'READY', ready(fake.applicationId)); // a reconnect must not start them twice
    adapter.client.emit('clientReady' as never, adapter.client as never);
    now += 3 * 60_000;
    await gateway('VOICE_STATE_UPDATE', voiceState(alice, GUILD, AFK, 'va'));
    now += 30 * 60_000; // carol alone: her clock stopped at 3 minutes
    // Carol left while the bot was disconnected (no leave seen): her session ends with what was counted before.
    adapter.client.guilds.cache.get(GUILD)!.voiceStates.cache.delete(carol.id);
    adapter.reportVoice();
    await adapter.stop(); // reports what is left (alice, in the AFK channel: nothing)
    const voice = events().map((e) => [e.actor.userId, e.eventId, e.minutes, (e.address as { channelId: string }).channelId]);
    // Sessions found at start-up get a suffix, so a restart never reuses an earlier run's report numbers.
    expect(voice).toEqual([
      [alice.id, expect.stringMatching(/^va~\w+:1$/), 3, VOICE],
      [carol.id, expect.stringMatching(/^vc~\w+:1$/), 3, VOICE],
    ]);
  });
});
