import { expect } from 'vitest';
import { LogLevel } from '@slack/bolt';
import { freshSqlite, seeded, Clock } from './helpers.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { Engine } from '../src/engine.js';
import { allCommands } from '../commands/index.js';
import { SlackAdapter, type SlackAdapterOptions } from '../adapters/slack/index.js';
import { FakeSlack, post, signedForm, signedJson, signedPayload, type FakeGrant, type FakeUser, type SignedRequest } from './fakes/slackApi.js';

export const SECRET = 'test-signing-secret';
export const TEAM = 'T1';
export const STATE_SECRET = 'state-secret-0123456789abcdef';
export const AUTHORIZE_URL = 'https://slack.example.test/oauth/v2/authorize';

export const ADA: FakeUser = { id: 'UADA', name: 'ada', displayName: 'Ada', admin: true };
export const BOB: FakeUser = { id: 'UBOB', name: 'bob', displayName: 'Bob' };
export const CAROL: FakeUser = { id: 'UCAROL', name: 'carol', displayName: 'Carol' };

export interface SlackHarnessOptions {
  /** The workspace's people in the fake (default: Ada, an admin, Bob and Carol). */
  users?: FakeUser[];
  /** The engine's clock (default: now). */
  clock?: Clock;
  /** Distribution mode: the OAuth install flow, many workspaces; warnings and errors go to `logged`. Else one workspace with a bot token. */
  oauth?: boolean;
  /** More adapter options, over the harness's. */
  adapter?: Partial<SlackAdapterOptions>;
}

export interface SlashOptions {
  team?: string;
  /** team_domain (default "acme"). */
  domain?: string;
  channel?: string;
  /** More form fields (enterprise_id, ...), over the others. */
  extra?: Record<string, string>;
}

export type PostResult = Awaited<ReturnType<typeof post>>;

/** The fake Slack API, a real engine on SQLite and a SlackAdapter in HTTP mode on a free port, wired together. */
export interface SlackHarness {
  fake: FakeSlack;
  db: Database;
  clock: Clock;
  /** What the engines reported through onError: nothing, checked by close(). */
  errors: unknown[];
  /** What the adapter (and InstallProvider) logged at warn or error, in OAuth mode. */
  logged: string[];
  readonly engine: Engine;
  readonly adapter: SlackAdapter;
  /** http://127.0.0.1:<port> of the adapter. */
  readonly base: string;
  /** Where Slack posts commands, actions and events. */
  readonly url: string;
  /** A number for ids (rid, event_id, trigger_id, codes), new every call. */
  next(): number;
  /** The adapter's options (as the harness starts it), with `more` over them: for another adapter on the fake. */
  adapterOptions(more?: Partial<SlackAdapterOptions>): SlackAdapterOptions;
  /** Stops the adapter and starts a new one with `adapter` options added; with `engine`, on a new engine too (a restart: nothing in memory). */
  restart(opts?: { engine?: boolean; adapter?: Partial<SlackAdapterOptions> }): Promise<void>;
  /** A signed slash command; its answer arrives at the response_url id `rid`. */
  slashRequest(userId: string, command: string, text?: string, opts?: SlashOptions): { req: SignedRequest; rid: string };
  /** Posts a slash command (HTTP 200 expected); the answer in the acknowledgement is `res`. */
  slash(userId: string, command: string, text?: string, opts?: SlashOptions): Promise<{ req: SignedRequest; rid: string; res: PostResult }>;
  /** The `n`th message posted to (or acknowledged under) the response_url id `rid`, once there. */
  answerAt(rid: string, n?: number): Promise<any>;
  /** A slash command and its answer (in the acknowledgement or at the response_url). */
  run(userId: string, command: string, text?: string, opts?: SlashOptions): Promise<{ req: SignedRequest; rid: string; res: PostResult; answer: any }>;
  /** A signed block action (a button click, a select choice) on a channel message or an ephemeral reply. */
  actionRequest(userId: string, action: Record<string, unknown>, where?: { channel?: string; messageTs?: string; ephemeral?: boolean }): { req: SignedRequest; rid: string };
  /** A signed Events API callback (event_time: now unless given). */
  eventRequest(event: Record<string, unknown>, opts?: { team?: string; eventTime?: number; extra?: Record<string, unknown> }): SignedRequest;
  /** Posts an event callback. */
  event(event: Record<string, unknown>, opts?: { team?: string; eventTime?: number; extra?: Record<string, unknown> }): Promise<PostResult>;
  /** GET /slack/install: the "Add to Slack" page links to Slack's authorize URL with a state, also set as a cookie. */
  startInstall(): Promise<{ cookie: string; authorize: URL; state: string }>;
  /** The whole OAuth flow: install page, (Slack's authorize page, not fetched), back to the redirect URL with a code. */
  install(grant: FakeGrant): Promise<{ res: Response; authorize: URL; body: string }>;
  /** Delivers the outbox through the adapter (send and edit, with the send meta). */
  deliver(): Promise<number>;
  /** Stops everything; nothing went to onError and nothing the adapter sent broke a Slack limit. */
  close(): Promise<void>;
}

