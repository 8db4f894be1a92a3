import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { LogLevel } from '@slack/bolt';
import { freshSqlite, seeded, Clock } from './helpers.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { SlackAdapter } from '../adapters/slack/index.js';
import { BOT_EVENTS, BOT_SCOPES } from '../adapters/slack/manifest.js';
import { FakeSlack, post, signedForm, signedJson } from './fakes/slackApi.js';
import type { AccessTask, PresenceEvent } from '../src/core/types.js';

const SECRET = 'test-signing-secret';
const TEAM = 'T1';

let fake: FakeSlack;
let db: Database;
let engine: Engine;
let adapter: SlackAdapter;
let cleanup: () => void;
let errors: unknown[];
let url: string;
let seq = 0;

beforeEach(async () => {
  fake = new FakeSlack();
  await fake.start();
  fake.addUser({ id: 'UADA', name: 'ada', displayName: 'Ada', admin: true });
  fake.addUser({ id: 'UBOB', name: 'bob', displayName: 'Bob' });
  fake.addUser({ id: 'UCAROL', name: 'carol', displayName: 'Carol' });
  const s = await freshSqlite();
  cleanup = s.cleanup;
  db = await openDatabase(s.url);
  errors = [];
  engine = new Engine(db, { commands: allCommands, now: new Clock(new Date().toISOString()).now, random: seeded(), onError: (e) => errors.push(e) });
  adapter = new SlackAdapter(engine, {
    botToken: 'xoxb-test', signingSecret: SECRET, port: 0, host: '127.0.0.1', apiUrl: fake.apiUrl,
    clientOptions: { retryConfig: { retries: 0 } }, logLevel: LogLevel.ERROR,
  });
  await adapter.start();
  url = `http://127.0.0.1:${adapter.port}/slack/events`;
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

const task = (kind: 'slack.usergroup' | 'slack.channel', target: string, action: 'grant' | 'remove', user = 'UBOB'): AccessTask => ({
  id: 1, communityId: 'c1', platform: 'slack', platformUserId: user, space: TEAM, kind, target, action,
});

/** A signed event callback, as Slack posts it. */
const event = (e: Record<string, unknown>, eventTime = 1_800_000_000) => post(url, signedJson(SECRET, {
  token: 'legacy', team_id: TEAM, api_app_id: 'A1', type: 'event_callback', event_id: `Ev${++seq}`, event_time: eventTime, event: e,
}));

const slackUser = (id: string, more: Record<string, unknown> = {}) => ({
  id, team_id: TEAM, name: id.toLowerCase(), deleted: false, real_name: `Real ${id}`, profile: { display_name: `Disp ${id}`, real_name: `Real ${id}` }, is_bot: false, ...more,
});

/** Binds the workspace to a community the way it happens in use: someone runs a slash command. */
async function bindTeam() {
  const req = signedForm(SECRET, {
    token: 'legacy', team_id: TEAM, team_domain: 'acme', channel_id: 'C1', channel_name: 'general', user_id: 'UADA', user_name: 'ada',
    command: '/points', text: '', api_app_id: 'A1', response_url: fake.responseUrl(), trigger_id: `trig.${++seq}`,
  });
  expect((await post(url, req)).status).toBe(200);
  await vi.waitFor(async () => expect(await engine.communityByKey('slack', TEAM)).not.toBeNull());
}

describe('slack access applier (Web API client against the fake)', () => {
  it('user group: grant writes the whole list with the member added, remove without them', async () => {
    fake.usergroups.set('SVIP', ['UADA']);
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: true });
    expect(fake.usergroups.get('SVIP')).toEqual(['UADA', 'UBOB']);
    expect(fake.callsTo('usergroups.users.update').at(-1)!.args.users).toBe('UADA,UBOB');
    // Already in: nothing is written.
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: true });
    expect(fake.callsTo('usergroups.users.update')).toHaveLength(1);
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: true });
    expect(fake.usergroups.get('SVIP')).toEqual(['UADA']);
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: true });
    expect(fake.callsTo('usergroups.users.update')).toHaveLength(2);
  });

  it('user group: the last member leaving disables it, the next one enables it again', async () => {
    fake.usergroups.set('SVIP', ['UBOB']);
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: true });
    expect(fake.disabledGroups.has('SVIP')).toBe(true);
    expect(fake.usergroups.get('SVIP')).toEqual(['UBOB']); // Slack keeps the list of a disabled group
    fake.usergroups.set('SVIP', []);
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant', 'UCAROL'))).toEqual({ ok: true });
    expect(fake.disabledGroups.has('SVIP')).toBe(false);
    expect(fake.usergroups.get('SVIP')).toEqual(['UCAROL']);
  });

  it('user group: another writer dropping the change meanwhile is retried, never reported done', async () => {
    fake.usergroups.set('SVIP', ['UADA']);
    // Another instance read ['UADA'] before our write and adds UCAROL after it: its list has no UBOB.
    fake.afterCall.set('usergroups.users.update', () => fake.usergroups.set('SVIP', ['UADA', 'UCAROL']));
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: false, reason: 'retry', detail: 'user group changed meanwhile' });
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: true });
    expect(fake.usergroups.get('SVIP')).toEqual(['UADA', 'UCAROL', 'UBOB']);
    // A removal undone by a stale write of the other instance is retried too.
    fake.afterCall.set('usergroups.users.update', () => fake.usergroups.set('SVIP', ['UADA', 'UCAROL', 'UBOB']));
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: false, reason: 'retry', detail: 'user group changed meanwhile' });
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: true });
    expect(fake.usergroups.get('SVIP')).toEqual(['UADA', 'UCAROL']);
  });

  it('channel: invite and kick; already as wanted is done', async () => {
    fake.channels.set('GVIP', new Set(['UBOT', 'UADA']));
    expect(await adapter.applyAccess(task('slack.channel', 'GVIP', 'grant'))).toEqual({ ok: true });
    expect(fake.channels.get('GVIP')!.has('UBOB')).toBe(true);
    expect(await adapter.applyAccess(task('slack.channel', 'GVIP', 'grant'))).toEqual({ ok: true }); // already_in_channel
    expect(await adapter.applyAccess(task('slack.channel', 'GVIP', 'remove'))).toEqual({ ok: true });
    expect(fake.channels.get('GVIP')!.has('UBOB')).toBe(false);
    expect(await adapter.applyAccess(task('slack.channel', 'GVIP', 'remove'))).toEqual({ ok: true }); // not_in_channel: the member
    expect(fake.callsTo('conversations.invite')[0].args).toMatchObject({ channel: 'GVIP', users: 'UBOB' });
    expect(fake.callsTo('conversations.kick')[0].args).toMatchObject({ channel: 'GVIP', user: 'UBOB' });
  });

  it('maps refusals to noPermission', async () => {
    fake.channels.set('GOUT', new Set());
    // Inviting needs the bot in the channel: not_in_channel is about the bot here.
    expect(await adapter.applyAccess(task('slack.channel', 'GOUT', 'grant'))).toEqual({ ok: false, reason: 'noPermission', detail: 'not_in_channel' });
    expect(await adapter.applyAccess(task('slack.channel', 'GOUT', 'remove'))).toEqual({ ok: false, reason: 'noPermission', detail: 'restricted_action' });
    fake.usergroups.set('SVIP', ['UADA']);
    for (const error of ['missing_scope', 'not_allowed_token_type', 'permission_denied']) {
      fake.failing.set('usergroups.users.update', error);
      expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: false, reason: 'noPermission', detail: error });
    }
  });

  it('maps refusals to gone', async () => {
    expect(await adapter.applyAccess(task('slack.usergroup', 'SNONE', 'grant'))).toEqual({ ok: false, reason: 'gone', detail: 'no_such_subteam' });
    expect(await adapter.applyAccess(task('slack.channel', 'CNONE', 'grant'))).toEqual({ ok: false, reason: 'gone', detail: 'channel_not_found' });
    fake.channels.set('GVIP', new Set(['UBOT']));
    expect(await adapter.applyAccess(task('slack.channel', 'GVIP', 'grant', 'UGHOST'))).toEqual({ ok: false, reason: 'gone', detail: 'user_not_found' });
  });

  it('maps passing trouble (ratelimited, 5xx, network) to retry', async () => {
    fake.usergroups.set('SVIP', ['UADA']);
    fake.failing.set('usergroups.users.list', 'ratelimited');
    expect(await adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: false, reason: 'retry', detail: 'ratelimited' });
    fake.failing.clear();
    fake.httpFailing.set('conversations.invite', 503);
    fake.channels.set('GVIP', new Set(['UBOT']));
    expect(await adapter.applyAccess(task('slack.channel', 'GVIP', 'grant'))).toMatchObject({ ok: false, reason: 'retry' });
    await fake.stop();
    expect(await adapter.applyAccess(task('slack.channel', 'GVIP', 'remove'))).toMatchObject({ ok: false, reason: 'retry' });
    await fake.start(); // afterEach stops it again
  });
});

