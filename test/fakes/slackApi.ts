import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';

/**
 * A fake Slack Web API on 127.0.0.1 that records what the bot sends: Web API calls under /api/<method>
 * (form-encoded like @slack/web-api sends them; JSON-looking fields are parsed) and response_url POSTs
 * under /response/<id>. Plus helpers to send signed requests to the bot like Slack does.
 *
 * It refuses what Slack refuses (see `slackLimits`), the way Slack does: HTTP 200 with { ok: false, error }
 * and a response_metadata message naming the part. A refused response_url post is not shown (it is not in
 * `responses`); every refusal is kept in `refusals`.
 */
export interface ApiCall {
  method: string;
  args: Record<string, any>;
  token?: string;
}

export interface ResponsePost {
  id: string;
  body: Record<string, any>;
}

export interface FakeUser {
  id: string;
  name: string;
  displayName: string;
  admin?: boolean;
  owner?: boolean;
  /** Slack's locale ("en-US", "ko-KR"); users.info returns it only with include_locale. */
  locale?: string;
  /** An app's bot user (users.info is_bot). */
  bot?: boolean;
}

/** A message or view Slack would not take, and why. */
export interface Refusal {
  /** The Web API method, or "response_url". */
  method: string;
  error: string;
  /** Where in the payload (a JSON pointer, like Slack's response_metadata) and what is wrong. */
  messages: string[];
}

/** A bot token the fake knows: which workspace (and org) it is for; expired tokens answer token_expired. */
export interface FakeToken {
  team: string;
  enterprise?: string;
  /** An org-wide install's token: good in every workspace of the org (teamOrgs). */
  orgWide?: boolean;
  expired?: boolean;
}

/** What an OAuth code (or a refresh token) is exchanged for by oauth.v2.access. */
export interface FakeGrant {
  team: string;
  teamName?: string;
  /** An org-wide install: no team in the answer, the enterprise instead. */
  enterprise?: string;
  orgWide?: boolean;
  token: string;
  /** Token rotation: the grant answers with a refresh token and expires_in. */
  rotate?: boolean;
  expiresIn?: number;
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  /** Everything refused for breaking a Slack limit. */
  readonly refusals: Refusal[] = [];
  readonly users = new Map<string, FakeUser>();
  /** Methods that answer with this HTTP status instead (e.g. 503: Slack in trouble). */
  readonly httpFailing = new Map<string, number>();
  /** Methods (or "response_url") that answer { ok: false, error } (e.g. to make send() fail). */
  readonly failing = new Map<string, string>();
  /** Runs once right after the fake answers this method (e.g. another writer changing a user group meanwhile). */
  readonly afterCall = new Map<string, () => void>();
  // ---- tier access: user groups and channel membership ----
  /** User group id -> its members (usergroups.users.list/update); unknown ids answer no_such_subteam. */
  readonly usergroups = new Map<string, string[]>();
  /** Disabled user groups (usergroups.disable/enable). */
  readonly disabledGroups = new Set<string>();
  /** Channel id -> its members (conversations.invite/kick); the bot is "UBOT". Unknown ids answer channel_not_found. */
  readonly channels = new Map<string, Set<string>>();
  // ---- distribution (OAuth): bot tokens per workspace, codes to exchange, token rotation ----
  /** Known bot tokens. Once any is registered, every Web API call must use a known, unexpired one. */
  readonly tokens = new Map<string, FakeToken>();
  /** OAuth codes (one use each), as Slack's authorize page would hand them to the redirect URL. */
  readonly grants = new Map<string, FakeGrant>();
  /** Refresh token -> the grant it renews (token rotation). */
  readonly refreshTokens = new Map<string, FakeGrant>();
  /** Channel id -> the workspace it is in: a message there with another workspace's token is channel_not_found. */
  readonly channelTeams = new Map<string, string>();
  /** User id -> the workspace they are in: conversations.open with another workspace's token is user_not_found (and their DM channel, "D<user>", is that workspace's). */
  readonly userTeams = new Map<string, string>();
  /** Workspace id -> its Enterprise Grid org: an org-wide install's token works in each of them. */
  readonly teamOrgs = new Map<string, string>();
  /** The app's OAuth client credentials oauth.v2.access checks. */
  clientId = '1111.2222';
  clientSecret = 'fake-client-secret';
  private rotations = 0;
  private server?: Server;
  private seq = 0;
  port = 0;