export async function slackHarness(opts: SlackHarnessOptions = {}): Promise<SlackHarness> {
  const fake = new FakeSlack();
  await fake.start();
  for (const u of opts.users ?? [ADA, BOB, CAROL]) fake.addUser({ ...u });
  const s = await freshSqlite();
  const db = await openDatabase(s.url);
  const clock = opts.clock ?? new Clock(new Date().toISOString());
  const errors: unknown[] = [];
  const logged: string[] = [];
  let seq = 0;
  const next = () => ++seq;
  const quiet = {
    debug: () => undefined, info: () => undefined,
    warn: (...m: unknown[]) => { logged.push(m.map(String).join(' ')); },
    error: (...m: unknown[]) => { logged.push(m.map(String).join(' ')); },
    setLevel: () => undefined, getLevel: () => LogLevel.WARN, setName: () => undefined,
  };
  const adapterOptions = (more: Partial<SlackAdapterOptions> = {}): SlackAdapterOptions => ({
    ...(opts.oauth
      ? { oauth: { clientId: fake.clientId, clientSecret: fake.clientSecret, stateSecret: STATE_SECRET, authorizationUrl: AUTHORIZE_URL } }
      : { botToken: 'xoxb-test' }),
    signingSecret: SECRET, port: 0, host: '127.0.0.1', apiUrl: fake.apiUrl,
    clientOptions: { retryConfig: { retries: 0 } },
    ...(opts.oauth ? { logger: quiet as never } : { logLevel: LogLevel.ERROR }),
    ...opts.adapter,
    ...more,
  });
  const newEngine = () => new Engine(db, { commands: allCommands, now: clock.now, random: seeded(), onError: (e) => errors.push(e) });
  let engine = newEngine();
  let adapter = new SlackAdapter(engine, adapterOptions());
  try {
    await adapter.start();
  } catch (e) {
    await fake.stop();
    await db.close();
    s.cleanup();
    throw e;
  }
  const base = () => `http://127.0.0.1:${adapter.port}`;
  const url = () => `${base()}/slack/events`;

  const slashRequest = (userId: string, command: string, text = '', o: SlashOptions = {}) => {
    const rid = `cmd${next()}`;
    const req = signedForm(SECRET, {
      token: 'legacy', team_id: o.team ?? TEAM, team_domain: o.domain ?? 'acme', channel_id: o.channel ?? 'C1', channel_name: 'general',
      user_id: userId, user_name: fake.users.get(userId)!.name, command, text, api_app_id: 'A1', is_enterprise_install: 'false',
      response_url: fake.responseUrl(rid), trigger_id: `trig.${seq}.abc`, ...o.extra,
    });
    return { req, rid };
  };
  const slash = async (userId: string, command: string, text = '', o: SlashOptions = {}) => {
    const { req, rid } = slashRequest(userId, command, text, o);
    const res = await post(url(), req);
    expect(res.status).toBe(200);
    return { req, rid, res };
  };
  const answerAt = (rid: string, n = 1) => fake.waitFor(() => {
    const all = fake.responses.filter((r) => r.id === rid);
    return all.length >= n ? all[n - 1].body : undefined;
  });
  const eventRequest = (event: Record<string, unknown>, o: { team?: string; eventTime?: number; extra?: Record<string, unknown> } = {}) => signedJson(SECRET, {
    token: 'legacy', team_id: o.team ?? TEAM, api_app_id: 'A1', type: 'event_callback', event_id: `Ev${next()}`,
    event_time: o.eventTime ?? Math.floor(Date.now() / 1000), event, ...o.extra,
  });
  const startInstall = async () => {
    const res = await fetch(`${base()}/slack/install`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    const html = await res.text();
    const href = /<a href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBeTruthy();
    const authorize = new URL(href!);
    return { cookie, authorize, state: authorize.searchParams.get('state') ?? '' };
  };

  return {
    fake, db, clock, errors, logged, next, adapterOptions,
    get engine() { return engine; },
    get adapter() { return adapter; },
    get base() { return base(); },
    get url() { return url(); },
    async restart(r = {}) {
      await adapter.stop();
      if (r.engine) engine = newEngine();
      adapter = new SlackAdapter(engine, adapterOptions(r.adapter));
      await adapter.start();
    },
    slashRequest, slash, answerAt,
    async run(userId, command, text = '', o = {}) {
      const { req, rid, res } = await slash(userId, command, text, o);
      fake.takeAck(rid, res.text);
      return { req, rid, res, answer: await answerAt(rid) };
    },
    actionRequest(userId, action, where = {}) {
      const n = next();
      const rid = `act${n}`;
      const ts = where.messageTs ?? '1700000000.000100';
      const channel = where.channel ?? 'C1';
      const name = fake.users.get(userId)!.name;
      const payload = {
        type: 'block_actions',
        user: { id: userId, username: name, name, team_id: TEAM },
        api_app_id: 'A1', token: 'legacy',
        container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: !!where.ephemeral },
        trigger_id: `trig.${n}.action`,
        team: { id: TEAM, domain: 'acme' },
        channel: { id: channel, name: 'general' },
        message: { type: 'message', ts, text: 'card' },
        response_url: fake.responseUrl(rid),
        actions: [{ block_id: 'b', action_ts: `${1700000100 + n}.123456`, ...action }],
      };
      return { req: signedPayload(SECRET, payload), rid };
    },
    eventRequest,
    event: (event, o) => post(url(), eventRequest(event, o)),
    startInstall,
    async install(grant) {
      const { cookie, authorize, state } = await startInstall();
      const code = `code-${next()}`;
      fake.grants.set(code, grant);
      const res = await fetch(`${base()}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
      return { res, authorize, body: await res.text() };
    },
    deliver: () => engine.deliverOutbox('slack', { send: (to, r, meta) => adapter.send(to, r, meta), edit: (to, id, r, meta) => adapter.edit(to, id, r, meta) }),
    async close() {
      await adapter.stop();
      await fake.stop();
      // Activity events wait in the engine's buffer: they are stored (without errors) before the database closes.
      await engine.flush();
      await db.close();
      s.cleanup();
      expect(errors).toEqual([]);
      // Nothing the adapter sent broke a Slack limit.
      expect(fake.refusals).toEqual([]);
    },
  };
}
