import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP request the bot made to the (fake) Discord API. */
export interface Recorded {
  method: string;
  /** Path after /api/v10, e.g. /interactions/1/tok/callback. */
  path: string;
  query: URLSearchParams;
  body: any;
  authorization?: string;
}

let seq = 1_300_000_000_000_000_000n;
export const snowflake = () => String(seq++);

/**
 * A local stand-in for the Discord REST API (v10) that records every request: interaction callbacks,
 * webhook edits/follow-ups, channel messages, DM channel creation and command registration.
 */
export class FakeDiscord {
  readonly requests: Recorded[] = [];
  /** Channel ids whose message posts fail with 403 Missing Access. */
  readonly failChannels = new Set<string>();
  private server?: Server;
  private waiters: { pred: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = [];

  constructor(readonly applicationId = '1100000000000000001') {}

  get api(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Requests matching a method and a path pattern. */
  find(method: string, path: RegExp | string): Recorded[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  /** Resolves with the first (past or future) request matching pred. */
  waitFor(pred: (r: Recorded) => boolean): Promise<Recorded> {
    const seen = this.requests.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  clear(): void {
    this.requests.length = 0;
  }

  private message(channelId: string, body: any) {
    return {
      ...botMessage(this.applicationId, channelId, { content: body?.content, components: body?.components, flags: body?.flags }),
      webhook_id: this.applicationId,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v\d+/, ''));
    let body: any = undefined;
    if (raw) {
      try { body = JSON.parse(raw); } catch { body = raw; }
    }
    const rec: Recorded = { method: req.method ?? 'GET', path, query: url.searchParams, body, authorization: req.headers.authorization };
    this.requests.push(rec);
    this.waiters = this.waiters.filter((w) => (w.pred(rec) ? (w.resolve(rec), false) : true));

    const json = (status: number, data?: unknown) => {
      if (data === undefined) {
        res.writeHead(status);
        res.end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const m = (re: RegExp) => re.exec(path);
    let g: RegExpExecArray | null;
    if (rec.method === 'POST' && m(/^\/interactions\/\d+\/[^/]+\/callback$/)) return json(204);
    if ((g = m(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/))) {
      if (rec.method === 'PATCH') return json(200, this.message('0', body));
      if (rec.method === 'DELETE') return json(204);
      if (rec.method === 'GET') return json(200, this.message('0', {}));
    }
    if (rec.method === 'POST' && m(/^\/webhooks\/\d+\/[^/]+$/)) return json(200, this.message('0', body));
    if (rec.method === 'POST' && (g = m(/^\/channels\/([^/]+)\/messages$/))) {
      if (this.failChannels.has(g[1])) return json(403, { message: 'Missing Access', code: 50001 });
      return json(200, this.message(g[1], body));
    }
    if (rec.method === 'POST' && path === '/users/@me/channels') {
      const id = `9${body.recipient_id}`;
      return json(200, { id, type: 1, last_message_id: null, recipients: [{ id: body.recipient_id, username: 'someone', discriminator: '0', global_name: null, avatar: null }] });
    }
    if (rec.method === 'PUT' && m(/^\/applications\/\d+(\/guilds\/\d+)?\/commands$/)) {
      return json(200, (body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake() })));
    }
    return json(404, { message: '404: Not Found', code: 0 });
  }
}

/* ------------------------------------------------------------------------------------------------
 * Raw gateway INTERACTION_CREATE payloads, shaped like Discord sends them.
 * ---------------------------------------------------------------------------------------------- */

export const PERMS = {
  /** View channel + send messages + use application commands: an ordinary member. */
  member: String((1n << 10n) | (1n << 11n) | (1n << 31n)),
  /** Manage Server on top. */
  manageGuild: String((1n << 10n) | (1n << 11n) | (1n << 31n) | (1n << 5n)),
  administrator: String(1n << 3n),
};

export interface Who {
  id: string;
  username: string;
  nick?: string | null;
  globalName?: string | null;
  permissions?: string;
  /** The language of their Discord client, sent as the interaction's `locale` (default "en-US"). */
  locale?: string;
}

export interface Where {
  guildId?: string | null;
  channelId?: string;
  applicationId: string;
  id?: string;
  token?: string;
}

function userObj(u: Who) {
  return { id: u.id, username: u.username, discriminator: '0', global_name: u.globalName ?? null, avatar: null, public_flags: 0 };
}

/** The fields every raw interaction has, plus the rest as Discord sends it. */
export type RawInteraction = { id: string; token: string; [k: string]: any };

function base(type: number, who: Who, where: Where): RawInteraction {
  const channelId = where.channelId ?? '1200000000000000001';
  const guildId = where.guildId === undefined ? '1000000000000000001' : where.guildId;
  const common = {
    id: where.id ?? snowflake(),
    application_id: where.applicationId,
    type,
    token: where.token ?? `tok-${snowflake()}`,
    version: 1,
    app_permissions: '562949953421311',
    locale: who.locale ?? 'en-US',
    entitlements: [],
    attachment_size_limit: 10485760,
  };
  if (guildId) {
    return {
      ...common,
      guild_id: guildId,
      guild_locale: 'en-US',
      guild: { id: guildId, locale: 'en-US', features: [] },
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: guildId, name: 'general', position: 0, permission_overwrites: [], nsfw: false, parent_id: null },
      member: {
        user: userObj(who),
        nick: who.nick ?? null,
        roles: [],
        joined_at: '2025-01-01T00:00:00.000Z',
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        avatar: null,
        premium_since: null,
        communication_disabled_until: null,
        permissions: who.permissions ?? PERMS.member,
      },
      authorizing_integration_owners: { '0': guildId },
      context: 0,
    };
  }
  return {
    ...common,
    channel_id: channelId,
    channel: { id: channelId, type: 1, last_message_id: null, recipients: [userObj(who)] },
    user: userObj(who),
    authorizing_integration_owners: { '0': '1', '1': who.id },
    context: 1,
  };
}

export type RawOption = { name: string; type: number; value?: string | number | boolean; options?: RawOption[] };

/** A slash command. `sub` makes the options children of a subcommand option. */
export function chatInput(who: Who, where: Where, name: string, opts: { sub?: string; options?: RawOption[]; resolvedUsers?: Who[] } = {}): RawInteraction {
  const options = opts.sub ? [{ name: opts.sub, type: 1, options: opts.options ?? [] }] : (opts.options ?? []);
  const users = Object.fromEntries((opts.resolvedUsers ?? []).map((u) => [u.id, userObj(u)]));
  return {
    ...base(2, who, where),
    data: {
      id: '1400000000000000001',
      name,
      type: 1,
      options,
      ...(opts.resolvedUsers?.length ? { resolved: { users } } : {}),
      ...(where.guildId === null ? {} : { guild_id: where.guildId ?? '1000000000000000001' }),
    },
  };
}

/** A message as Discord returns it, authored by the bot. */
function botMessage(applicationId: string, channelId: string, m: { id?: string; content?: string; components?: unknown[]; flags?: number }) {
  return {
    id: m.id ?? snowflake(),
    channel_id: channelId,
    type: 0,
    content: m.content ?? '',
    components: m.components ?? [],
    flags: m.flags ?? 0,
    author: { id: applicationId, username: 'engage', discriminator: '0000', global_name: null, avatar: null, bot: true },
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
  };
}

/** A button press on a message the bot posted. */
export function buttonPress(who: Who, where: Where, customId: string, message?: { id: string; content: string; components: unknown[] }): RawInteraction {
  const b = base(3, who, where);
  return {
    ...b,
    message: botMessage(where.applicationId, b.channel_id, { id: message?.id, content: message?.content, components: message?.components }),
    data: { custom_id: customId, component_type: 2 },
  };
}

/** A modal submission (new-style Label components wrapping text inputs). */
export function modalSubmit(who: Who, where: Where, customId: string, values: Record<string, string>): RawInteraction {
  return {
    ...base(5, who, where),
    data: {
      custom_id: customId,
      components: Object.entries(values).map(([k, v], i) => ({ type: 18, id: i * 2 + 1, component: { type: 4, id: i * 2 + 2, custom_id: k, value: v } })),
    },
  };
}
