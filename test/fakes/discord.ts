import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Status, type Client } from 'discord.js';

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
 *
 * It refuses what Discord refuses (see `discordLimits`), the way Discord does: HTTP 400
 * { code: 50035, message: 'Invalid Form Body', errors } with the errors nested by the payload's path, or
 * 50006 for an empty message. Refused requests stay in `requests` and are also kept in `refusals`.
 */
export class FakeDiscord {
  readonly requests: Recorded[] = [];
  /** Every request refused for breaking a Discord limit, with Discord's answer. */
  readonly refusals: { method: string; path: string; answer: DiscordError }[] = [];
  /** Channel ids whose message posts fail with 403 Missing Access. */
  readonly failChannels = new Set<string>();
  /** Invites per guild id, as GET /guilds/:id/invites lists them (a test raises `uses` as members join). */
  readonly invites = new Map<string, FakeInvite[]>();
  /** Guild ids whose invite list is refused with 403 Missing Permissions (the bot lacks Manage Server). */
  readonly hiddenInvites = new Set<string>();
  /** Roles per guild id (GET /guilds/:g/roles); a role PUT/DELETE on a guild listed here must name one of them. */
  readonly guildRoles = new Map<string, { id: string; name: string; position: number; permissions: string }[]>();
  /** Role ids each member holds, by "guild/user", as the role PUT/DELETE routes left them. */
  readonly memberRoles = new Map<string, Set<string>>();
  /** Role ids whose PUT/DELETE Discord refuses with 403 Missing Permissions (50013). */
  readonly refuseRoles = new Set<string>();
  /** Messages posted to channels (and DMs), by id, as the last POST or PATCH left them. */
  readonly posted = new Map<string, { channelId: string; content?: string; components?: unknown[] }>();
  /** Message ids that were deleted: PATCH and reactions get 404 Unknown Message (10008). */
  readonly deleted = new Set<string>();
  /** Emoji the bot may not react with (403 Missing Permissions, as without Add Reactions). */
  readonly refuseReactions = new Set<string>();
  /** The bot's own reactions, by message id, in the order they were added. */
  readonly reactions = new Map<string, string[]>();
  /**
   * The channel of each interaction token (a test sets it as it dispatches the interaction): the response
   * message (@original) is then a message of that channel, with a stable id, that can be reacted to.
   */
  readonly tokenChannels = new Map<string, string>();
  private readonly originals = new Map<string, string>();
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
    const refused = checkRequest(rec.method, path, body);
    if (refused) {
      this.refusals.push({ method: rec.method, path, answer: refused });
      return json(400, refused);
    }
    if (rec.method === 'POST' && m(/^\/interactions\/\d+\/[^/]+\/callback$/)) return json(204);
    if ((g = m(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/))) {
      const channelId = this.tokenChannels.get(g[2]) ?? '0';
      if (!this.originals.has(g[2])) this.originals.set(g[2], snowflake());
      const id = this.originals.get(g[2])!;
      if (!this.posted.has(id)) this.posted.set(id, { channelId });
      if (rec.method === 'PATCH') return json(200, { ...this.message(channelId, body), id });
      if (rec.method === 'DELETE') return json(204);
      if (rec.method === 'GET') return json(200, { ...this.message(channelId, {}), id });
    }
    if (rec.method === 'POST' && (g = m(/^\/webhooks\/\d+\/([^/]+)$/))) {
      const channelId = this.tokenChannels.get(g[1]) ?? '0';
      const msg = this.message(channelId, body);
      this.posted.set(msg.id, { channelId, content: body?.content, components: body?.components });
      return json(200, msg);
    }
    if (rec.method === 'POST' && (g = m(/^\/channels\/([^/]+)\/messages$/))) {
      if (this.failChannels.has(g[1])) return json(403, { message: 'Missing Access', code: 50001 });
      const msg = this.message(g[1], body);
      this.posted.set(msg.id, { channelId: g[1], content: body?.content, components: body?.components });
      return json(200, msg);
    }
    if (rec.method === 'PATCH' && (g = m(/^\/channels\/([^/]+)\/messages\/(\d+)$/))) {
      if (this.failChannels.has(g[1])) return json(403, { message: 'Missing Access', code: 50001 });
      const known = this.posted.get(g[2]);
      if (!known || known.channelId !== g[1] || this.deleted.has(g[2])) return json(404, { message: 'Unknown Message', code: 10008 });
      this.posted.set(g[2], { channelId: g[1], content: body?.content ?? known.content, components: body?.components ?? known.components });
      return json(200, { ...this.message(g[1], { ...known, ...body }), id: g[2] });
    }
    if (rec.method === 'PUT' && (g = m(/^\/channels\/([^/]+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/))) {
      const known = this.posted.get(g[2]);
      if (!known || known.channelId !== g[1] || this.deleted.has(g[2])) return json(404, { message: 'Unknown Message', code: 10008 });
      if (this.refuseReactions.has(g[3])) return json(403, { message: 'Missing Permissions', code: 50013 });
      if (/^\w+$/.test(g[3])) return json(400, { message: 'Unknown Emoji', code: 10014 });
      this.reactions.set(g[2], [...(this.reactions.get(g[2]) ?? []), g[3]]);
      return json(204);
    }
    if (rec.method === 'POST' && path === '/users/@me/channels') {
      const id = `9${body.recipient_id}`;
      return json(200, { id, type: 1, last_message_id: null, recipients: [{ id: body.recipient_id, username: 'someone', discriminator: '0', global_name: null, avatar: null }] });
    }
    if ((rec.method === 'PUT' || rec.method === 'DELETE') && (g = m(/^\/guilds\/(\d+)\/members\/(\d+)\/roles\/(\d+)$/))) {
      const [, guild, user, role] = g;
      if (this.refuseRoles.has(role)) return json(403, { message: 'Missing Permissions', code: 50013 });
      const roles = this.guildRoles.get(guild);
      if (roles && !roles.some((r) => r.id === role)) return json(404, { message: 'Unknown Role', code: 10011 });
      const held = this.memberRoles.get(`${guild}/${user}`) ?? new Set<string>();
      if (rec.method === 'PUT') held.add(role);
      else held.delete(role);
      this.memberRoles.set(`${guild}/${user}`, held);
      return json(204);
    }
    if (rec.method === 'GET' && (g = m(/^\/guilds\/(\d+)\/roles$/))) {
      return json(200, (this.guildRoles.get(g[1]) ?? []).map((r) => ({ color: 0, hoist: false, managed: false, mentionable: false, flags: 0, icon: null, unicode_emoji: null, ...r })));
    }
    if (rec.method === 'PUT' && m(/^\/applications\/\d+(\/guilds\/\d+)?\/commands$/)) {
      return json(200, (body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake() })));
    }
    if (rec.method === 'GET' && (g = m(/^\/guilds\/(\d+)\/invites$/))) {
      if (this.hiddenInvites.has(g[1])) return json(403, { message: 'Missing Permissions', code: 50013 });
      return json(200, (this.invites.get(g[1]) ?? []).map((i) => inviteObj(g![1], i)));
    }
    return json(404, { message: '404: Not Found', code: 0 });
  }
}

