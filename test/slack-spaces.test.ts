import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { Clock } from './helpers.js';
import type { FakeGrant } from './fakes/slackApi.js';
import { ADA, slackHarness, type SlackHarness } from './slack-harness.js';

/**
 * Slack distribution with a community spanning several workspaces: the outbox names every bound workspace
 * (SendMeta.spaces) and the adapter sends with the token of the workspace holding the channel or member, then goes
 * straight there. Org-wide installs: the workspace -> org link survives a restart (an alias row in the database).
 */

let h: SlackHarness;
beforeEach(async () => { h = await slackHarness({ oauth: true, users: [ADA, { id: 'UEVE', name: 'eve', displayName: 'Eve', admin: true }], clock: new Clock() }); });
afterEach(() => h?.close());

/** The engine and adapter again on the database: the bot restarted, nothing in memory. */
const boot = () => h.restart({ engine: true });

/** The whole OAuth flow for a workspace, installed. */
async function install(grant: FakeGrant) {
  expect((await h.install(grant)).res.status).toBe(200);
}

const slash = async (team: string, userId: string, text: string, extra: Record<string, string> = {}) =>
  ((await h.slash(userId, '/engage', text, { team, domain: team.toLowerCase(), channel: `C${team}`, extra })).res.json ?? {}) as { text?: string };

/** [method, channel or user, token] of the calls since `from`. */
const log = (from: number, ...methods: string[]) => h.fake.calls.slice(from).filter((c) => methods.includes(c.method)).map((c) => [c.method, c.args.channel ?? c.args.users, c.token]);

