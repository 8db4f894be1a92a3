import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { Clock, DAY, freshSqlite, seeded } from './helpers.js';
import { DiscordAdapter } from '../adapters/discord/index.js';
import {
  FakeDiscord, PERMS, chatInput, dispatch, fakeToken, guildCreate, inviteCreate, inviteDelete, memberAdd, memberRemove, ready, type FakeInvite, type Member,
} from './fakes/discord.js';

const GUILD = '1000000000000000001';
const CHANNEL = '1200000000000000001';
const DISCORD_EPOCH = 1_420_070_400_000;
let nextLowBits = 1n;
/** A Discord user id that encodes when the account was created (a snowflake's top bits are its time). */
const userIdAt = (created: Date) => String((BigInt(created.getTime() - DISCORD_EPOCH) << 22n) | nextLowBits++);
const user = (username: string, created: Date, extra: Partial<Member> = {}): Member =>
  ({ id: userIdAt(created), username, permissions: PERMS.member, ...extra });

let fake: FakeDiscord;
let db: Database;
let engine: Engine;
let adapter: DiscordAdapter;
let clock: Clock;
let cleanup: () => void;
let errors: unknown[];
let logs: string[];

const token = () => fakeToken(fake);
const longAgo = new Date('2021-06-01T00:00:00Z');
let alice: Member, bob: Member;

/** Feeds a raw gateway packet through discord.js's own dispatcher, as a connected shard receives it. */
async function gateway(t: string, d: unknown) {
  dispatch(adapter.client, t, d);
  await adapter.idle();
}

async function connect(invites: FakeInvite[]) {
  fake.invites.set(GUILD, invites);
  await gateway('READY', ready(fake.applicationId, [GUILD]));
  await gateway('GUILD_CREATE', guildCreate({ id: GUILD, name: 'Acme', textChannelId: CHANNEL, voiceChannelIds: [], members: [] }));
}

/** Sets the uses Discord now reports for a code (as a join through it would). */
const setUses = (code: string, uses: number) => { fake.invites.get(GUILD)!.find((i) => i.code === code)!.uses = uses; };
const join = (who: Member) => gateway('GUILD_MEMBER_ADD', memberAdd(who, GUILD, clock.now()));
const presenceOf = (who: Member) => db.prisma.presence.findFirst({ where: { platform: 'discord', platformUserId: who.id } });
const memberIdOf = async (who: Member) => (await db.prisma.identity.findFirstOrThrow({ where: { platform: 'discord', platformUserId: who.id } })).memberId;

/** Runs /invites show and returns the reply text. */
async function invitesReply(who: Member): Promise<string> {
  const d = chatInput(who, { applicationId: fake.applicationId, channelId: CHANNEL }, 'invites', { sub: 'show' });
  await gateway('INTERACTION_CREATE', d);
  const [cb] = fake.find('POST', `/interactions/${d.id}/${d.token}/callback`);
  return cb.body.data.content;
}

beforeEach(async () => {
  fake = await new FakeDiscord().start();
  const s = await freshSqlite();
  cleanup = s.cleanup;
  db = await openDatabase(s.url);
  errors = [];
  logs = [];
  clock = new Clock('2026-11-25T12:00:00Z');
  engine = new Engine(db, { commands: allCommands, now: clock.now, random: seeded(), onError: (e) => errors.push(e) });
  adapter = new DiscordAdapter(engine, { token: token(), applicationId: fake.applicationId, apiBase: fake.api, log: (m) => logs.push(m) });
  alice = user('alice', longAgo);
  bob = user('bob', longAgo);
});

afterEach(async () => {
  await adapter.stop();
  await db.close();
  cleanup();
  await fake.stop();
  expect(errors).toEqual([]);
  expect(fake.refusals).toEqual([]);
  expect(logs.filter((l) => l.includes('failed'))).toEqual([]);
});

