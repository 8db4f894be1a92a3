import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { LogLevel } from '@slack/bolt';
import { freshSqlite, seeded, Clock } from './helpers.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { SlackAdapter } from '../adapters/slack/index.js';
import { FakeSlack, post, signedForm, signedJson, type FakeGrant } from './fakes/slackApi.js';

/**
 * Slack distribution with a community spanning several workspaces: the outbox names every bound workspace
 * (SendMeta.spaces) and the adapter sends with the token of the workspace holding the channel or member, then goes
 * straight there. Org-wide installs: the workspace -> org link survives a restart (an alias row in the database).
 */

const SECRET = 'test-signing-secret';
const STATE_SECRET = 'state-secret-0123456789abcdef';

let fake: FakeSlack;
let db: Database;
let clock: Clock;
let engine: Engine;
let adapter: SlackAdapter;
let cleanup: () => void;
let errors: unknown[];
let logged: string[];
let seq = 0;
const quiet = {
  debug: () => undefined, info: () => undefined,
  warn: (...m: unknown[]) => { logged.push(m.map(String).join(' ')); },
  error: (...m: unknown[]) => { logged.push(m.map(String).join(' ')); },
  setLevel: () => undefined, getLevel: () => LogLevel.WARN, setName: () => undefined,
};

/** An engine and adapter on the database (a second call: the bot restarted, nothing in memory). */
async function boot() {
  engine = new Engine(db, { commands: allCommands, now: clock.now, random: seeded(), onError: (e) => errors.push(e) });
  adapter = new SlackAdapter(engine, {
    oauth: { clientId: fake.clientId, clientSecret: fake.clientSecret, stateSecret: STATE_SECRET, authorizationUrl: 'https://slack.example.test/oauth/v2/authorize' },
    signingSecret: SECRET, port: 0, host: '127.0.0.1', apiUrl: fake.apiUrl,
    clientOptions: { retryConfig: { retries: 0 } }, logger: quiet as never,
  });
  await adapter.start();
}

const base = () => `http://127.0.0.1:${adapter.port}`;

beforeEach(async () => {
  fake = new FakeSlack();
  await fake.start();
  fake.addUser({ id: 'UADA', name: 'ada', displayName: 'Ada', admin: true });
  fake.addUser({ id: 'UEVE', name: 'eve', displayName: 'Eve', admin: true });
  const s = await freshSqlite();
  cleanup = s.cleanup;
  db = await openDatabase(s.url);
  errors = [];
  logged = [];
  clock = new Clock();
  await boot();
});

afterEach(async () => {
  await adapter?.stop();
  await fake?.stop();
  await engine?.flush();
  await db?.close();
  cleanup?.();
  expect(errors).toEqual([]);
  expect(fake.refusals).toEqual([]);
});

