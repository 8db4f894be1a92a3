import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { SlackAdapter, createAdapter } from '../adapters/slack/index.js';
import { BOT_SCOPES } from '../adapters/slack/manifest.js';
import { loadConfig } from '../src/config.js';
import { AUTHORIZE_URL as AUTHORIZE, STATE_SECRET, ADA, BOB, slackHarness, type SlackHarness } from './slack-harness.js';

/**
 * Slack for many workspaces: the OAuth install flow over HTTP against the fake Slack API, installations in the
 * database, each workspace answered and sent to with its own token, token rotation, uninstalls.
 */

let h: SlackHarness;
beforeEach(async () => { h = await slackHarness({ oauth: true, users: [ADA, BOB] }); });
afterEach(() => h?.close());

const rows = () => h.engine.db.prisma.slackInstallation.findMany({ orderBy: { id: 'asc' } });
const stored = async (id: string) => JSON.parse((await h.engine.db.prisma.slackInstallation.findUniqueOrThrow({ where: { id } })).data);

/** A signed slash command from a workspace (and org); the answer comes back in the acknowledgement. */
const slash = async (team: string, userId: string, text: string, extra: Record<string, string> = {}) =>
  (await h.slash(userId, '/engage', text, { team, domain: team.toLowerCase(), channel: `C${team}`, extra })).res.json as { text?: string } | undefined;

