import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { LogLevel } from '@slack/bolt';
import { freshSqlite, seeded, Clock } from './helpers.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { SlackAdapter, createAdapter } from '../adapters/slack/index.js';
import { BOT_SCOPES } from '../adapters/slack/manifest.js';
import { loadConfig } from '../src/config.js';
import { FakeSlack, post, signedForm, signedJson, type FakeGrant } from './fakes/slackApi.js';

/**
 * Slack for many workspaces: the OAuth install flow over HTTP against the fake Slack API, installations in the
 * database, each workspace answered and sent to with its own token, token rotation, uninstalls.
 */

const SECRET = 'test-signing-secret';
const STATE_SECRET = 'state-secret-0123456789abcdef';
const AUTHORIZE = 'https://slack.example.test/oauth/v2/authorize';

let fake: FakeSlack;
let db: Database;
let engine: Engine;
let adapter: SlackAdapter;
let cleanup: () => void;
let errors: unknown[];
let base: string;
let seq = 0;
/** What the adapter (and InstallProvider) logged at warn or error. */
let logged: string[];
const quiet = {
  debug: () => undefined, info: () => undefined,
  warn: (...m: unknown[]) => { logged.push(m.map(String).join(' ')); },
  error: (...m: unknown[]) => { logged.push(m.map(String).join(' ')); },
  setLevel: () => undefined, getLevel: () => LogLevel.WARN, setName: () => undefined,
};

beforeEach(async () => {
  fake = new FakeSlack();
  await fake.start();
  fake.addUser({ id: 'UADA', name: 'ada', displayName: 'Ada', admin: true });
  fake.addUser({ id: 'UBOB', name: 'bob', displayName: 'Bob' });
  const s = await freshSqlite();
  cleanup = s.cleanup;
  db = await openDatabase(s.url);
  errors = [];
  logged = [];
  engine = new Engine(db, { commands: allCommands, now: new Clock(new Date().toISOString()).now, random: seeded(), onError: (e) => errors.push(e) });
  adapter = new SlackAdapter(engine, {
    oauth: { clientId: fake.clientId, clientSecret: fake.clientSecret, stateSecret: STATE_SECRET, authorizationUrl: AUTHORIZE },
    signingSecret: SECRET,
    port: 0,
    host: '127.0.0.1',
    apiUrl: fake.apiUrl,
    clientOptions: { retryConfig: { retries: 0 } },
    logger: quiet as never,
  });
  await adapter.start();
  base = `http://127.0.0.1:${adapter.port}`;
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

const rows = () => engine.db.prisma.slackInstallation.findMany({ orderBy: { id: 'asc' } });
const stored = async (id: string) => JSON.parse((await engine.db.prisma.slackInstallation.findUniqueOrThrow({ where: { id } })).data);

/** GET /slack/install: the "Add to Slack" page links to Slack's authorize URL with a state, also set as a cookie. */
async function startInstall() {
  const res = await fetch(`${base}/slack/install`, { redirect: 'manual' });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const html = await res.text();
  const href = /<a href="([^"]+)"/.exec(html)?.[1];
  expect(href).toBeTruthy();
  const authorize = new URL(href!);
  return { cookie, authorize, state: authorize.searchParams.get('state') ?? '' };
}

/** The whole flow: install page, (Slack's authorize page, not fetched), back to the redirect URL with a code. */
async function install(grant: FakeGrant) {
  const { cookie, authorize, state } = await startInstall();
  const code = `code-${++seq}`;
  fake.grants.set(code, grant);
  const res = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
  return { res, authorize, body: await res.text() };
}

/** A signed slash command from a workspace (and org); the answer comes back in the acknowledgement. */
async function slash(team: string, userId: string, text: string, extra: Record<string, string> = {}) {
  const req = signedForm(SECRET, {
    token: 'legacy', team_id: team, team_domain: team.toLowerCase(), channel_id: `C${team}`, channel_name: 'general',
    user_id: userId, user_name: fake.users.get(userId)!.name, command: '/engage', text, api_app_id: 'A1', is_enterprise_install: 'false',
    response_url: fake.responseUrl(`cmd${++seq}`), trigger_id: `trig.${seq}.abc`, ...extra,
  });
  const res = await post(`${base}/slack/events`, req);
  expect(res.status).toBe(200);
  return res.json as { text?: string } | undefined;
}

const deliver = () => engine.deliverOutbox('slack', { send: (to, r, meta) => adapter.send(to, r, meta), edit: (to, id, r, meta) => adapter.edit(to, id, r, meta) });