describe('slack presence (team_join, user_change) and the manifest', () => {
  let seen: PresenceEvent[];
  beforeEach(() => {
    seen = [];
    vi.spyOn(engine, 'presence').mockImplementation(async (e) => { seen.push(e); });
  });

  it('asks for the scopes and events tier access and presence need', () => {
    expect(BOT_SCOPES).toEqual(expect.arrayContaining(['usergroups:read', 'usergroups:write', 'channels:manage', 'groups:write', 'users:read']));
    expect(BOT_EVENTS).toEqual(expect.arrayContaining(['team_join', 'user_change']));
  });

  it('team_join is a join, user_change with deleted: true a leave, at the event time', async () => {
    await bindTeam();
    expect((await event({ type: 'team_join', user: slackUser('UNEW') }, 1_800_000_100)).status).toBe(200);
    expect((await event({ type: 'user_change', user: slackUser('UNEW', { deleted: true }) }, 1_800_000_200)).status).toBe(200);
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[0]).toMatchObject({
      platform: 'slack', communityKey: TEAM, kind: 'join', at: new Date(1_800_000_100_000),
      actor: { platform: 'slack', userId: 'UNEW', displayName: 'Disp UNEW', username: 'unew' },
    });
    expect(seen[1]).toMatchObject({ kind: 'leave', actor: { userId: 'UNEW' }, at: new Date(1_800_000_200_000) });
  });

  it('profile edits, bots and workspaces that are no community are not presence', async () => {
    await event({ type: 'team_join', user: slackUser('UNEW') }); // no community yet
    await bindTeam();
    await event({ type: 'user_change', user: slackUser('UNEW', { profile: { display_name: 'New name' } }) });
    await event({ type: 'team_join', user: slackUser('BOTUSER', { is_bot: true }) });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([]);
  });
});
