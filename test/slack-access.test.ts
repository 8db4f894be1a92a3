import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { BOT_EVENTS, BOT_SCOPES } from '../adapters/slack/manifest.js';
import { slackHarness, TEAM, type SlackHarness } from './slack-harness.js';
import type { AccessTask, PresenceEvent } from '../src/core/types.js';

let h: SlackHarness;
beforeEach(async () => { h = await slackHarness(); });
afterEach(() => h?.close());

const task = (kind: 'slack.usergroup' | 'slack.channel', target: string, action: 'grant' | 'remove', user = 'UBOB'): AccessTask => ({
  id: 1, communityId: 'c1', platform: 'slack', platformUserId: user, space: TEAM, kind, target, action,
});

/** A signed event callback, as Slack posts it. */
const event = (e: Record<string, unknown>, eventTime = 1_800_000_000) => h.event(e, { eventTime });

const slackUser = (id: string, more: Record<string, unknown> = {}) => ({
  id, team_id: TEAM, name: id.toLowerCase(), deleted: false, real_name: `Real ${id}`, profile: { display_name: `Disp ${id}`, real_name: `Real ${id}` }, is_bot: false, ...more,
});

/** Binds the workspace to a community the way it happens in use: someone runs a slash command. */
async function bindTeam() {
  await h.slash('UADA', '/points');
  await vi.waitFor(async () => expect(await h.engine.communityByKey('slack', TEAM)).not.toBeNull());
}