function event(team: string, ev: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return signedJson(SECRET, { token: 'legacy', team_id: team, api_app_id: 'A1', type: 'event_callback', event_id: `Ev${++seq}`, event_time: Math.floor(Date.now() / 1000), event: ev, ...extra });
}

describe('slack distribution: the OAuth install flow', () => {
  it('installs a workspace: install page -> authorize URL with state -> redirect with code -> installation stored', async () => {
    const { res, authorize } = await install({ team: 'T1', teamName: 'Acme', token: 'xoxb-t1' });
    expect(res.status).toBe(200);
    expect(authorize.origin + authorize.pathname).toBe(AUTHORIZE);
    expect(authorize.searchParams.get('client_id')).toBe(fake.clientId);
    expect(authorize.searchParams.get('scope')!.split(',')).toEqual([...BOT_SCOPES]);
    // The code was exchanged with the app's credentials, and the new token checked with auth.test.
    const [exchange] = fake.callsTo('oauth.v2.access');
    expect(exchange.args).toMatchObject({ code: 'code-1', client_id: fake.clientId, client_secret: fake.clientSecret });
    expect(fake.callsTo('auth.test').map((c) => c.token)).toEqual(['xoxb-t1']);
    const [row] = await rows();
    expect(row).toMatchObject({ id: 'T:T1', teamId: 'T1', enterpriseId: null });
    expect(JSON.parse(row.data)).toMatchObject({ team: { id: 'T1', name: 'Acme' }, bot: { token: 'xoxb-t1', userId: 'UBOT' }, isEnterpriseInstall: false });
  });

  it('refuses a redirect whose state is missing, forged or not this browser\'s, and stores nothing', async () => {
    fake.grants.set('code-x', { team: 'T9', token: 'xoxb-t9' });
    const none = await fetch(`${base}/slack/oauth_redirect?code=code-x`, { redirect: 'manual' });
    expect(none.status).toBe(400);
    const forged = await fetch(`${base}/slack/oauth_redirect?code=code-x&state=forged`, { headers: { cookie: 'slack-app-oauth-state=forged' }, redirect: 'manual' });
    expect(forged.status).toBe(400);
    // A real state, but from another browser (no cookie): refused too.
    const { state } = await startInstall();
    const other = await fetch(`${base}/slack/oauth_redirect?code=code-x&state=${encodeURIComponent(state)}`, { redirect: 'manual' });
    expect(other.status).toBe(400);
    expect(fake.callsTo('oauth.v2.access')).toEqual([]);
    expect(await rows()).toEqual([]);
    expect(logged.join('\n')).toMatch(/MissingStateError[\s\S]*InvalidStateError[\s\S]*not for this browser session/);
  });

  it('answers and sends in each installed workspace with that workspace\'s token', async () => {
    await install({ team: 'T1', token: 'xoxb-t1' });
    await install({ team: 'T2', token: 'xoxb-t2' });
    expect((await rows()).map((r) => r.id)).toEqual(['T:T1', 'T:T2']);
    // The fake refuses a post to one workspace's channel with the other's token.
    fake.channelTeams.set('CT1', 'T1');
    fake.channelTeams.set('CT2', 'T2');

    const before = fake.calls.length;
    const answer = await slash('T2', 'UADA', 'contest create "Hoodie" 1 3d');
    expect(answer?.text).toMatch(/Giveaway #1 for "Hoodie" is live/);
    // The request was authorized with T2's installation: its users.info went out with T2's token.
    expect(fake.calls.slice(before).filter((c) => c.method === 'users.info').map((c) => c.token)).toEqual(['xoxb-t2']);
    await slash('T1', 'UADA', 'contest create "Mug" 1 3d');

    expect(await deliver()).toBe(2);
    const posts = fake.callsTo('chat.postMessage');
    expect(posts.map((p) => [p.args.channel, p.token])).toEqual(expect.arrayContaining([['CT2', 'xoxb-t2'], ['CT1', 'xoxb-t1']]));
    // Bolt authorizes every request through the store: installations read a moment ago come from its short cache.
    const reads = vi.spyOn(engine, 'slackInstallation');
    await slash('T1', 'UBOB', 'points');
    await slash('T2', 'UBOB', 'points');
    expect(reads).not.toHaveBeenCalled();
  });

  it('refreshes an expiring token (token rotation), stores the new one and uses it', async () => {
    // Expires within Slack's two-hour window: the first use refreshes it.
    await install({ team: 'T1', token: 'xoxb-old', rotate: true, expiresIn: 60 });
    const first = await stored('T:T1');
    expect(first.bot).toMatchObject({ token: 'xoxb-old', refreshToken: 'xoxe-1-refresh-T1' });
    expect(first.bot.expiresAt).toBeLessThan(Date.now() / 1000 + 120);

    await slash('T1', 'UBOB', 'points');
    const refresh = fake.callsTo('oauth.v2.access').find((c) => c.args.grant_type === 'refresh_token');
    expect(refresh?.args).toMatchObject({ refresh_token: 'xoxe-1-refresh-T1', client_id: fake.clientId });
    const rotated = await stored('T:T1');
    expect(rotated.bot.token).toBe('xoxe.xoxb-T1-r1');
    expect(rotated.bot.expiresAt).toBeGreaterThan(Date.now() / 1000 + 40_000);
    // The old token is dead at Slack; everything after the refresh used the new one.
    expect(fake.tokens.get('xoxb-old')?.expired).toBe(true);
    expect(fake.callsTo('users.info').map((c) => c.token)).toEqual(['xoxe.xoxb-T1-r1']);

    await slash('T1', 'UADA', 'contest create "Hoodie" 1 3d');
    expect(await deliver()).toBe(1);
    expect(fake.callsTo('chat.postMessage').map((c) => c.token)).toEqual(['xoxe.xoxb-T1-r1']);
    // Fresh for 12 hours now: no second refresh.
    expect(fake.callsTo('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token')).toHaveLength(1);
  });

  it('an org-wide install serves the org\'s workspaces, keyed by the enterprise', async () => {
    await install({ team: 'T3', enterprise: 'E1', orgWide: true, token: 'xoxb-e1' });
    const [row] = await rows();
    expect(row).toMatchObject({ id: 'E:E1', teamId: null, enterpriseId: 'E1' });
    await slash('T3', 'UADA', 'contest create "Hoodie" 1 3d', { enterprise_id: 'E1', is_enterprise_install: 'true' });
    expect(fake.callsTo('users.info').map((c) => c.token)).toEqual(['xoxb-e1']);
    expect(await deliver()).toBe(1);
    expect(fake.callsTo('chat.postMessage').map((c) => [c.args.channel, c.token])).toEqual([['CT3', 'xoxb-e1']]);
  });

  it('app_uninstalled and tokens_revoked remove the installation; sends there then fail clearly', async () => {
    await install({ team: 'T1', token: 'xoxb-t1' });
    await install({ team: 'T2', token: 'xoxb-t2' });
    await slash('T2', 'UADA', 'contest create "Hoodie" 1 3d');

    expect((await post(`${base}/slack/events`, event('T2', { type: 'app_uninstalled', event_ts: '1700000000.1' }))).status).toBe(200);
    await expect.poll(async () => (await rows()).map((r) => r.id)).toEqual(['T:T1']);
    // A revoked user token alone leaves the install; the bot's token revoked removes it.
    await post(`${base}/slack/events`, event('T1', { type: 'tokens_revoked', tokens: { oauth: ['UADA'] }, event_ts: '1700000000.2' }));
    await post(`${base}/slack/events`, event('T1', { type: 'tokens_revoked', tokens: { bot: ['UBOT'] }, event_ts: '1700000000.3' }));
    await expect.poll(async () => (await rows()).length).toBe(0);

    // The outbox cannot send in T2 any more: the error names the problem and the message is retried later.
    expect(await deliver()).toBe(0);
    const msg = await engine.db.prisma.outboxMessage.findFirstOrThrow();
    expect(msg.status).toBe('pending');
    expect(msg.lastError).toMatch(/not installed in workspace T2/);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });
});

describe('slack distribution: configuration', () => {
  it('SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET switch the adapter to distribution (HTTP) mode', async () => {
    const cfg = loadConfig({ SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: STATE_SECRET, SLACK_SIGNING_SECRET: 's', SLACK_PORT: '3998' });
    expect(cfg.platforms).toEqual(['slack']);
    const a = (await createAdapter(engine, cfg)) as SlackAdapter;
    expect(a.mode).toBe('http');
    expect(a.distributed).toBe(true);
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1111.2222', SLACK_SIGNING_SECRET: 's' })).toThrow(/together/);
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: STATE_SECRET })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1111.2222', SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: STATE_SECRET, SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/not both/);
    // One workspace keeps working as before.
    const single = (await createAdapter(engine, loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))) as SlackAdapter;
    expect(single.distributed).toBe(false);
  });
});
