import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, type BlockAction, type ButtonAction, type Logger, type RespondArguments, type ViewSubmitAction, type webApi } from '@slack/bolt';
import type { Engine } from '../../src/engine.js';
import type { Config } from '../../src/config.js';
import type { PlatformAdapter } from '../../src/runtime.js';
import type { Actor, Inbound, Reply } from '../../src/core/types.js';
import {
  ACTION_PREFIX, FORM_CALLBACK, decodeButton, decodeMetadata, formModal, formValues, homeView, normalizeCommandText, replyMessage,
  type FormMetadata,
} from './render.js';
import { EVENTS_PATH } from './manifest.js';

export interface SlackAdapterOptions {
  /** Bot token (xoxb-...), SLACK_BOT_TOKEN. */
  botToken: string;
  /** HTTP mode: requests are verified with this secret (SLACK_SIGNING_SECRET). */
  signingSecret?: string;
  /** Socket Mode when set (SLACK_APP_TOKEN, xapp-...). */
  appToken?: string;
  /** HTTP mode listen port (SLACK_PORT; 0 = any free port) and host (default: all interfaces). */
  port?: number;
  host?: string;
  /** Web API base URL, e.g. a fake server in tests ("http://127.0.0.1:1234/api/"). */
  apiUrl?: string;
  /** Extra WebClient options (merged over the adapter's defaults). */
  clientOptions?: webApi.WebClientOptions;
  /** How long users.info answers (name, admin/owner) are cached, in ms (default 5 minutes). */
  userCacheMs?: number;
  /** How long a modal submission waits for the engine before acking, to show errors inline (default 2000 ms). */
  formWaitMs?: number;
  logLevel?: LogLevel;
  logger?: Logger;
}

interface UserInfo {
  displayName: string;
  username?: string;
  admin: boolean;
}

type Client = webApi.WebClient;
type Respond = (msg: RespondArguments) => Promise<unknown>;

/** Where an answer goes: the response_url of the command/message if there is one, else a DM. */
interface Target {
  client: Client;
  userId: string;
  channelId?: string;
  respond?: Respond;
  /** Opens a modal for a reply that asks for a form (valid for 3 s after the user's click/command). */
  triggerId?: string;
}

const FAILED_USER_LOOKUP_MS = 30_000;

/**
 * Slack adapter (Bolt 5). One slash command per top-level command name; the raw text goes to the engine,
 * which resolves subcommands. Every request is acked at once; the answer is posted through the
 * response_url (ephemeral or in_channel), so it also works in channels the bot is not a member of and
 * never hits the 3-second limit. Buttons are Block Kit actions, forms are modals, App Home shows the
 * leaderboard and the member's points. Redeliveries are harmless: each delivery has a stable eventKey
 * (trigger_id, action_ts, view id + hash, event_id) and the engine applies a key once.
 */
export class SlackAdapter implements PlatformAdapter {
  readonly platform = 'slack' as const;
  readonly app: App;
  readonly mode: 'http' | 'socket';
  private server?: Server;
  private started = false;
  private readonly users = new Map<string, { at: number; info: UserInfo | null }>();
  private readonly log: Logger;

  constructor(private readonly engine: Engine, private readonly opts: SlackAdapterOptions) {
    if (!opts.botToken) throw new Error('Slack: SLACK_BOT_TOKEN is required.');
    if (!opts.appToken && !opts.signingSecret) throw new Error('Slack: set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode).');
    const clientOptions: webApi.WebClientOptions = {
      // Handlers wait on some calls (users.info, views.open): retry briefly, never for half an hour.
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
      timeout: 10_000,
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      ...opts.clientOptions,
    };
    const common = {
      token: opts.botToken,
      clientOptions,
      logLevel: opts.logLevel ?? LogLevel.INFO,
      ...(opts.logger ? { logger: opts.logger } : {}),
      // auth.test runs in start(), not in the constructor.
      deferInitialization: true,
    };
    if (opts.appToken) {
      this.mode = 'socket';
      this.app = new App({ ...common, appToken: opts.appToken, socketMode: true });
    } else {
      this.mode = 'http';
      const receiver = new HTTPReceiver({
        signingSecret: opts.signingSecret!,
        endpoints: EVENTS_PATH,
        port: opts.port ?? 3000,
        logLevel: opts.logLevel ?? LogLevel.INFO,
        ...(opts.logger ? { logger: opts.logger } : {}),
        // Ack first, work after: the HTTP 200 goes out as soon as ack() is called.
        processBeforeResponse: false,
      });
      this.app = new App({ ...common, receiver });
    }
    this.log = this.app.logger;
    this.register();
  }