describe('slack distribution: a community bound to several workspaces', () => {
  beforeEach(async () => {
    await install({ team: 'T1', token: 'xoxb-t1' });
    await install({ team: 'T2', token: 'xoxb-t2' });
    // Each workspace's channels and people are reached only with its own token.
    h.fake.channelTeams.set('CT1', 'T1');
    h.fake.channelTeams.set('CT2', 'T2');
    h.fake.userTeams.set('UADA', 'T1');
    h.fake.userTeams.set('UEVE', 'T2');
    // T1's community takes in T2 (T2 first used before that, so its binding is the younger one).
    const code = /code \*(\w+)\*/.exec((await slash('T1', 'UADA', 'community bind')).text ?? '')?.[1];
    expect(code).toBeTruthy();
    h.clock.advance(1000);
    expect((await slash('T2', 'UEVE', `community bind ${code}`)).text).toMatch(/bound|linked|now part/i);
    const bound = await h.engine.db.prisma.communityBinding.findMany({ where: { platform: 'slack' }, orderBy: { createdAt: 'asc' } });
    expect(new Set(bound.map((b) => b.communityId)).size).toBe(1);
    // The announce channel is in the second workspace.
    expect((await slash('T2', 'UEVE', 'announce here')).text).toMatch(/announcements/i);
  });

  it('posts, edits and DMs in the second workspace with its token, then goes straight there', async () => {
    const communityId = (await h.engine.db.prisma.communityBinding.findFirstOrThrow({ where: { externalId: 'T1' } })).communityId;
    expect((await slash('T1', 'UADA', 'contest create "Hoodie" 1 3d')).text).toMatch(/Giveaway #1/);
    let mark = h.fake.calls.length;
    expect(await h.deliver()).toBe(2);
    // The card in T2's channel: T1 (the oldest binding) said channel_not_found, T2 took it. Both delivered.
    expect(log(mark, 'chat.postMessage')).toEqual(expect.arrayContaining([
      ['chat.postMessage', 'CT1', 'xoxb-t1'], ['chat.postMessage', 'CT2', 'xoxb-t1'], ['chat.postMessage', 'CT2', 'xoxb-t2'],
    ]));
    expect(await h.engine.db.prisma.postedMessage.count({ where: { key: 'contest:1', platform: 'slack' } })).toBe(2);

    // A member of T2 enters: the live card edit goes straight to T2 (remembered with the channel).
    await slash('T2', 'UEVE', 'contest enter 1');
    h.clock.advance(15_000);
    await h.engine.runDueJobs();
    mark = h.fake.calls.length;
    expect(await h.deliver()).toBeGreaterThanOrEqual(2);
    const edits = log(mark, 'chat.update');
    expect(edits).toEqual(expect.arrayContaining([['chat.update', 'CT1', 'xoxb-t1'], ['chat.update', 'CT2', 'xoxb-t2']]));
    expect(edits.filter(([, ch]) => ch === 'CT2')).toEqual([['chat.update', 'CT2', 'xoxb-t2']]);

    // The draw: the winner (in T2) gets a DM through T2's installation.
    await slash('T1', 'UADA', 'contest end 1');
    mark = h.fake.calls.length;
    await h.deliver();
    const sent = log(mark, 'conversations.open', 'chat.postMessage', 'chat.update');
    expect(sent).toEqual(expect.arrayContaining([['conversations.open', 'UEVE', 'xoxb-t1'], ['conversations.open', 'UEVE', 'xoxb-t2'], ['chat.postMessage', 'DUEVE', 'xoxb-t2']]));
    // Nothing for T2 went with T1's token but that first DM try.
    expect(sent.filter(([, where, token]) => (where === 'CT2' || where === 'DUEVE') && token === 'xoxb-t1')).toEqual([]);
    const left = await h.engine.db.prisma.outboxMessage.findMany({ where: { status: { not: 'sent' } } });
    expect(left).toEqual([]);

    // Later sends go straight to T2: no try in T1 first.
    mark = h.fake.calls.length;
    const spaces = { communityId, space: 'T1', spaces: ['T1', 'T2'] };
    await h.adapter.send({ kind: 'dm', userId: 'UEVE' }, { text: 'again' }, spaces);
    await h.adapter.send({ kind: 'channel', channelId: 'CT2' }, { text: 'again' }, spaces);
    expect(log(mark, 'conversations.open', 'chat.postMessage')).toEqual([
      ['conversations.open', 'UEVE', 'xoxb-t2'], ['chat.postMessage', 'DUEVE', 'xoxb-t2'], ['chat.postMessage', 'CT2', 'xoxb-t2'],
    ]);
  });

  it('after a restart an edit finds the posting workspace again; a channel in no bound workspace fails clearly', async () => {
    await slash('T1', 'UADA', 'contest create "Hoodie" 1 3d');
    expect(await h.deliver()).toBe(2);
    await boot();
    await slash('T2', 'UEVE', 'contest enter 1');
    h.clock.advance(15_000);
    await h.engine.runDueJobs();
    const mark = h.fake.calls.length;
    await h.deliver();
    expect(log(mark, 'chat.update').filter(([, ch]) => ch === 'CT2')).toEqual([['chat.update', 'CT2', 'xoxb-t1'], ['chat.update', 'CT2', 'xoxb-t2']]);
    expect(await h.engine.db.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);

    // A channel neither workspace holds: the send throws channel_not_found (the outbox retries, then reports).
    h.fake.channelTeams.set('CT9', 'T9');
    h.fake.tokens.set('xoxb-t9', { team: 'T9' });
    await expect(h.adapter.send({ kind: 'channel', channelId: 'CT9' }, { text: 'x' }, { communityId: 'c', space: 'T1', spaces: ['T1', 'T2'] })).rejects.toThrow(/channel_not_found/);
  });
});

describe('slack distribution: org-wide installs across restarts', () => {
  it('remembers a workspace of an org in the database: after a restart its sends use the org token; the org uninstall removes it', async () => {
    await install({ team: 'T3', enterprise: 'E1', orgWide: true, token: 'xoxb-e1' });
    h.fake.teamOrgs.set('T3', 'E1');
    h.fake.teamOrgs.set('T4', 'E1');
    h.fake.channelTeams.set('CT4', 'T4');
    const org = { enterprise_id: 'E1', is_enterprise_install: 'true' };
    expect((await slash('T4', 'UADA', 'contest create "Hoodie" 1 3d', { ...org, channel_id: 'CT4' })).text).toMatch(/Giveaway #1/);
    const alias = await h.engine.db.prisma.slackInstallation.findUniqueOrThrow({ where: { id: 'T:T4' } });
    expect(alias).toMatchObject({ teamId: 'T4', enterpriseId: 'E1', data: '{"aliasOf":"E:E1"}' });
    // Seen again: nothing more is written.
    await slash('T4', 'UADA', 'points', org);
    expect((await h.engine.db.prisma.slackInstallation.findMany()).map((r) => r.id)).toEqual(['E:E1', 'T:T4']);

    // A restart: nothing in memory knows T4 is in E1 any more.
    await boot();
    const mark = h.fake.calls.length;
    expect(await h.deliver()).toBe(1);
    expect(log(mark, 'chat.postMessage')).toEqual([['chat.postMessage', 'CT4', 'xoxb-e1']]);

    // The org uninstalls the app: its workspaces' aliases go with it; sends there then fail as not installed.
    const orgEvent = { enterprise_id: 'E1', is_enterprise_install: true, authorizations: [{ enterprise_id: 'E1', team_id: null, is_enterprise_install: true }] };
    expect((await h.event({ type: 'app_uninstalled', event_ts: '1700000000.1' }, { team: 'T4', extra: orgEvent })).status).toBe(200);
    await expect.poll(async () => (await h.engine.db.prisma.slackInstallation.findMany()).length).toBe(0);
    // A restart again: the token cache is empty.
    await boot();
    await expect(h.adapter.send({ kind: 'channel', channelId: 'CT4' }, { text: 'x' }, { communityId: 'c', space: 'T4' })).rejects.toThrow(/not installed in workspace T4/);
  });
});

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