/* ------------------------------------------------------------------------------------------------
 * Discord's documented limits (Create Message, Message Components, Embed Limits, Modals), checked the
 * way Discord answers. Lengths are counted in UTF-16 units, at least as strict as Discord.
 * ---------------------------------------------------------------------------------------------- */

export const discordLimits = {
  content: 2000,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  /** All titles, descriptions, field names and values, footers and author names of a message's embeds. */
  embedTotal: 6000,
  modalTitle: 45,
  modalComponents: 5,
  labelText: 45,
  labelDescription: 100,
  textInputLength: 4000,
  placeholder: 100,
  selectPlaceholder: 150,
  selectOptions: 25,
  selectOption: 100,
} as const;

export interface DiscordError {
  code: number;
  message: string;
  errors?: Record<string, unknown>;
}

type FieldError = { code: string; message: string };
const D = discordLimits;
const IS_COMPONENTS_V2 = 1 << 15;

/** Collects errors in Discord's shape: { a: { 0: { b: { _errors: [...] } } } }. */
class FormErrors {
  readonly tree: Record<string, any> = {};
  count = 0;
  add(path: (string | number)[], e: FieldError) {
    let node = this.tree;
    for (const p of path) node = node[String(p)] ??= {};
    (node._errors ??= []).push(e);
    this.count++;
  }
  /** A string field: required (min 1) or not, at most `max` long. */
  str(path: (string | number)[], v: unknown, max: number, min = 0) {
    if (v === undefined || v === null) {
      if (min > 0) this.add(path, { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      return;
    }
    if (typeof v !== 'string') return this.add(path, { code: 'STRING_TYPE_CONVERT', message: 'Could not interpret the value as string.' });
    if (v.length > max || v.length < min) {
      this.add(path, min > 0
        ? { code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` }
        : { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
    }
  }
  list(path: (string | number)[], v: unknown, max: number, min = 0) {
    const n = Array.isArray(v) ? v.length : 0;
    if (n > max || n < min) {
      this.add(path, min > 0
        ? { code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` }
        : { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
    }
  }
}

/** A message body (create, edit, follow-up, interaction response data). */
function checkMessageBody(b: any, at: (string | number)[], errors: FormErrors) {
  errors.str([...at, 'content'], b.content, D.content);
  const v2 = ((b.flags ?? 0) & IS_COMPONENTS_V2) !== 0;
  if (b.components !== undefined && !v2) {
    errors.list([...at, 'components'], b.components, D.actionRows);
    const ids = new Set<string>();
    (b.components ?? []).forEach((row: any, r: number) => {
      const rowAt = [...at, 'components', r];
      if (row?.type !== 1) return errors.add([...rowAt, 'type'], { code: 'UNION_TYPE_CHOICES', message: 'Value must be one of {1}.' });
      errors.list([...rowAt, 'components'], row.components, D.buttonsPerRow, 1);
      (row.components ?? []).forEach((c: any, k: number) => {
        const cAt = [...rowAt, 'components', k];
        if (c?.type === 3) return checkStringSelect(c, cAt, errors, ids, row.components.length);
        if (c?.type !== 2) return;
        if (c.style === 5) errors.str([...cAt, 'url'], c.url, 512, 1);
        else if (c.style !== 6) {
          errors.str([...cAt, 'custom_id'], c.custom_id, D.customId, 1);
          if (typeof c.custom_id === 'string') {
            if (ids.has(c.custom_id)) errors.add([...cAt, 'custom_id'], { code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
            ids.add(c.custom_id);
          }
        }
        errors.str([...cAt, 'label'], c.label, D.buttonLabel);
        if (!c.label && !c.emoji) errors.add([...cAt, 'label'], { code: 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', message: 'A label or an emoji is required' });
      });
    });
  }
  if (b.embeds !== undefined) {
    errors.list([...at, 'embeds'], b.embeds, D.embeds);
    let total = 0;
    (b.embeds ?? []).forEach((e: any, k: number) => {
      const eAt = [...at, 'embeds', k];
      errors.str([...eAt, 'title'], e.title, D.embedTitle);
      errors.str([...eAt, 'description'], e.description, D.embedDescription);
      errors.list([...eAt, 'fields'], e.fields, D.embedFields);
      (e.fields ?? []).forEach((f: any, j: number) => {
        errors.str([...eAt, 'fields', j, 'name'], f.name, D.embedFieldName, 1);
        errors.str([...eAt, 'fields', j, 'value'], f.value, D.embedFieldValue, 1);
        total += String(f.name ?? '').length + String(f.value ?? '').length;
      });
      errors.str([...eAt, 'footer', 'text'], e.footer?.text, D.embedFooter);
      errors.str([...eAt, 'author', 'name'], e.author?.name, D.embedAuthor);
      total += [e.title, e.description, e.footer?.text, e.author?.name].reduce((n: number, s) => n + String(s ?? '').length, 0);
    });
    if (total > D.embedTotal) errors.add([...at, 'embeds'], { code: 'BASE_TYPE_MAX_LENGTH', message: `Embed size exceeds maximum size of ${D.embedTotal}` });
  }
}

/** A string select: alone in its row, a unique custom_id, 1-25 options with unique values, labels and values 1-100. */
function checkStringSelect(c: any, at: (string | number)[], errors: FormErrors, ids: Set<string>, rowSize: number) {
  if (rowSize !== 1) errors.add(at, { code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', message: 'The specified component exceeds the maximum width' });
  errors.str([...at, 'custom_id'], c.custom_id, D.customId, 1);
  if (typeof c.custom_id === 'string') {
    if (ids.has(c.custom_id)) errors.add([...at, 'custom_id'], { code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
    ids.add(c.custom_id);
  }
  errors.str([...at, 'placeholder'], c.placeholder, D.selectPlaceholder);
  errors.list([...at, 'options'], c.options, D.selectOptions, 1);
  const values = new Set<string>();
  (c.options ?? []).forEach((o: any, k: number) => {
    errors.str([...at, 'options', k, 'label'], o.label, D.selectOption, 1);
    errors.str([...at, 'options', k, 'value'], o.value, D.selectOption, 1);
    if (values.has(o.value)) errors.add([...at, 'options', k, 'value'], { code: 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', message: 'Select component option values must be unique' });
    values.add(o.value);
    if (o.emoji !== undefined && !o.emoji?.id && !o.emoji?.name) errors.add([...at, 'options', k, 'emoji'], { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  });
  const n = c.options?.length ?? 0;
  const min = c.min_values ?? 1;
  const max = c.max_values ?? 1;
  if (!Number.isInteger(min) || min < 0 || min > D.selectOptions) errors.add([...at, 'min_values'], { code: 'NUMBER_TYPE_MAX', message: `int value should be between 0 and ${D.selectOptions}.` });
  if (!Number.isInteger(max) || max < 1 || max > D.selectOptions) errors.add([...at, 'max_values'], { code: 'NUMBER_TYPE_MAX', message: `int value should be between 1 and ${D.selectOptions}.` });
  if (max > n || min > max) errors.add([...at, 'max_values'], { code: 'SELECT_COMPONENT_MAX_VALUES_TOO_LARGE', message: 'max_values must be less than or equal to the number of options, and not less than min_values' });
}

function checkTextInput(c: any, at: (string | number)[], errors: FormErrors, ids: Set<string>) {
  errors.str([...at, 'custom_id'], c.custom_id, D.customId, 1);
  if (typeof c.custom_id === 'string') {
    if (ids.has(c.custom_id)) errors.add([...at, 'custom_id'], { code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
    ids.add(c.custom_id);
  }
  if (c.style !== 1 && c.style !== 2) errors.add([...at, 'style'], { code: 'BASE_TYPE_CHOICES', message: 'Value must be one of (1, 2).' });
  for (const k of ['min_length', 'max_length'] as const) {
    const n = c[k];
    const min = k === 'max_length' ? 1 : 0;
    if (n !== undefined && (typeof n !== 'number' || n < min || n > D.textInputLength)) {
      errors.add([...at, k], { code: 'NUMBER_TYPE_MAX', message: `int value should be between ${min} and ${D.textInputLength}.` });
    }
  }
  errors.str([...at, 'placeholder'], c.placeholder, D.placeholder);
  errors.str([...at, 'value'], c.value, D.textInputLength);
}

/** A modal (interaction callback type 9): legacy action rows of text inputs or Label components. */
function checkModal(d: any, errors: FormErrors) {
  errors.str(['data', 'title'], d?.title, D.modalTitle, 1);
  errors.str(['data', 'custom_id'], d?.custom_id, D.customId, 1);
  errors.list(['data', 'components'], d?.components, D.modalComponents, 1);
  const ids = new Set<string>();
  (d?.components ?? []).forEach((c: any, i: number) => {
    const at = ['data', 'components', i];
    if (c?.type === 18) {
      errors.str([...at, 'label'], c.label, D.labelText, 1);
      errors.str([...at, 'description'], c.description, D.labelDescription);
      if (c.component?.type === 4) checkTextInput(c.component, [...at, 'component'], errors, ids);
    } else if (c?.type === 1) {
      errors.list([...at, 'components'], c.components, 1, 1);
      (c.components ?? []).forEach((t: any, k: number) => {
        errors.str([...at, 'components', k, 'label'], t.label, D.labelText, 1);
        checkTextInput(t, [...at, 'components', k], errors, ids);
      });
    } else errors.add([...at, 'type'], { code: 'UNION_TYPE_CHOICES', message: 'Value must be one of {1, 18}.' });
  });
}

const isEmptyMessage = (b: any) => !b?.content && !b?.components?.length && !b?.embeds?.length && !b?.attachments?.length && !b?.sticker_ids?.length && !b?.poll;

/** Discord's answer to a request it refuses, or null when it takes it. */
export function checkRequest(method: string, path: string, body: any): DiscordError | null {
  const errors = new FormErrors();
  let creates = false;
  if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
    if (body?.type === 9) checkModal(body.data, errors);
    else if ((body?.type === 4 || body?.type === 7) && body.data) {
      checkMessageBody(body.data, ['data'], errors);
      creates = body.type === 4;
    }
    if (creates && isEmptyMessage(body.data) && !errors.count) return { code: 50006, message: 'Cannot send an empty message' };
  } else if ((method === 'POST' && (/^\/channels\/[^/]+\/messages$/.test(path) || /^\/webhooks\/\d+\/[^/]+$/.test(path)))
    || (method === 'PATCH' && /^\/(webhooks\/\d+\/[^/]+|channels\/[^/]+)\/messages\/[^/]+$/.test(path))) {
    checkMessageBody(body ?? {}, [], errors);
    if (method === 'POST' && !errors.count && isEmptyMessage(body)) return { code: 50006, message: 'Cannot send an empty message' };
  }
  return errors.count ? { code: 50035, message: 'Invalid Form Body', errors: errors.tree } : null;
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
  /** Role ids their member holds (the interaction's and reaction's member.roles). */
  roles?: string[];
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
        roles: who.roles ?? [],
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

/** A choice in a string select menu on a message the bot posted: `values` are the chosen option values. */
export function selectChoice(who: Who, where: Where, customId: string, values: string[]): RawInteraction {
  const b = base(3, who, where);
  return {
    ...b,
    message: botMessage(where.applicationId, b.channel_id, {}),
    data: { custom_id: customId, component_type: 3, values },
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

/* ------------------------------------------------------------------------------------------------
 * Raw gateway payloads for activity: READY, GUILD_CREATE, MESSAGE_CREATE, MESSAGE_REACTION_ADD,
 * VOICE_STATE_UPDATE, shaped like Discord sends them.
 * ---------------------------------------------------------------------------------------------- */

export interface Member extends Who {
  bot?: boolean;
}

/** The role that grants a member's `permissions` (beyond an ordinary member's) in guildCreate. */
const roleIdOf = (u: Member) => `3${u.id.slice(1)}`;
const hasOwnRole = (u: Member) => !!u.permissions && u.permissions !== PERMS.member;

function memberObj(u: Member, withUser = true) {
  return {
    ...(withUser ? { user: { ...userObj(u), ...(u.bot ? { bot: true } : {}) } } : {}),
    nick: u.nick ?? null, roles: [...(hasOwnRole(u) ? [roleIdOf(u)] : []), ...(u.roles ?? [])], joined_at: '2025-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0, pending: false,
    avatar: null, premium_since: null, communication_disabled_until: null,
  };
}

/** READY: who the bot is (client.user), with the guilds still unavailable. */
export function ready(applicationId: string, guildIds: string[] = []) {
  return {
    v: 10, session_id: 'gateway-session', resume_gateway_url: 'wss://gateway.discord.gg', shard: [0, 1],
    user: { id: applicationId, username: 'engage', discriminator: '0000', global_name: null, avatar: null, bot: true },
    guilds: guildIds.map((id) => ({ id, unavailable: true })),
    application: { id: applicationId, flags: 0 },
  };
}

/** GUILD_CREATE: a server with a text channel, voice channels (one of them AFK), members and who is in voice. */
export function guildCreate(g: {
  id: string; name: string; textChannelId: string; voiceChannelIds: string[]; afkChannelId?: string; members: Member[];
  voiceStates?: { userId: string; channelId: string; sessionId: string }[];
}) {
  const everyone = { id: g.id, name: '@everyone', permissions: PERMS.member, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0, icon: null, unicode_emoji: null };
  const ch = (id: string, type: number, name: string, position: number) => ({ id, type, name, position, guild_id: g.id, permission_overwrites: [], nsfw: false, parent_id: null });
  return {
    id: g.id, name: g.name, icon: null, splash: null, discovery_splash: null, owner_id: '1', afk_channel_id: g.afkChannelId ?? null, afk_timeout: 300,
    verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0, features: [], mfa_level: 0, system_channel_id: null,
    system_channel_flags: 0, rules_channel_id: null, vanity_url_code: null, description: null, banner: null, premium_tier: 0, preferred_locale: 'en-US',
    public_updates_channel_id: null, nsfw_level: 0, premium_progress_bar_enabled: false, safety_alerts_channel_id: null,
    roles: [everyone, ...g.members.filter(hasOwnRole).map((m, i) => ({ ...everyone, id: roleIdOf(m), name: `role-${m.username}`, permissions: m.permissions, position: i + 1 }))], emojis: [], stickers: [], unavailable: false, member_count: g.members.length, large: false, joined_at: '2025-01-01T00:00:00.000Z',
    channels: [ch(g.textChannelId, 0, 'general', 0), ...g.voiceChannelIds.map((id, i) => ch(id, 2, `voice-${i}`, i + 1))],
    threads: [], presences: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
    members: g.members.map((m) => memberObj(m)),
    voice_states: (g.voiceStates ?? []).map((v) => ({
      user_id: v.userId, channel_id: v.channelId, session_id: v.sessionId, deaf: false, mute: false, self_deaf: false, self_mute: false, self_video: false, suppress: false, request_to_speak_timestamp: null,
    })),
  };
}

/** MESSAGE_CREATE in a guild channel (content is '' when the bot lacks the MessageContent intent). */
export function guildMessage(who: Member, where: { guildId: string; channelId: string }, content: string, extra: Record<string, unknown> = {}) {
  return {
    id: snowflake(), channel_id: where.channelId, guild_id: where.guildId, type: 0, content,
    author: { ...userObj(who), ...(who.bot ? { bot: true } : {}) }, member: memberObj(who, false),
    timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [],
    attachments: [], embeds: [], pinned: false, flags: 0, components: [], ...extra,
  };
}

/** MESSAGE_REACTION_ADD in a guild channel, on a message the bot may never have seen. */
export function reactionAdd(who: Member, where: { guildId: string; channelId: string; messageId: string }, emoji: { id?: string | null; name: string }) {
  return {
    user_id: who.id, channel_id: where.channelId, message_id: where.messageId, guild_id: where.guildId, member: memberObj(who),
    emoji: { id: emoji.id ?? null, name: emoji.name }, burst: false, burst_colors: [], type: 0, message_author_id: '2999999999999999999',
  };
}

/** MESSAGE_REACTION_REMOVE: Discord sends only ids (no member). */
export function reactionRemove(who: Member, where: { guildId: string; channelId: string; messageId: string }, emoji: { id?: string | null; name: string }) {
  return { user_id: who.id, channel_id: where.channelId, message_id: where.messageId, guild_id: where.guildId, emoji: { id: emoji.id ?? null, name: emoji.name }, burst: false, type: 0 };
}

/** VOICE_STATE_UPDATE: channelId null = left voice. */
export function voiceState(who: Member, guildId: string, channelId: string | null, sessionId: string, flags: { selfMute?: boolean; selfDeaf?: boolean } = {}) {
  return {
    guild_id: guildId, channel_id: channelId, user_id: who.id, member: memberObj(who), session_id: sessionId,
    deaf: false, mute: false, self_deaf: !!flags.selfDeaf, self_mute: !!flags.selfMute, self_video: false, suppress: false, request_to_speak_timestamp: null,
  };
}

/* ------------------------------------------------------------------------------------------------
 * Joins, leaves and invites: the REST invite list and the raw GUILD_MEMBER_ADD, GUILD_MEMBER_REMOVE,
 * INVITE_CREATE and INVITE_DELETE gateway payloads, shaped like Discord sends them.
 * ---------------------------------------------------------------------------------------------- */

export interface FakeInvite {
  code: string;
  uses: number;
  /** 0 or absent: unlimited. */
  maxUses?: number;
  inviter?: Who;
  channelId?: string;
}

const INVITE_CHANNEL = '1200000000000000001';

/** An invite as GET /guilds/:id/invites returns it. */
export function inviteObj(guildId: string, i: FakeInvite) {
  return {
    type: 0, code: i.code, uses: i.uses, max_uses: i.maxUses ?? 0, max_age: 0, temporary: false,
    created_at: '2025-01-01T00:00:00.000Z', expires_at: null,
    guild: { id: guildId, name: 'Acme', splash: null, banner: null, description: null, icon: null, features: [], verification_level: 0, vanity_url_code: null, nsfw_level: 0 },
    channel: { id: i.channelId ?? INVITE_CHANNEL, name: 'general', type: 0 },
    ...(i.inviter ? { inviter: userObj(i.inviter) } : {}),
  };
}

/** GUILD_MEMBER_ADD: someone joined the server at `joinedAt`. */
export function memberAdd(who: Member, guildId: string, joinedAt: Date) {
  return { guild_id: guildId, ...memberObj(who), joined_at: joinedAt.toISOString() };
}

/** GUILD_MEMBER_REMOVE: someone left (or was kicked); Discord sends only the user. */
export function memberRemove(who: Member, guildId: string) {
  return { guild_id: guildId, user: { ...userObj(who), ...(who.bot ? { bot: true } : {}) } };
}

/** INVITE_CREATE: a new invite (its uses start at 0). */
export function inviteCreate(guildId: string, i: FakeInvite) {
  return {
    guild_id: guildId, channel_id: i.channelId ?? INVITE_CHANNEL, code: i.code, uses: i.uses, max_uses: i.maxUses ?? 0, max_age: 0, temporary: false,
    created_at: new Date().toISOString(), ...(i.inviter ? { inviter: userObj(i.inviter) } : {}),
  };
}

/** INVITE_DELETE: an invite was revoked, or used up. */
export function inviteDelete(guildId: string, code: string, channelId = INVITE_CHANNEL) {
  return { guild_id: guildId, channel_id: channelId, code };
}

/** Feeds a raw gateway packet through discord.js's own dispatcher (WebSocketManager#handlePacket -> PacketHandlers). */
export function dispatch(client: Client, t: string, d: unknown): void {
  const ws = client.ws as unknown as { status: Status; handlePacket(p: unknown, shard: unknown): boolean };
  ws.status = Status.Ready; // what READY would have done; no gateway connection is made
  ws.handlePacket({ op: 0, t, s: 1, d }, { id: 0, status: Status.Ready, checkReady() {} });
}

/** A bot token in Discord's shape whose first part is the fake's application id. */
export const fakeToken = (fake: { applicationId: string }) => `${Buffer.from(fake.applicationId).toString('base64')}.GhJkLm.fake-token-for-tests`;