  /** The bound port in HTTP mode (after start). */
  get port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? (a as AddressInfo).port : undefined;
  }

  async start(): Promise<void> {
    await this.app.init();
    if (this.mode === 'http') {
      this.server = (await this.app.start({ port: this.opts.port ?? 3000, ...(this.opts.host ? { host: this.opts.host } : {}) })) as Server;
    } else {
      await this.app.start();
    }
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.app.stop();
    this.server = undefined;
  }

  /** Posts an announcement; "user:<id>" is a DM. Throws on failure (the outbox retries). */
  async send(channelId: string, reply: Reply): Promise<void> {
    const client = this.app.client;
    const channel = channelId.startsWith('user:') ? await this.openDm(client, channelId.slice(5)) : channelId;
    await client.chat.postMessage({ channel, ...(replyMessage(reply) as { text: string; blocks: never[] }) });
  }

  private async openDm(client: Client, userId: string): Promise<string> {
    const r = await client.conversations.open({ users: userId });
    const id = r.channel?.id;
    if (!id) throw new Error(`Slack: could not open a DM with ${userId}`);
    return id;
  }

  // --------------------------------------------------------------------------------------------
  // Listeners

  private register() {
    const app = this.app;

    for (const top of this.engine.commandGroups().keys()) {
      app.command(`/${top}`, async ({ command, ack, respond, client }) => {
        await ack();
        try {
          const actor = await this.actor(client, command.team_id, command.user_id, command.user_name);
          const reply = await this.engine.handle({
            platform: 'slack',
            communityKey: command.team_id,
            communityName: command.team_domain,
            channelId: command.channel_id,
            actor,
            command: top,
            args: normalizeCommandText(command.text ?? ''),
            eventKey: `cmd:${command.trigger_id}`,
          });
          await this.answer(reply, { client, userId: command.user_id, channelId: command.channel_id, respond, triggerId: command.trigger_id });
        } catch (err) {
          this.log.error(`slack /${top}: ${(err as Error).message}`);
          await respond({ response_type: 'ephemeral', text: '⚠️ Something went wrong on my side. Please try again.' }).catch(() => undefined);
        }
      });
    }

    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: new RegExp(`^${ACTION_PREFIX}`) }, async ({ ack, body, action, respond, client }) => {
      await ack();
      try {
        const payload = decodeButton(action.value);
        if (!payload) return;
        const teamId = body.team?.id ?? body.user.team_id ?? '';
        const channelId = body.channel?.id ?? (body.container?.channel_id as string | undefined);
        const fromMessage = Boolean(body.response_url) && body.container?.type !== 'view';
        if (payload.f) {
          await client.views.open({ trigger_id: body.trigger_id, view: formModal(payload.f, { ch: channelId, ru: fromMessage ? body.response_url : undefined }) as never });
          return;
        }
        const actor = await this.actor(client, teamId, body.user.id, body.user.username ?? body.user.name);
        const where = body.container?.message_ts ?? body.container?.view_id ?? body.message?.ts ?? '';
        const reply = await this.engine.handle({
          platform: 'slack',
          communityKey: teamId,
          communityName: body.team?.domain,
          channelId,
          actor,
          command: payload.c,
          args: payload.a,
          eventKey: `act:${where}:${action.action_ts}:${body.user.id}`,
        });
        await this.answer(reply, { client, userId: body.user.id, channelId, respond: fromMessage ? respond : undefined, triggerId: body.trigger_id });
      } catch (err) {
        this.log.error(`slack button ${action.action_id}: ${(err as Error).message}`);
      }
    });

    app.view<ViewSubmitAction>(FORM_CALLBACK, async ({ ack, body, view, client }) => {
      const meta = decodeMetadata(view.private_metadata);
      if (!meta) {
        await ack();
        return;
      }
      const values = formValues(view.state);
      const teamId = body.team?.id ?? body.user.team_id ?? view.team_id;
      const work = this.actor(client, teamId, body.user.id, body.user.name)
        .then((actor) => this.engine.handle({
          platform: 'slack',
          communityKey: teamId,
          communityName: body.team?.domain,
          channelId: meta.ch,
          actor,
          command: meta.c,
          args: { ...meta.a, ...values },
          eventKey: `view:${view.id}:${view.hash}`,
        }))
        .catch((err): Reply => {
          this.log.error(`slack form ${meta.c}: ${(err as Error).message}`);
          return { text: 'Something went wrong on my side. Please try again.', error: true, ephemeral: true };
        });
      const early = await settleWithin(work, this.opts.formWaitMs ?? 2000);
      const fields = Object.keys(view.state?.values ?? {});
      if (early?.error && fields.length) {
        // Keep the modal open and show the problem under the field it is about.
        const field = fields.find((f) => early.text.toLowerCase().startsWith(`${f.toLowerCase()}:`) || early.text.includes(` ${f}`)) ?? fields[0];
        await ack({ response_action: 'errors', errors: { [field]: early.text.slice(0, 300) } });
        return;
      }
      await ack();
      try {
        const reply = early ?? (await work);
        await this.answer(reply, { client, userId: body.user.id, channelId: meta.ch, respond: meta.ru ? responder(meta) : undefined });
      } catch (err) {
        this.log.error(`slack form ${meta.c}: ${(err as Error).message}`);
      }
    });

    app.event('app_home_opened', async ({ event, body, client }) => {
      if (event.tab !== 'home') return;
      try {
        const teamId = (body as { team_id?: string }).team_id ?? (event as { view?: { team_id?: string } }).view?.team_id ?? '';
        const eventId = (body as { event_id?: string }).event_id ?? `${event.user}:${event.event_ts}`;
        const actor = await this.actor(client, teamId, event.user);
        const base: Omit<Inbound, 'command' | 'args' | 'eventKey'> = { platform: 'slack', communityKey: teamId, channelId: event.channel, actor };
        // Points first: it creates the member on first contact, then the board shows them.
        const points = await this.engine.handle({ ...base, command: 'points', args: '', eventKey: `evt:${eventId}:points` });
        const board = await this.engine.handle({ ...base, command: 'leaderboard', args: '', eventKey: `evt:${eventId}:leaderboard` });
        await client.views.publish({ user_id: event.user, view: homeView(board, points) as never });
      } catch (err) {
        this.log.error(`slack app_home_opened: ${(err as Error).message}`);
      }
    });

    app.error(async (err) => {
      this.log.error(`slack: ${err.message}`);
    });
  }

  // --------------------------------------------------------------------------------------------
  // Answers and users

  /** Shows a reply to the person who acted: a modal for a form, else the response_url, else a DM. */
  private async answer(reply: Reply, t: Target): Promise<void> {
    if (reply.form && t.triggerId) {
      try {
        await t.client.views.open({ trigger_id: t.triggerId, view: formModal(reply.form, { ch: t.channelId }) as never });
        return;
      } catch (err) {
        // The trigger expired (3 s) or the modal was refused: fall back to a message with a button.
        this.log.warn(`slack views.open: ${(err as Error).message}`);
      }
    }
    const msg = replyMessage(reply) as { text: string; blocks: never[] };
    if (t.respond) {
      try {
        await t.respond({ response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', replace_original: false, ...msg });
        return;
      } catch (err) {
        this.log.warn(`slack response_url: ${(err as Error).message}`);
      }
    }
    if (t.channelId && !t.channelId.startsWith('D')) {
      try {
        if (reply.ephemeral || reply.error) await t.client.chat.postEphemeral({ channel: t.channelId, user: t.userId, ...msg });
        else await t.client.chat.postMessage({ channel: t.channelId, ...msg });
        return;
      } catch (err) {
        this.log.warn(`slack answer in ${t.channelId}: ${(err as Error).message}`);
      }
    }
    await t.client.chat.postMessage({ channel: await this.openDm(t.client, t.userId), ...msg });
  }

  /** Actor with the Slack display name and 'admin' for workspace admins/owners (users.info, cached). */
  private async actor(client: Client, teamId: string, userId: string, username?: string): Promise<Actor> {
    const info = await this.userInfo(client, teamId, userId);
    return {
      platform: 'slack',
      userId,
      displayName: info?.displayName || username || userId,
      username: info?.username ?? username,
      ...(info?.admin ? { platformRole: 'admin' as const } : {}),
    };
  }

  private async userInfo(client: Client, teamId: string, userId: string): Promise<UserInfo | null> {
    const key = `${teamId}:${userId}`;
    const now = Date.now();
    const hit = this.users.get(key);
    if (hit && now - hit.at < (hit.info ? this.opts.userCacheMs ?? 300_000 : FAILED_USER_LOOKUP_MS)) return hit.info;
    let info: UserInfo | null = null;
    try {
      const r = await client.users.info({ user: userId });
      const u = r.user;
      if (u) {
        info = {
          displayName: u.profile?.display_name || u.real_name || u.profile?.real_name || u.name || userId,
          username: u.name,
          admin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
        };
      }
    } catch (err) {
      this.log.warn(`slack users.info ${userId}: ${(err as Error).message}`);
    }
    this.users.set(key, { at: now, info });
    if (this.users.size > 10_000) this.users.delete(this.users.keys().next().value!);
    return info;
  }
}

/** A respond() for a modal submission: posts to the response_url saved when the modal was opened. */
function responder(meta: FormMetadata): Respond {
  return async (msg) => {
    const res = await fetch(meta.ru!, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(msg) });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
  };
}

/** The promise's value if it settles within ms, else undefined (the promise keeps running). */
async function settleWithin<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Entry point used by src/main.ts when SLACK_BOT_TOKEN is set. */
export async function createAdapter(engine: Engine, cfg: Config): Promise<PlatformAdapter> {
  if (!cfg.SLACK_BOT_TOKEN) throw new Error('Slack: SLACK_BOT_TOKEN is not set.');
  return new SlackAdapter(engine, {
    botToken: cfg.SLACK_BOT_TOKEN,
    signingSecret: cfg.SLACK_SIGNING_SECRET,
    appToken: cfg.SLACK_APP_TOKEN,
    port: cfg.SLACK_PORT,
  });
}