describe('slack access applier (Web API client against the fake)', () => {
  it('user group: grant writes the whole list with the member added, remove without them', async () => {
    h.fake.usergroups.set('SVIP', ['UADA']);
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: true });
    expect(h.fake.usergroups.get('SVIP')).toEqual(['UADA', 'UBOB']);
    expect(h.fake.callsTo('usergroups.users.update').at(-1)!.args.users).toBe('UADA,UBOB');
    // Already in: nothing is written.
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: true });
    expect(h.fake.callsTo('usergroups.users.update')).toHaveLength(1);
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: true });
    expect(h.fake.usergroups.get('SVIP')).toEqual(['UADA']);
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: true });
    expect(h.fake.callsTo('usergroups.users.update')).toHaveLength(2);
  });

  it('user group: the last member leaving disables it, the next one enables it again', async () => {
    h.fake.usergroups.set('SVIP', ['UBOB']);
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: true });
    expect(h.fake.disabledGroups.has('SVIP')).toBe(true);
    expect(h.fake.usergroups.get('SVIP')).toEqual(['UBOB']); // Slack keeps the list of a disabled group
    h.fake.usergroups.set('SVIP', []);
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant', 'UCAROL'))).toEqual({ ok: true });
    expect(h.fake.disabledGroups.has('SVIP')).toBe(false);
    expect(h.fake.usergroups.get('SVIP')).toEqual(['UCAROL']);
  });

  it('user group: another writer dropping the change meanwhile is retried, never reported done', async () => {
    h.fake.usergroups.set('SVIP', ['UADA']);
    // Another instance read ['UADA'] before our write and adds UCAROL after it: its list has no UBOB.
    h.fake.afterCall.set('usergroups.users.update', () => h.fake.usergroups.set('SVIP', ['UADA', 'UCAROL']));
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: false, reason: 'retry', detail: 'user group changed meanwhile' });
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: true });
    expect(h.fake.usergroups.get('SVIP')).toEqual(['UADA', 'UCAROL', 'UBOB']);
    // A removal undone by a stale write of the other instance is retried too.
    h.fake.afterCall.set('usergroups.users.update', () => h.fake.usergroups.set('SVIP', ['UADA', 'UCAROL', 'UBOB']));
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: false, reason: 'retry', detail: 'user group changed meanwhile' });
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'remove'))).toEqual({ ok: true });
    expect(h.fake.usergroups.get('SVIP')).toEqual(['UADA', 'UCAROL']);
  });

  it('channel: invite and kick; already as wanted is done', async () => {
    h.fake.channels.set('GVIP', new Set(['UBOT', 'UADA']));
    expect(await h.adapter.applyAccess(task('slack.channel', 'GVIP', 'grant'))).toEqual({ ok: true });
    expect(h.fake.channels.get('GVIP')!.has('UBOB')).toBe(true);
    expect(await h.adapter.applyAccess(task('slack.channel', 'GVIP', 'grant'))).toEqual({ ok: true }); // already_in_channel
    expect(await h.adapter.applyAccess(task('slack.channel', 'GVIP', 'remove'))).toEqual({ ok: true });
    expect(h.fake.channels.get('GVIP')!.has('UBOB')).toBe(false);
    expect(await h.adapter.applyAccess(task('slack.channel', 'GVIP', 'remove'))).toEqual({ ok: true }); // not_in_channel: the member
    expect(h.fake.callsTo('conversations.invite')[0].args).toMatchObject({ channel: 'GVIP', users: 'UBOB' });
    expect(h.fake.callsTo('conversations.kick')[0].args).toMatchObject({ channel: 'GVIP', user: 'UBOB' });
  });

  it('maps refusals to noPermission', async () => {
    h.fake.channels.set('GOUT', new Set());
    // Inviting needs the bot in the channel: not_in_channel is about the bot here.
    expect(await h.adapter.applyAccess(task('slack.channel', 'GOUT', 'grant'))).toEqual({ ok: false, reason: 'noPermission', detail: 'not_in_channel' });
    expect(await h.adapter.applyAccess(task('slack.channel', 'GOUT', 'remove'))).toEqual({ ok: false, reason: 'noPermission', detail: 'restricted_action' });
    h.fake.usergroups.set('SVIP', ['UADA']);
    for (const error of ['missing_scope', 'not_allowed_token_type', 'permission_denied']) {
      h.fake.failing.set('usergroups.users.update', error);
      expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: false, reason: 'noPermission', detail: error });
    }
  });

  it('maps refusals to gone', async () => {
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SNONE', 'grant'))).toEqual({ ok: false, reason: 'gone', detail: 'no_such_subteam' });
    expect(await h.adapter.applyAccess(task('slack.channel', 'CNONE', 'grant'))).toEqual({ ok: false, reason: 'gone', detail: 'channel_not_found' });
    h.fake.channels.set('GVIP', new Set(['UBOT']));
    expect(await h.adapter.applyAccess(task('slack.channel', 'GVIP', 'grant', 'UGHOST'))).toEqual({ ok: false, reason: 'gone', detail: 'user_not_found' });
  });

  it('maps passing trouble (ratelimited, 5xx, network) to retry', async () => {
    h.fake.usergroups.set('SVIP', ['UADA']);
    h.fake.failing.set('usergroups.users.list', 'ratelimited');
    expect(await h.adapter.applyAccess(task('slack.usergroup', 'SVIP', 'grant'))).toEqual({ ok: false, reason: 'retry', detail: 'ratelimited' });
    h.fake.failing.clear();
    h.fake.httpFailing.set('conversations.invite', 503);
    h.fake.channels.set('GVIP', new Set(['UBOT']));
    expect(await h.adapter.applyAccess(task('slack.channel', 'GVIP', 'grant'))).toMatchObject({ ok: false, reason: 'retry' });
    await h.fake.stop();
    expect(await h.adapter.applyAccess(task('slack.channel', 'GVIP', 'remove'))).toMatchObject({ ok: false, reason: 'retry' });
    await h.fake.start(); // afterEach stops it again
  });
});

describe('slack presence (team_join, user_change) and the manifest', () => {
  let seen: PresenceEvent[];
  beforeEach(() => {
    seen = [];
    vi.spyOn(h.engine, 'presence').mockImplementation(async (e) => { seen.push(e); });
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