  get apiUrl() {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url on this server. */
  responseUrl(id = `r${++this.seq}`) {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /**
   * The HTTP response body of a slash command as Slack reads it: a message in the acknowledgement is shown
   * like one posted to the response_url, within the same limits. Kept in `responses` under `id`.
   */
  takeAck(id: string, text: string): void {
    if (!text) return;
    const body = JSON.parse(text) as Record<string, unknown>;
    const refused = this.refuse('slash_ack', checkMessage(body));
    if (!refused) this.responses.push({ id, body });
  }

  addUser(u: FakeUser) {
    this.users.set(u.id, u);
    return u;
  }

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.startsWith('/response/')) {
        const body = raw ? JSON.parse(raw) : {};
        const fail = this.failing.get('response_url');
        const refused = fail ? { ok: false, error: fail } : this.refuse('response_url', checkMessage(body));
        if (!refused) this.responses.push({ id: url.pathname.slice('/response/'.length), body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(refused ?? { ok: true }));
        return;
      }
      const m = /^\/api\/([\w.]+)$/.exec(url.pathname);
      if (!m) {
        res.writeHead(404);
        res.end();
        return;
      }
      const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || args.token;
      this.calls.push({ method: m[1], args, token });
      const status = this.httpFailing.get(m[1]);
      if (status) {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('upstream trouble');
        return;
      }
      const answer = this.checkToken(m[1], token) ?? this.answer(m[1], args, token);
      const after = this.afterCall.get(m[1]);
      this.afterCall.delete(m[1]);
      after?.();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Records a refusal and returns Slack's answer to it, or null when `problem` is null. */
  private refuse(method: string, problem: Problem | null): Record<string, unknown> | null {
    if (!problem) return null;
    this.refusals.push({ method, ...problem });
    return { ok: false, error: problem.error, response_metadata: { messages: problem.messages } };
  }

  /** With tokens registered: an unknown token is invalid_auth, an expired one token_expired (oauth.v2.access needs none). */
  private checkToken(method: string, token: string | undefined): Record<string, unknown> | null {
    if (!this.tokens.size || method === 'oauth.v2.access') return null;
    const t = token ? this.tokens.get(token) : undefined;
    if (!t) return { ok: false, error: 'invalid_auth' };
    if (t.expired) return { ok: false, error: 'token_expired' };
    return null;
  }

  /** A channel known to be in one workspace, written to with a token of another. */
  private wrongTeam(channel: unknown, token: string | undefined): boolean {
    const id = String(channel);
    const team = this.channelTeams.get(id) ?? (id.startsWith('D') ? this.userTeams.get(id.slice(1)) : undefined);
    const t = token ? this.tokens.get(token) : undefined;
    return Boolean(team && t && t.team !== team && !this.orgCovers(t, team));
  }

  /** An org-wide install's token, in a workspace of that org. */
  private orgCovers(t: FakeToken, team: string): boolean {
    return Boolean(t.orgWide && t.enterprise && this.teamOrgs.get(team) === t.enterprise);
  }

  /** oauth.v2.access: a code exchanged once (grant_type authorization_code) or a refresh token (grant_type refresh_token). */
  private oauthAccess(args: Record<string, any>): Record<string, unknown> {
    if (args.client_id !== this.clientId || args.client_secret !== this.clientSecret) return { ok: false, error: 'invalid_client_id' };
    if (args.grant_type === 'refresh_token') {
      const g = this.refreshTokens.get(String(args.refresh_token));
      if (!g) return { ok: false, error: 'invalid_refresh_token' };
      // The old access token stops working; the refresh token stays (Slack keeps it across rotations).
      const old = this.tokens.get(g.token);
      if (old) old.expired = true;
      g.token = `xoxe.xoxb-${g.team}-r${++this.rotations}`;
      this.tokens.set(g.token, { team: g.team, ...(g.enterprise ? { enterprise: g.enterprise } : {}) });
      return { ok: true, token_type: 'bot', access_token: g.token, refresh_token: args.refresh_token, expires_in: 43_200, team: { id: g.team }, enterprise: null };
    }
    const g = this.grants.get(String(args.code));
    if (!g) return { ok: false, error: 'invalid_code' };
    this.grants.delete(String(args.code));
    this.tokens.set(g.token, { team: g.team, ...(g.enterprise ? { enterprise: g.enterprise } : {}), ...(g.orgWide ? { orgWide: true } : {}) });
    const refresh = g.rotate ? `xoxe-1-refresh-${g.team}` : undefined;
    if (refresh) this.refreshTokens.set(refresh, g);
    return {
      ok: true, app_id: 'A1', token_type: 'bot', scope: String(args.scope ?? 'commands,chat:write'), bot_user_id: 'UBOT', access_token: g.token,
      ...(refresh ? { refresh_token: refresh, expires_in: g.expiresIn ?? 43_200 } : {}),
      team: g.orgWide ? null : { id: g.team, name: g.teamName ?? g.team },
      enterprise: g.enterprise ? { id: g.enterprise, name: `Org ${g.enterprise}` } : null,
      is_enterprise_install: Boolean(g.orgWide),
      authed_user: { id: 'UADA' },
    };
  }

  private answer(method: string, args: Record<string, any>, token?: string): Record<string, unknown> {
    const fail = this.failing.get(method);
    if (fail) return { ok: false, error: fail };
    const refused = this.refuse(method, MESSAGE_METHODS.has(method) ? checkMessage(args) : VIEW_METHODS.has(method) ? checkView(args.view) : null);
    if (refused) return refused;
    switch (method) {
      case 'auth.test': {
        const t = token ? this.tokens.get(token) : undefined;
        return { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'engage', team_id: t?.team ?? 'T1', user_id: 'UBOT', bot_id: 'BBOT', ...(t?.enterprise ? { enterprise_id: t.enterprise } : {}) };
      }
      case 'oauth.v2.access':
        return this.oauthAccess(args);
      case 'usergroups.list':
        return {
          ok: true,
          usergroups: [...this.usergroups].filter(([id]) => !this.disabledGroups.has(id)).map(([id, users]) => ({
            id, team_id: 'T1', handle: id.toLowerCase(), date_delete: 0, ...(args.include_users === true || args.include_users === 'true' ? { users: [...users] } : {}),
          })),
        };
      case 'chat.update':
        if (this.wrongTeam(args.channel, token)) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'reactions.add':
        if (!/^[a-z0-9_+'-]+$/.test(String(args.name ?? ''))) return { ok: false, error: 'invalid_name' };
        return { ok: true };
      case 'users.info': {
        const u = this.users.get(args.user);
        if (!u) return { ok: false, error: 'user_not_found' };
        const withLocale = args.include_locale === true || args.include_locale === 'true';
        return {
          ok: true,
          user: {
            id: u.id, team_id: 'T1', name: u.name, real_name: u.displayName, is_admin: !!u.admin, is_owner: !!u.owner, is_primary_owner: false, is_bot: !!u.bot,
            profile: { display_name: u.displayName, real_name: u.displayName },
            ...(withLocale ? { locale: u.locale ?? 'en-US' } : {}),
          },
        };
      }
      case 'conversations.open': {
        const team = this.userTeams.get(String(args.users));
        const t = token ? this.tokens.get(token) : undefined;
        if (team && t && t.team !== team && !this.orgCovers(t, team)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: `D${args.users}` } };
      }
      case 'chat.postMessage':
        if (this.wrongTeam(args.channel, token)) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: args.channel, ts: `${1700000000 + ++this.seq}.000100`, message: { text: args.text } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${1700000000 + ++this.seq}.000200` };
      case 'usergroups.users.list':
      case 'usergroups.users.update':
      case 'usergroups.enable':
      case 'usergroups.disable':
      case 'conversations.invite':
      case 'conversations.kick':
        return this.access(method, args);
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: `V${++this.seq}`, hash: `h${this.seq}`, ...(typeof args.view === 'object' ? args.view : {}) } };
      default:
        return { ok: true };
    }
  }

  /** User groups and channel membership, refused the way Slack does. */
  private access(method: string, args: Record<string, any>): Record<string, unknown> {
    const no = (error: string) => ({ ok: false, error });
    if (method.startsWith('usergroups.')) {
      const id = String(args.usergroup ?? '');
      const members = this.usergroups.get(id);
      if (!members) return no('no_such_subteam');
      const group = () => ({ id, team_id: 'T1', users: [...members], user_count: members.length, date_delete: this.disabledGroups.has(id) ? 1 : 0 });
      if (method === 'usergroups.users.list') {
        if (this.disabledGroups.has(id) && !(args.include_disabled === true || args.include_disabled === 'true')) return no('no_such_subteam');
        return { ok: true, users: [...members] };
      }
      if (method === 'usergroups.enable') { this.disabledGroups.delete(id); return { ok: true, usergroup: group() }; }
      if (method === 'usergroups.disable') { this.disabledGroups.add(id); return { ok: true, usergroup: group() }; }
      const users = String(args.users ?? '').split(',').map((u) => u.trim()).filter(Boolean);
      if (!users.length) return no('no_users_provided');
      if (users.some((u) => !this.users.has(u))) return no('invalid_users');
      members.splice(0, members.length, ...new Set(users));
      return { ok: true, usergroup: group() };
    }
    const channel = this.channels.get(String(args.channel ?? ''));
    if (!channel) return no('channel_not_found');
    if (method === 'conversations.invite') {
      if (!channel.has('UBOT')) return no('not_in_channel');
      const users = String(args.users ?? '').split(',').filter(Boolean);
      if (!users.length) return no('no_user');
      if (users.includes('UBOT')) return no('cant_invite_self');
      if (users.some((u) => !this.users.has(u))) return no('user_not_found');
      if (users.every((u) => channel.has(u))) return no('already_in_channel');
      for (const u of users) channel.add(u);
      return { ok: true, channel: { id: args.channel } };
    }
    const user = String(args.user ?? '');
    if (user === 'UBOT') return no('cant_kick_self');
    if (!this.users.has(user)) return no('user_not_found');
    if (!channel.has('UBOT')) return no('restricted_action');
    if (!channel.has(user)) return no('not_in_channel');
    channel.delete(user);
    return { ok: true };
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits (polling) until `pick` returns something truthy; fails after `ms`. */
  async waitFor<T>(pick: () => T | undefined | null | false, ms = 5000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = pick();
      if (v) return v;
      if (Date.now() > until) throw new Error('FakeSlack.waitFor: timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/* ------------------------------------------------------------------------------------------------
 * Slack's documented limits (chat.postMessage, Block Kit reference, views.open), checked the way Slack
 * answers: msg_too_long for the text, invalid_blocks for a block that breaks its schema,
 * msg_blocks_too_long for blocks holding too much text in all, invalid_arguments for a view. Lengths
 * are counted in UTF-16 units, at least as strict as Slack.
 * ---------------------------------------------------------------------------------------------- */

export const slackLimits = {
  text: 40_000,
  blocksPerMessage: 50,
  blocksPerView: 100,
  /** Text characters (every "text" string) in one message's blocks; Slack's undocumented cap is about this. */
  blockText: 12_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  url: 3000,
  viewTitle: 24,
  viewSubmit: 24,
  viewClose: 24,
  callbackId: 255,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputMaxLength: 3000,
  selectPlaceholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
} as const;

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.scheduleMessage']);

const VIEW_METHODS = new Set(['views.open', 'views.publish', 'views.update', 'views.push']);

interface Problem {
  error: string;
  messages: string[];
}

const L = slackLimits;
const tooLong = (s: unknown, max: number) => typeof s === 'string' && s.length > max;
const lengthError = (max: number, at: string) => `[ERROR] must be less than ${max + 1} characters [json-pointer:${at}]`;

/** What is wrong with one text object ({ type, text }) at `at`: too long, or empty. */
function textObject(t: any, max: number, at: string, out: string[]) {
  if (!t || typeof t.text !== 'string' || !['plain_text', 'mrkdwn'].includes(t.type)) out.push(`[ERROR] must provide a text object [json-pointer:${at}]`);
  else if (!t.text.length) out.push(`[ERROR] must be more than 0 characters [json-pointer:${at}/text]`);
  else if (t.text.length > max) out.push(lengthError(max, `${at}/text`));
}

function element(e: any, at: string, out: string[]) {
  if (tooLong(e?.action_id, L.actionId)) out.push(lengthError(L.actionId, `${at}/action_id`));
  if (e?.type === 'button') {
    textObject(e.text, L.buttonText, `${at}/text`, out);
    if (tooLong(e.value, L.buttonValue)) out.push(lengthError(L.buttonValue, `${at}/value`));
    if (tooLong(e.url, L.url)) out.push(lengthError(L.url, `${at}/url`));
  }
  if (e?.type === 'static_select' || e?.type === 'multi_static_select') {
    textObject(e.placeholder, L.selectPlaceholder, `${at}/placeholder`, out);
    if (!e.options?.length || e.options.length > L.selectOptions) out.push(`[ERROR] must have 1 to ${L.selectOptions} items [json-pointer:${at}/options]`);
    (e.options ?? []).forEach((o: any, k: number) => {
      textObject(o?.text, L.optionText, `${at}/options/${k}/text`, out);
      if (typeof o?.value !== 'string' || !o.value.length || o.value.length > L.optionValue) out.push(lengthError(L.optionValue, `${at}/options/${k}/value`));
    });
    if (e.type === 'multi_static_select' && e.max_selected_items !== undefined && !(e.max_selected_items >= 1)) out.push(`[ERROR] must be at least 1 [json-pointer:${at}/max_selected_items]`);
  }
  if (e?.type === 'plain_text_input' && (e.max_length ?? 0) > L.inputMaxLength) out.push(`[ERROR] must be at most ${L.inputMaxLength} [json-pointer:${at}/max_length]`);
}

/** Schema problems of a list of blocks (message or view). */
function blockProblems(blocks: any[], root: string, maxBlocks: number): string[] {
  const out: string[] = [];
  if (blocks.length > maxBlocks) out.push(`[ERROR] no more than ${maxBlocks} items allowed [json-pointer:${root}]`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `${root}/${i}`;
    if (typeof b?.block_id === 'string') {
      if (b.block_id.length > L.blockId) out.push(lengthError(L.blockId, `${at}/block_id`));
      if (blockIds.has(b.block_id)) out.push(`[ERROR] duplicate block_id ${b.block_id} [json-pointer:${at}/block_id]`);
      blockIds.add(b.block_id);
    }
    switch (b?.type) {
      case 'section':
        if (b.text) textObject(b.text, L.sectionText, `${at}/text`, out);
        else if (!b.fields?.length) out.push(`[ERROR] must provide text or fields [json-pointer:${at}]`);
        if ((b.fields?.length ?? 0) > L.sectionFields) out.push(`[ERROR] no more than ${L.sectionFields} items allowed [json-pointer:${at}/fields]`);
        (b.fields ?? []).forEach((f: any, k: number) => textObject(f, L.fieldText, `${at}/fields/${k}`, out));
        if (b.accessory) element(b.accessory, `${at}/accessory`, out);
        break;
      case 'header':
        textObject(b.text, L.headerText, `${at}/text`, out);
        break;
      case 'context':
        if (!b.elements?.length || b.elements.length > L.contextElements) out.push(`[ERROR] must have 1 to ${L.contextElements} items [json-pointer:${at}/elements]`);
        break;
      case 'actions': {
        if (!b.elements?.length || b.elements.length > L.actionsElements) out.push(`[ERROR] must have 1 to ${L.actionsElements} items [json-pointer:${at}/elements]`);
        const ids = new Set<string>();
        (b.elements ?? []).forEach((e: any, k: number) => {
          element(e, `${at}/elements/${k}`, out);
          if (e?.action_id && ids.has(e.action_id)) out.push(`[ERROR] duplicate action_id ${e.action_id} [json-pointer:${at}/elements/${k}/action_id]`);
          ids.add(e?.action_id);
        });
        break;
      }
      case 'input':
        textObject(b.label, L.inputLabel, `${at}/label`, out);
        element(b.element, `${at}/element`, out);
        break;
      case 'divider':
      case 'image':
      case 'rich_text':
      case 'markdown':
        break;
      default:
        out.push(`[ERROR] unknown block type ${String(b?.type)} [json-pointer:${at}/type]`);
    }
  });
  return out;
}

/** Every "text" string in the blocks: what Slack's cap on a message's blocks counts. */
function blockTextLength(v: unknown, key?: string): number {
  if (typeof v === 'string') return key === 'text' ? v.length : 0;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + blockTextLength(x), 0);
  if (v && typeof v === 'object') return Object.entries(v).reduce((n, [k, x]) => n + blockTextLength(x, k), 0);
  return 0;
}

/** What Slack answers a message (chat.postMessage, chat.postEphemeral, a response_url post) with, if it refuses it. */
export function checkMessage(m: Record<string, any>): Problem | null {
  const blocks = typeof m.blocks === 'string' ? safeJson(m.blocks) : m.blocks;
  if (tooLong(m.text, L.text)) return { error: 'msg_too_long', messages: [lengthError(L.text, '/text')] };
  if (blocks === undefined || blocks === null) return m.text ? null : { error: 'no_text', messages: [] };
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', messages: ['[ERROR] must be an array [json-pointer:/blocks]'] };
  const problems = blockProblems(blocks, '/blocks', L.blocksPerMessage);
  if (problems.length) return { error: 'invalid_blocks', messages: problems };
  const n = blockTextLength(blocks);
  if (n > L.blockText) return { error: 'msg_blocks_too_long', messages: [`[ERROR] ${n} characters of text in blocks; at most ${L.blockText}`] };
  if (!blocks.length && !m.text) return { error: 'no_text', messages: [] };
  return null;
}

/** What Slack answers views.open / views.publish with, if it refuses the view. */
export function checkView(view: any): Problem | null {
  if (!view || typeof view !== 'object') return { error: 'invalid_arguments', messages: ['[ERROR] missing required field: view'] };
  const out: string[] = [];
  if (view.type === 'modal') {
    textObject(view.title, L.viewTitle, '/view/title', out);
    if (view.submit) textObject(view.submit, L.viewSubmit, '/view/submit', out);
    if (view.close) textObject(view.close, L.viewClose, '/view/close', out);
  }
  if (tooLong(view.callback_id, L.callbackId)) out.push(lengthError(L.callbackId, '/view/callback_id'));
  if (tooLong(view.private_metadata, L.privateMetadata)) out.push(lengthError(L.privateMetadata, '/view/private_metadata'));
  out.push(...blockProblems(Array.isArray(view.blocks) ? view.blocks : [], '/view/blocks', L.blocksPerView));
  return out.length ? { error: 'invalid_arguments', messages: out } : null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw);
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Slack's request signature: v0=HMAC-SHA256(secret, "v0:<ts>:<body>"). */
export function signSlack(secret: string, body: string, ts = Math.floor(Date.now() / 1000)) {
  const sig = 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig };
}

/** A request body as Slack would send it, signed; `post` it as often as you like (same bytes each time). */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function signedForm(secret: string, fields: Record<string, string>): SignedRequest {
  const body = new URLSearchParams(fields).toString();
  return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlack(secret, body) } };
}

export function signedPayload(secret: string, payload: unknown): SignedRequest {
  return signedForm(secret, { payload: JSON.stringify(payload) });
}

export function signedJson(secret: string, json: unknown): SignedRequest {
  const body = JSON.stringify(json);
  return { body, headers: { 'content-type': 'application/json', ...signSlack(secret, body) } };
}

/** POSTs a signed request to the bot; extra headers (e.g. X-Slack-Retry-Num) are added unsigned, like Slack does. */
export async function post(url: string, req: SignedRequest, extra: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { ...req.headers, ...extra }, body: req.body });
  const text = await res.text();
  return { status: res.status, text, json: text ? safeJson(text) : undefined };
}