describe('slack distribution: the OAuth install flow', () => {
  it('installs a workspace: install page -> authorize URL with state -> redirect with code -> installation stored', async () => {
    const { res, authorize } = await h.install({ team: 'T1', teamName: 'Acme', token: 'xoxb-t1' });
    expect(res.status).toBe(200);
    expect(authorize.origin + authorize.pathname).toBe(AUTHORIZE);
    expect(authorize.searchParams.get('client_id')).toBe(h.fake.clientId);
    expect(authorize.searchParams.get('scope')!.split(',')).toEqual([...BOT_SCOPES]);
    // The code was exchanged with the app's credentials, and the new token checked with auth.test.
    const [exchange] = h.fake.callsTo('oauth.v2.access');
    expect(exchange.args).toMatchObject({ code: 'code-1', client_id: h.fake.clientId, client_secret: h.fake.clientSecret });
    expect(h.fake.callsTo('auth.test').map((c) => c.token)).toEqual(['xoxb-t1']);
    const [row] = await rows();
    expect(row).toMatchObject({ id: 'T:T1', teamId: 'T1', enterpriseId: null });
    expect(JSON.parse(row.data)).toMatchObject({ team: { id: 'T1', name: 'Acme' }, bot: { token: 'xoxb-t1', userId: 'UBOT' }, isEnterpriseInstall: false });
  });

  it('refuses a redirect whose state is missing, forged or not this browser\'s, and stores nothing', async () => {
    h.fake.grants.set('code-x', { team: 'T9', token: 'xoxb-t9' });
    const none = await fetch(`${h.base}/slack/oauth_redirect?code=code-x`, { redirect: 'manual' });
    expect(none.status).toBe(400);
    const forged = await fetch(`${h.base}/slack/oauth_redirect?code=code-x&state=forged`, { headers: { cookie: 'slack-app-oauth-state=forged' }, redirect: 'manual' });
    expect(forged.status).toBe(400);
    // A real state, but from another browser (no cookie): refused too.
    const { state } = await h.startInstall();
    const other = await fetch(`${h.base}/slack/oauth_redirect?code=code-x&state=${encodeURIComponent(state)}`, { redirect: 'manual' });
    expect(other.status).toBe(400);
    expect(h.fake.callsTo('oauth.v2.access')).toEqual([]);
    expect(await rows()).toEqual([]);
    expect(h.logged.join('\n')).toMatch(/MissingStateError[\s\S]*InvalidStateError[\s\S]*not for this browser session/);
  });

  it('answers and sends in each installed workspace with that workspace\'s token', async () => {
    await h.install({ team: 'T1', token: 'xoxb-t1' });
    await h.install({ team: 'T2', token: 'xoxb-t2' });
    expect((await rows()).map((r) => r.id)).toEqual(['T:T1', 'T:T2']);
    // The fake refuses a post to one workspace's channel with the other's token.
    h.fake.channelTeams.set('CT1', 'T1');
    h.fake.channelTeams.set('CT2', 'T2');

    const before = h.fake.calls.length;
    const answer = await slash('T2', 'UADA', 'contest create "Hoodie" 1 3d');
    expect(answer?.text).toMatch(/Giveaway #1 for "Hoodie" is live/);
    // The request was authorized with T2's installation: its users.info went out with T2's token.
    expect(h.fake.calls.slice(before).filter((c) => c.method === 'users.info').map((c) => c.token)).toEqual(['xoxb-t2']);
    await slash('T1', 'UADA', 'contest create "Mug" 1 3d');

    expect(await h.deliver()).toBe(2);
    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts.map((p) => [p.args.channel, p.token])).toEqual(expect.arrayContaining([['CT2', 'xoxb-t2'], ['CT1', 'xoxb-t1']]));
    // Bolt authorizes every request through the store: installations read a moment ago come from its short cache.
    const reads = vi.spyOn(h.engine, 'slackInstallation');
    await slash('T1', 'UBOB', 'points');
    await slash('T2', 'UBOB', 'points');
    expect(reads).not.toHaveBeenCalled();
  });

  it('refreshes an expiring token (token rotation), stores the new one and uses it', async () => {
    // Expires within Slack's two-hour window: the first use refreshes it.
    await h.install({ team: 'T1', token: 'xoxb-old', rotate: true, expiresIn: 60 });
    const first = await stored('T:T1');
    expect(first.bot).toMatchObject({ token: 'xoxb-old', refreshToken: 'xoxe-1-refresh-T1' });
    expect(first.bot.expiresAt).toBeLessThan(Date.now() / 1000 + 120);

    await slash('T1', 'UBOB', 'points');
    const refresh = h.fake.callsTo('oauth.v2.access').find((c) => c.args.grant_type === 'refresh_token');
    expect(refresh?.args).toMatchObject({ refresh_token: 'xoxe-1-refresh-T1', client_id: h.fake.clientId });
    const rotated = await stored('T:T1');
    expect(rotated.bot.token).toBe('xoxe.xoxb-T1-r1');
    expect(rotated.bot.expiresAt).toBeGreaterThan(Date.now() / 1000 + 40_000);
    // The old token is dead at Slack; everything after the refresh used the new one.
    expect(h.fake.tokens.get('xoxb-old')?.expired).toBe(true);
    expect(h.fake.callsTo('users.info').map((c) => c.token)).toEqual(['xoxe.xoxb-T1-r1']);

    await slash('T1', 'UADA', 'contest create "Hoodie" 1 3d');
    expect(await h.deliver()).toBe(1);
    expect(h.fake.callsTo('chat.postMessage').map((c) => c.token)).toEqual(['xoxe.xoxb-T1-r1']);
    // Fresh for 12 hours now: no second refresh.
    expect(h.fake.callsTo('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token')).toHaveLength(1);
  });

  it('an org-wide install serves the org\'s workspaces, keyed by the enterprise', async () => {
    await h.install({ team: 'T3', enterprise: 'E1', orgWide: true, token: 'xoxb-e1' });
    const [row] = await rows();
    expect(row).toMatchObject({ id: 'E:E1', teamId: null, enterpriseId: 'E1' });
    await slash('T3', 'UADA', 'contest create "Hoodie" 1 3d', { enterprise_id: 'E1', is_enterprise_install: 'true' });
    expect(h.fake.callsTo('users.info').map((c) => c.token)).toEqual(['xoxb-e1']);
    expect(await h.deliver()).toBe(1);
    expect(h.fake.callsTo('chat.postMessage').map((c) => [c.args.channel, c.token])).toEqual([['CT3', 'xoxb-e1']]);
  });

  it('app_uninstalled and tokens_revoked remove the installation; sends there then fail clearly', async () => {
    await h.install({ team: 'T1', token: 'xoxb-t1' });
    await h.install({ team: 'T2', token: 'xoxb-t2' });
    await slash('T2', 'UADA', 'contest create "Hoodie" 1 3d');

    expect((await h.event({ type: 'app_uninstalled', event_ts: '1700000000.1' }, { team: 'T2' })).status).toBe(200);
    await expect.poll(async () => (await rows()).map((r) => r.id)).toEqual(['T:T1']);
    // A revoked user token alone leaves the install; the bot's token revoked removes it.
    await h.event({ type: 'tokens_revoked', tokens: { oauth: ['UADA'] }, event_ts: '1700000000.2' }, { team: 'T1' });
    await h.event({ type: 'tokens_revoked', tokens: { bot: ['UBOT'] }, event_ts: '1700000000.3' }, { team: 'T1' });
    await expect.poll(async () => (await rows()).length).toBe(0);

    // The outbox cannot send in T2 any more: the error names the problem and the message is retried later.
    expect(await h.deliver()).toBe(0);
    const msg = await h.engine.db.prisma.outboxMessage.findFirstOrThrow();
    expect(msg.status).toBe('pending');
    expect(msg.lastError).toMatch(/not installed in workspace T2/);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});

describe('slack distribution: configuration', () => {
  it('SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET switch the adapter to distribution (HTTP) mode', async () => {
    const cfg = loadConfig({ SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: STATE_SECRET, SLACK_SIGNING_SECRET: 's', SLACK_PORT: '3998' });
    expect(cfg.platforms).toEqual(['slack']);
    const a = (await createAdapter(h.engine, cfg)) as SlackAdapter;
    expect(a.mode).toBe('http');
    expect(a.distributed).toBe(true);
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1111.2222', SLACK_SIGNING_SECRET: 's' })).toThrow(/together/);
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: STATE_SECRET })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: STATE_SECRET, SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/not both/);
    // One workspace keeps working as before.
    const single = (await createAdapter(h.engine, loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))) as SlackAdapter;
    expect(single.distributed).toBe(false);
  });
});