async function install(grant: FakeGrant) {
  const page = await fetch(`${base()}/slack/install`, { redirect: 'manual' });
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
  const state = new URL(/<a href="([^"]+)"/.exec(await page.text())![1]).searchParams.get('state') ?? '';
  const code = `code-${++seq}`;
  fake.grants.set(code, grant);
  const res = await fetch(`${base()}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
  expect(res.status).toBe(200);
}

async function slash(team: string, userId: string, text: string, extra: Record<string, string> = {}) {
  const req = signedForm(SECRET, {
    token: 'legacy', team_id: team, team_domain: team.toLowerCase(), channel_id: `C${team}`, channel_name: 'general',
    user_id: userId, user_name: fake.users.get(userId)!.name, command: '/engage', text, api_app_id: 'A1', is_enterprise_install: 'false',
    response_url: fake.responseUrl(`cmd${++seq}`), trigger_id: `trig.${seq}.abc`, ...extra,
  });
  const res = await post(`${base()}/slack/events`, req);
  expect(res.status).toBe(200);
  return (res.json ?? {}) as { text?: string };
}

const deliver = () => engine.deliverOutbox('slack', { send: (to, r, meta) => adapter.send(to, r, meta), edit: (to, id, r, meta) => adapter.edit(to, id, r, meta) });
/** [method, channel or user, token] of the calls since `from`. */
const log = (from: number, ...methods: string[]) => fake.calls.slice(from).filter((c) => methods.includes(c.method)).map((c) => [c.method, c.args.channel ?? c.args.users, c.token]);

describe('slack distribution: a community bound to several workspaces', () => {
  beforeEach(async () => {
    await install({ team: 'T1', token: 'xoxb-t1' });
    await install({ team: 'T2', token: 'xoxb-t2' });
    // Each workspace's channels and people are reached only with its own token.
    fake.channelTeams.set('CT1', 'T1');
    fake.channelTeams.set('CT2', 'T2');
    fake.userTeams.set('UADA', 'T1');
    fake.userTeams.set('UEVE', 'T2');
    // T1's community takes in T2 (T2 first used before that, so its binding is the younger one).
    const code = /code \*(\w+)\*/.exec((await slash('T1', 'UADA', 'community bind')).text ?? '')?.[1];
    expect(code).toBeTruthy();
    clock.advance(1000);
    expect((await slash('T2', 'UEVE', `community bind ${code}`)).text).toMatch(/bound|linked|now part/i);
    const bound = await engine.db.prisma.communityBinding.findMany({ where: { platform: 'slack' }, orderBy: { createdAt: 'asc' } });
    expect(new Set(bound.map((b) => b.communityId)).size).toBe(1);
    // The announce channel is in the second workspace.
    expect((await slash('T2', 'UEVE', 'announce here')).text).toMatch(/announcements/i);
  });

  it('posts, edits and DMs in the second workspace with its token, then goes straight there', async () => {
    const communityId = (await engine.db.prisma.communityBinding.findFirstOrThrow({ where: { externalId: 'T1' } })).communityId;
    expect((await slash('T1', 'UADA', 'contest create "Hoodie" 1 3d')).text).toMatch(/Giveaway #1/);
    let mark = fake.calls.length;
    expect(await deliver()).toBe(2);
    // The card in T2's channel: T1 (the oldest binding) said channel_not_found, T2 took it. Both delivered.
    expect(log(mark, 'chat.postMessage')).toEqual(expect.arrayContaining([
      ['chat.postMessage', 'CT1', 'xoxb-t1'], ['chat.postMessage', 'CT2', 'xoxb-t1'], ['chat.postMessage', 'CT2', 'xoxb-t2'],
    ]));
    expect(await engine.db.prisma.postedMessage.count({ where: { key: 'contest:1', platform: 'slack' } })).toBe(2);

    // A member of T2 enters: the live card edit goes straight to T2 (remembered with the channel).
    await slash('T2', 'UEVE', 'contest enter 1');
    clock.advance(15_000);
    await engine.runDueJobs();
    mark = fake.calls.length;
    expect(await deliver()).toBeGreaterThanOrEqual(2);
    const edits = log(mark, 'chat.update');
    expect(edits).toEqual(expect.arrayContaining([['chat.update', 'CT1', 'xoxb-t1'], ['chat.update', 'CT2', 'xoxb-t2']]));
    expect(edits.filter(([, ch]) => ch === 'CT2')).toEqual([['chat.update', 'CT2', 'xoxb-t2']]);

    // The draw: the winner (in T2) gets a DM through T2's installation.
    await slash('T1', 'UADA', 'contest end 1');
    mark = fake.calls.length;
    await deliver();
    const sent = log(mark, 'conversations.open', 'chat.postMessage', 'chat.update');
    expect(sent).toEqual(expect.arrayContaining([['conversations.open', 'UEVE', 'xoxb-t1'], ['conversations.open', 'UEVE', 'xoxb-t2'], ['chat.postMessage', 'DUEVE', 'xoxb-t2']]));
    // Nothing for T2 went with T1's token but that first DM try.
    expect(sent.filter(([, where, token]) => (where === 'CT2' || where === 'DUEVE') && token === 'xoxb-t1')).toEqual([]);
    const left = await engine.db.prisma.outboxMessage.findMany({ where: { status: { not: 'sent' } } });
    expect(left).toEqual([]);

    // Later sends go straight to T2: no try in T1 first.
    mark = fake.calls.length;
    const spaces = { communityId, space: 'T1', spaces: ['T1', 'T2'] };
    await adapter.send({ kind: 'dm', userId: 'UEVE' }, { text: 'again' }, spaces);
    await adapter.send({ kind: 'channel', channelId: 'CT2' }, { text: 'again' }, spaces);
    expect(log(mark, 'conversations.open', 'chat.postMessage')).toEqual([
      ['conversations.open', 'UEVE', 'xoxb-t2'], ['chat.postMessage', 'DUEVE', 'xoxb-t2'], ['chat.postMessage', 'CT2', 'xoxb-t2'],
    ]);
  });

  it('after a restart an edit finds the posting workspace again; a channel in no bound workspace fails clearly', async () => {
    await slash('T1', 'UADA', 'contest create "Hoodie" 1 3d');
    expect(await deliver()).toBe(2);
    await adapter.stop();
    await boot();
    await slash('T2', 'UEVE', 'contest enter 1');
    clock.advance(15_000);
    await engine.runDueJobs();
    const mark = fake.calls.length;
    await deliver();
    expect(log(mark, 'chat.update').filter(([, ch]) => ch === 'CT2')).toEqual([['chat.update', 'CT2', 'xoxb-t1'], ['chat.update', 'CT2', 'xoxb-t2']]);
    expect(await engine.db.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);

    // A channel neither workspace holds: the send throws channel_not_found (the outbox retries, then reports).
    fake.channelTeams.set('CT9', 'T9');
    fake.tokens.set('xoxb-t9', { team: 'T9' });
    await expect(adapter.send({ kind: 'channel', channelId: 'CT9' }, { text: 'x' }, { communityId: 'c', space: 'T1', spaces: ['T1', 'T2'] })).rejects.toThrow(/channel_not_found/);
  });
});

describe('slack distribution: org-wide installs across restarts', () => {
  it('remembers a workspace of an org in the database: after a restart its sends use the org token; the org uninstall removes it', async () => {
    await install({ team: 'T3', enterprise: 'E1', orgWide: true, token: 'xoxb-e1' });
    fake.teamOrgs.set('T3', 'E1');
    fake.teamOrgs.set('T4', 'E1');
    fake.channelTeams.set('CT4', 'T4');
    const org = { enterprise_id: 'E1', is_enterprise_install: 'true' };
    expect((await slash('T4', 'UADA', 'contest create "Hoodie" 1 3d', { ...org, channel_id: 'CT4' })).text).toMatch(/Giveaway #1/);
    const alias = await engine.db.prisma.slackInstallation.findUniqueOrThrow({ where: { id: 'T:T4' } });
    expect(alias).toMatchObject({ teamId: 'T4', enterpriseId: 'E1', data: '{"aliasOf":"E:E1"}' });
    // Seen again: nothing more is written.
    await slash('T4', 'UADA', 'points', org);
    expect((await engine.db.prisma.slackInstallation.findMany()).map((r) => r.id)).toEqual(['E:E1', 'T:T4']);

    // A restart: nothing in memory knows T4 is in E1 any more.
    await adapter.stop();
    await boot();
    const mark = fake.calls.length;
    expect(await deliver()).toBe(1);
    expect(log(mark, 'chat.postMessage')).toEqual([['chat.postMessage', 'CT4', 'xoxb-e1']]);

    // The org uninstalls the app: its workspaces' aliases go with it; sends there then fail as not installed.
    const ev = signedJson(SECRET, { token: 'legacy', team_id: 'T4', enterprise_id: 'E1', is_enterprise_install: true, api_app_id: 'A1', type: 'event_callback', event_id: `Ev${++seq}`, event_time: Math.floor(Date.now() / 1000), event: { type: 'app_uninstalled', event_ts: '1700000000.1' }, authorizations: [{ enterprise_id: 'E1', team_id: null, is_enterprise_install: true }] });
    expect((await post(`${base()}/slack/events`, ev)).status).toBe(200);
    await expect.poll(async () => (await engine.db.prisma.slackInstallation.findMany()).length).toBe(0);
    await boot2();
    await expect(adapter.send({ kind: 'channel', channelId: 'CT4' }, { text: 'x' }, { communityId: 'c', space: 'T4' })).rejects.toThrow(/not installed in workspace T4/);
  });
});

/** A restart (again): the token cache is empty. */
async function boot2() {
  await adapter.stop();
  await boot();
}

describe('slack distribution: the remembered workspaces', () => {
  it('tries the remembered workspace first, only while still bound, and keeps at most `max` routes', async () => {
    const { TeamRoutes } = await import('../adapters/slack/routes.js');
    const r = new TeamRoutes(2);
    expect(r.order('ch:C1', ['T1', 'T2'])).toEqual(['T1', 'T2']);
    r.remember('ch:C1', 'T2');
    expect(r.order('ch:C1', ['T1', 'T2', 'T3'])).toEqual(['T2', 'T1', 'T3']);
    // No longer bound to T2: its route is not used.
    expect(r.order('ch:C1', ['T1', 'T3'])).toEqual(['T1', 'T3']);
    r.remember('dm:U1', 'T1');
    r.order('ch:C1', ['T1', 'T2']);
    r.remember('ch:C2', 'T2');
    // The least recently used (dm:U1) went.
    expect(r.size).toBe(2);
    expect(r.order('dm:U1', ['T2', 'T1'])).toEqual(['T2', 'T1']);
    expect(r.order('ch:C1', ['T1', 'T2'])).toEqual(['T2', 'T1']);
  });
});