describe('Discord invite attribution', () => {
  it('reads the invites at start; a join is credited to the creator of the one invite whose uses went up, a leave counts as left', async () => {
    await connect([{ code: 'alice1', uses: 2, inviter: alice }, { code: 'bob1', uses: 0, inviter: bob }]);
    expect(fake.find('GET', `/guilds/${GUILD}/invites`)).toHaveLength(1);
    expect(adapter.invites.uses(GUILD)).toEqual(new Map([['alice1', 2], ['bob1', 0]]));

    // Through the vanity URL (or an invite the bot cannot see): no uses change, nobody is credited.
    await join(alice);
    await join(bob);
    expect(await presenceOf(alice)).toMatchObject({ inviterId: null, inviteCode: null, joins: 1, accountCreatedAt: longAgo });

    clock.advance(60_000);
    const dave = user('dave', longAgo);
    setUses('alice1', 3);
    await join(dave);
    expect(await presenceOf(dave)).toMatchObject({ inviterId: await memberIdOf(alice), inviteCode: 'alice1', fake: false, joinedAt: clock.now(), leftAt: null });
    expect(adapter.invites.uses(GUILD)?.get('alice1')).toBe(3);

    clock.advance(60_000);
    await gateway('GUILD_MEMBER_REMOVE', memberRemove(dave, GUILD));
    expect(await presenceOf(dave)).toMatchObject({ leftAt: clock.now() });
    expect(await invitesReply(alice)).toBe('📨 **Your invites**\nJoined with them: 1 · still here: 0 · left: 1 · fake (accounts too new): 0');

    // Two codes used between two looks: it cannot be told which was whose; bots are not members.
    setUses('alice1', 4);
    setUses('bob1', 1);
    const erin = user('erin', longAgo);
    await join(erin);
    expect(await presenceOf(erin)).toMatchObject({ inviterId: null });
    await join(user('helper', longAgo, { bot: true }));
    expect(await db.prisma.presence.count()).toBe(4);
  });

  it('follows invites created and deleted after start; a single-use invite used up before the join is seen still counts; new accounts are fake', async () => {
    await connect([]);
    await join(bob);
    await gateway('INVITE_CREATE', inviteCreate(GUILD, { code: 'bobNew', uses: 0, inviter: bob }));
    expect(adapter.invites.uses(GUILD)?.get('bobNew')).toBe(0);

    fake.invites.set(GUILD, [{ code: 'bobNew', uses: 1, inviter: bob }]);
    const fresh = user('fresh', new Date(clock.now().getTime() - DAY));
    await join(fresh);
    expect(await presenceOf(fresh)).toMatchObject({ inviterId: await memberIdOf(bob), inviteCode: 'bobNew', fake: true });

    await gateway('INVITE_CREATE', inviteCreate(GUILD, { code: 'once', uses: 0, maxUses: 1, inviter: bob }));
    // Discord deletes the invite as it is used up, and says so before the join arrives.
    await gateway('INVITE_DELETE', inviteDelete(GUILD, 'once'));
    const frank = user('frank', longAgo);
    await join(frank);
    expect(await presenceOf(frank)).toMatchObject({ inviterId: await memberIdOf(bob), inviteCode: 'once', fake: false });
    expect(adapter.invites.uses(GUILD)?.has('once')).toBe(false);

    // A revoked invite is forgotten: a later join that moves no invite credits nobody.
    await gateway('INVITE_DELETE', inviteDelete(GUILD, 'bobNew'));
    fake.invites.set(GUILD, []);
    const gus = user('gus', longAgo);
    await join(gus);
    expect(await presenceOf(gus)).toMatchObject({ inviterId: null });
    expect(await invitesReply(bob)).toBe('📨 **Your invites**\nJoined with them: 2 · still here: 1 · left: 0 · fake (accounts too new): 1');
  });

  it('without Manage Server the invites cannot be read: said once in the log, joins are recorded and credited to nobody', async () => {
    fake.hiddenInvites.add(GUILD);
    await connect([{ code: 'alice1', uses: 0, inviter: alice }]);
    await join(alice);
    const dave = user('dave', longAgo);
    setUses('alice1', 1);
    await join(dave);
    expect(await presenceOf(dave)).toMatchObject({ inviterId: null, joins: 1 });
    expect(logs.filter((l) => l.includes('cannot read the invites'))).toHaveLength(1);
    expect(adapter.invites.uses(GUILD)).toBeUndefined();
  });
});
