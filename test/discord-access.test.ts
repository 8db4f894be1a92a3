import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import type { Role } from '../src/core/types.js';
import { allCommands } from '../commands/index.js';
import { Clock, freshSqlite, seeded } from './helpers.js';
import { DiscordAdapter } from '../adapters/discord/index.js';
import { FakeDiscord, PERMS, dispatch, fakeToken, guildCreate, ready, type Member } from './fakes/discord.js';

const GUILD = '1000000000000000001';
const CHANNEL = '1200000000000000001';
const SILVER_ROLE = '3100000000000000001';
const BOT_ROLE = '3100000000000000002';
const TOP_ROLE = '3100000000000000003';
const MANAGE_ROLES = String((1n << 10n) | (1n << 11n) | (1n << 28n));

const bob: Member = { id: '2000000000000000002', username: 'bob', permissions: PERMS.member };

let fake: FakeDiscord;
let db: Database;
let engine: Engine;
let adapter: DiscordAdapter;
let cleanup: () => void;
let errors: unknown[];

const token = () => fakeToken(fake);

/** Runs a command typed in the server's channel. */
const run = (who: { id: string; username: string }, line: string, platformRole?: Role) => {
  const m = /^\/(\S+(?: (?:add|edit|remove|list))?)\s*([\s\S]*)$/.exec(line)!;
  return engine.handle({
    platform: 'discord', communityKey: GUILD, communityName: 'Acme', address: { kind: 'channel', channelId: CHANNEL },
    actor: { platform: 'discord', userId: who.id, displayName: who.username, username: who.username, platformRole },
    command: m[1], args: m[2],
  });
};
const boss = { id: '2000000000000000001', username: 'boss' };

beforeEach(async () => {
  fake = await new FakeDiscord().start();
  const s = await freshSqlite();
  cleanup = s.cleanup;
  db = await openDatabase(s.url);
  errors = [];
  engine = new Engine(db, { commands: allCommands, now: new Clock(new Date().toISOString()).now, random: seeded(), onError: (e) => errors.push(e) });
  adapter = new DiscordAdapter(engine, { token: token(), applicationId: fake.applicationId, apiBase: fake.api, log: () => {} });
  // The server: Silver's role sits below the bot's role (which may manage roles), another role above it.
  const everyone = { id: GUILD, name: '@everyone', permissions: PERMS.member, position: 0 };
  const roles = [everyone, { id: SILVER_ROLE, name: 'Silver', permissions: PERMS.member, position: 1 }, { id: BOT_ROLE, name: 'engage', permissions: MANAGE_ROLES, position: 2 }, { id: TOP_ROLE, name: 'Top', permissions: PERMS.member, position: 3 }];
  fake.guildRoles.set(GUILD, roles);
  const g = guildCreate({ id: GUILD, name: 'Acme', textChannelId: CHANNEL, voiceChannelIds: [], members: [bob, { id: fake.applicationId, username: 'engage', bot: true }] });
  g.roles = roles.map((r) => ({ ...g.roles[0], ...r }));
  g.members[1].roles = [BOT_ROLE];
  dispatch(adapter.client, 'READY', ready(fake.applicationId, [GUILD]));
  dispatch(adapter.client, 'GUILD_CREATE', g);
  await run(bob, '/points');
});

afterEach(async () => {
  await adapter.stop();
  await db.close();
  cleanup();
  await fake.stop();
  expect(errors).toEqual([]);
});

/** What the runtime's pump does for Discord. */
const deliverAccess = () => engine.deliverAccess('discord', (t) => adapter.applyAccess(t));
const held = () => [...(fake.memberRoles.get(`${GUILD}/${bob.id}`) ?? [])];

describe('tier roles on Discord', () => {
  it('gives the role when the member reaches the tier and takes it away after /take', async () => {
    expect((await run(boss, `/tier edit Silver discord_role:<@&${SILVER_ROLE}>`, 'admin')).error).toBeUndefined();
    await run(boss, `/give <@${bob.id}> 600`, 'admin');
    expect(await deliverAccess()).toBe(1);
    expect(fake.find('PUT', `/guilds/${GUILD}/members/${bob.id}/roles/${SILVER_ROLE}`)).toHaveLength(1);
    expect(held()).toEqual([SILVER_ROLE]);
    expect(await deliverAccess()).toBe(0);
    await run(boss, `/take <@${bob.id}> 200`, 'admin');
    expect(await deliverAccess()).toBe(1);
    expect(fake.find('DELETE', `/guilds/${GUILD}/members/${bob.id}/roles/${SILVER_ROLE}`)).toHaveLength(1);
    expect(held()).toEqual([]);
    expect((await db.prisma.accessEvent.findMany({ orderBy: { id: 'asc' } })).map((e) => `${e.action}:${e.outcome}`)).toEqual(['grant:done', 'remove:done']);
  });

  it('a role above the bot\'s is reported to moderators without asking Discord; a refused request is reported too', async () => {
    await run(boss, '/role <@2000000000000000001> admin', 'admin');
    await run(boss, `/tier edit Gold discord_role:${TOP_ROLE}`, 'admin');
    await run(boss, `/tier edit Silver discord_role:${SILVER_ROLE}`, 'admin');
    fake.refuseRoles.add(SILVER_ROLE);
    await run(boss, `/give <@${bob.id}> 2500`, 'admin');
    expect(await deliverAccess()).toBe(2);
    expect(fake.find('PUT', new RegExp(`/roles/${TOP_ROLE}$`))).toEqual([]);
    expect(fake.find('PUT', new RegExp(`/roles/${SILVER_ROLE}$`))).toHaveLength(1);
    const grants = await db.prisma.accessGrant.findMany({ orderBy: { target: 'asc' } });
    expect(grants.map((g) => [g.target, g.state])).toEqual([[SILVER_ROLE, 'pending'], [TOP_ROLE, 'pending']]);
    const events = (await db.prisma.accessEvent.findMany({ orderBy: { target: 'asc' } })).filter((e) => e.outcome !== 'reported');
    expect(events.map((e) => e.outcome)).toEqual(['noPermission', 'noPermission']);
    expect(events[1].detail).toContain('above the bot');
    // Each target is reported to the admin once, by direct message.
    fake.clear();
    await engine.deliverOutbox('discord', (to, r) => adapter.send(to, r));
    const dms = fake.find('POST', /^\/channels\/9\d+\/messages$/).map((r) => r.body.content as string);
    expect(dms.filter((t) => t.includes('could not change'))).toHaveLength(2);
    expect(dms.some((t) => t.includes(`Discord role ${TOP_ROLE} of tier Gold`))).toBe(true);
  });
});
