import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';

/**
 * A fake Slack Web API on 127.0.0.1 that records what the bot sends: Web API calls under /api/<method>
 * (form-encoded like @slack/web-api sends them; JSON-looking fields are parsed) and response_url POSTs
 * under /response/<id>. Plus helpers to send signed requests to the bot like Slack does.
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
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly users = new Map<string, FakeUser>();
  /** Methods that answer { ok: false, error } (e.g. to make send() fail). */
  readonly failing = new Map<string, string>();
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

  addUser(u: FakeUser) {
    this.users.set(u.id, u);
    return u;
  }

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.startsWith('/response/')) {
        this.responses.push({ id: url.pathname.slice('/response/'.length), body: raw ? JSON.parse(raw) : {} });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
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
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(this.answer(m[1], args)));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private answer(method: string, args: Record<string, any>): Record<string, unknown> {
    const fail = this.failing.get(method);
    if (fail) return { ok: false, error: fail };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'engage', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'users.info': {
        const u = this.users.get(args.user);
        if (!u) return { ok: false, error: 'user_not_found' };
        const withLocale = args.include_locale === true || args.include_locale === 'true';
        return {
          ok: true,
          user: {
            id: u.id, team_id: 'T1', name: u.name, real_name: u.displayName, is_admin: !!u.admin, is_owner: !!u.owner, is_primary_owner: false,
            profile: { display_name: u.displayName, real_name: u.displayName },
            ...(withLocale ? { locale: u.locale ?? 'en-US' } : {}),
          },
        };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${args.users}` } };
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: `${1700000000 + ++this.seq}.000100`, message: { text: args.text } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${1700000000 + ++this.seq}.000200` };
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: `V${++this.seq}`, hash: `h${this.seq}`, ...(typeof args.view === 'object' ? args.view : {}) } };
      default:
        return { ok: true };
    }
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
