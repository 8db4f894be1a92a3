import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App, HTTPReceiver, LogLevel, type BlockAction, type HTTPReceiverOptions, type InstallationQuery, type InstallationStore, type ButtonAction, type Logger, type MultiStaticSelectAction, type RespondArguments, type StaticSelectAction,
  type ViewSubmitAction, type webApi,
} from '@slack/bolt';
import type { Engine } from '../../src/engine.js';
import type { Config } from '../../src/config.js';
import type { PlatformAdapter } from '../../src/runtime.js';
import type { SendMeta } from '../../src/infra/outbox.js';
import type { AccessOutcome, AccessTask, ActivityEvent, Actor, Address, Inbound, Reply } from '../../src/core/types.js';
import { buildActivity, reportActivity, visibleLength } from '../shared/activity.js';
import { buildInbound } from '../shared/inbound.js';
import { adapterLang } from '../shared/text.js';
import {
  ACTION_PREFIX, FORM_CALLBACK, decodeButton, decodeMetadata, type ButtonPayload, formErrors, formModal, formValues, homeView, normalizeCommandText, replyMessage,
  replyMessages, slackAddress, type FormMetadata, type SlackMessage,
} from './render.js';
import { EVENTS_PATH, UMBRELLA_COMMAND } from './manifest.js';
import { slackAccess } from './access.js';
import { registerPresence } from './presence.js';
import { oauthReceiverOptions, WorkspaceClients, type OAuthSettings } from './oauth.js';
import { OTHER_WORKSPACE, TeamRoutes } from './routes.js';
import { dbInstallationStore } from './install-store.js';
import { SELECT_PREFIX, UserGroups, decodeSelect, errorCode, selectedValues, slackEmojiName, unicodeEmoji } from './controls.js';
import type { Logger as PinoLogger } from '../../src/infra/log.js';

export interface SlackAdapterOptions {
  /** Bot token (xoxb-...), SLACK_BOT_TOKEN: one workspace. Not with `oauth`. */
  botToken?: string;
  /**
   * Distribution to many workspaces (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET): the OAuth install
   * flow in HTTP mode, installations in the database, each workspace answered with its own token (./oauth.ts).
   */
  oauth?: OAuthSettings;
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
  /** How long users.info answers (name, admin/owner, locale) are cached, in ms (default 5 minutes). */
  userCacheMs?: number;
  /** How long a workspace's user groups (Actor.roles) are cached, in ms (default 5 minutes). */
  groupCacheMs?: number;
  /** How long a modal submission waits for the engine before acking, to show errors inline (default 2000 ms). */
  formWaitMs?: number;
  /**
   * How long a slash command waits for its answer to send it in the acknowledgement itself (default 2000 ms;
   * Slack allows 3 s). Answered in time, it needs no response_url post; later answers go through the
   * response_url as before. 0 acks at once.
   */
  answerInAckMs?: number;
  logLevel?: LogLevel;
  logger?: Logger;
}

interface UserInfo {
  displayName: string;
  username?: string;
  admin: boolean;
  /** An app's bot user: its messages and reactions earn no activity points. */
  bot: boolean;
  /** The member's Slack language, e.g. "ko-KR" (users.info with include_locale). */
  locale?: string;
}

type Client = webApi.WebClient;
type Respond = (msg: RespondArguments) => Promise<unknown>;

/** Where an answer goes: the response_url of the command/message if there is one, else the channel, else a DM. */
interface Target {
  client: Client;
  userId: string;
  /** The Slack conversation (and thread) the person acted in. */
  channelId?: string;
  threadTs?: string;
  respond?: Respond;
  /** Opens a modal for a reply that asks for a form (valid for 3 s after the user's click/command). */
  triggerId?: string;
  /** The person's Slack locale, for the modal's own labels. */
  locale?: string;
}

/** The Slack facts every delivery turns into an Inbound. */
interface Delivery {
  teamId: string;
  teamName?: string;
  channelId?: string;
  threadTs?: string;
  actor: Actor;
  command: string;
  args: Inbound['args'];
  eventKey: string;
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
  private readonly access: (task: AccessTask) => Promise<AccessOutcome>;
  /** Distribution mode: each workspace's token for the bot's own sends. */
  private readonly workspaces?: WorkspaceClients;
  /** Distribution mode: the installations (in the database, through the engine). */
  private readonly installs?: InstallationStore;
  private readonly groups: UserGroups;
  /** Distribution mode: which of a community's workspaces holds a channel or a DM user (see inWorkspace). */
  private readonly routes = new TeamRoutes();

  constructor(private readonly engine: Engine, private readonly opts: SlackAdapterOptions) {
    if (opts.oauth) {
      if (opts.botToken) throw new Error('Slack: set either SLACK_BOT_TOKEN (one workspace) or the OAuth settings (many workspaces), not both.');
      if (!opts.signingSecret) throw new Error('Slack: distribution to many workspaces (OAuth) needs SLACK_SIGNING_SECRET (HTTP mode).');
    } else {
      if (!opts.botToken) throw new Error('Slack: SLACK_BOT_TOKEN is required.');
      if (!opts.appToken && !opts.signingSecret) throw new Error('Slack: set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode).');
    }
    const clientOptions: webApi.WebClientOptions = {
      // Handlers wait on some calls (users.info, views.open): retry briefly, never for half an hour.
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
      timeout: 10_000,
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      ...opts.clientOptions,
    };
    const common = {
      ...(opts.oauth ? {} : { token: opts.botToken }),
      clientOptions,
      logLevel: opts.logLevel ?? LogLevel.INFO,
      ...(opts.logger ? { logger: opts.logger } : {}),
      // auth.test runs in start(), not in the constructor.
      deferInitialization: true,
    };
    /** HTTP mode's receiver (one workspace, or many with `more` from the OAuth settings). */
    const httpReceiver = (more: Partial<HTTPReceiverOptions> = {}) => new HTTPReceiver({
      signingSecret: opts.signingSecret!,
      endpoints: EVENTS_PATH,
      port: opts.port ?? 3001,
      logLevel: opts.logLevel ?? LogLevel.INFO,
      ...(opts.logger ? { logger: opts.logger } : {}),
      // Ack first, work after: the HTTP 200 goes out as soon as ack() is called.
      processBeforeResponse: false,
      ...more,
    });
    if (opts.oauth) {
      this.mode = 'http';
      // A stored installation (new, reinstalled or with rotated tokens) replaces the cached token at once.
      this.installs = dbInstallationStore(engine, (i) => this.workspaces?.forget(i.team?.id, i.enterprise?.id));
      const receiver = httpReceiver(oauthReceiverOptions(opts.oauth, this.installs, clientOptions));
      this.app = new App({ ...common, receiver, convoStore: false });
      this.workspaces = new WorkspaceClients((q) => receiver.installer!.authorize(q), clientOptions, this.app.logger);
    } else if (opts.appToken) {
      this.mode = 'socket';
      this.app = new App({ ...common, appToken: opts.appToken, socketMode: true, convoStore: false });
    } else {
      this.mode = 'http';
      const receiver = httpReceiver();
      this.app = new App({ ...common, receiver, convoStore: false });
    }
    this.log = this.app.logger;
    this.groups = new UserGroups(opts.groupCacheMs ?? 300_000, 60_000, (m) => this.log.warn(m));
    this.register();
    registerPresence(this.app, engine, this.log);
    this.access = slackAccess((space) => this.clientFor(space));
  }

  /** Distribution mode (OAuth): installed workspaces, each with its own token. */
  get distributed(): boolean {
    return Boolean(this.workspaces);
  }

  /** The bound port in HTTP mode (after start). */
  get port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? (a as AddressInfo).port : undefined;
  }

  async start(): Promise<void> {
    await this.app.init();
    if (this.mode === 'http') {
      this.server = (await this.app.start({ port: this.opts.port ?? 3001, ...(this.opts.host ? { host: this.opts.host } : {}) })) as Server;
    } else {
      await this.app.start();
    }
    this.started = true;
  }

  /** Started (HTTP mode: the server listens; Socket Mode: Bolt reconnects the socket on its own). */
  connected(): boolean {
    return this.started && (!this.server || this.server.listening);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.app.stop();
    this.server = undefined;
  }

  /**
   * Posts an announcement to a channel (in its thread, if any) or as a DM: one message, or a few when it
   * is a long list, with the reply's reactions added under the last one. Returns that message's ts (the card
   * remembered for edits and reactions). In distribution mode it is sent with the token of the workspace holding
   * the channel or member, found among the community's workspaces (see inWorkspace). Throws on failure (the outbox
   * retries).
   */
  async send(to: Address, reply: Reply, meta?: SendMeta): Promise<string | void> {
    const { client, channel, ts } = await this.inWorkspace(to, meta, OTHER_WORKSPACE, async (client) => {
      const channel = to.kind === 'dm' ? await this.openDm(client, to.userId) : to.channelId;
      const where = { channel, ...(to.kind === 'channel' && to.threadId ? { thread_ts: to.threadId } : {}) };
      let ts: string | undefined;
      try {
        for (const msg of replyMessages(reply)) ts = (await client.chat.postMessage({ ...where, ...blockMessage(msg) })).ts ?? ts;
      } catch (err) {
        // Part of it is out in this workspace: no other workspace is tried (the outbox retries here).
        if (ts) throw new Error(`Slack: a long message was sent only in part in ${channel}: ${(err as Error).message}`, { cause: err });
        throw err;
      }
      return { client, channel, ts };
    });
    if (ts && reply.reactions?.length) await this.addReactions(client, channel, ts, reply.reactions);
    return ts;
  }

  /**
   * Edits a card posted by send (chat.update; a live giveaway card), with the token of the workspace that posted it
   * (remembered with its channel; after a restart found again like send does). One message: a reply too long for it
   * is cut visibly. A card that is gone (deleted, its channel archived) is left alone; other failures throw (retried).
   */
  async edit(to: Address, messageId: string, reply: Reply, meta?: SendMeta): Promise<void> {
    try {
      await this.inWorkspace(to, meta, NOT_THIS_CARD, async (client) => {
        const channel = to.kind === 'dm' ? await this.openDm(client, to.userId) : to.channelId;
        await client.chat.update({ channel, ts: messageId, ...blockMessage(replyMessage(reply)) });
      });
    } catch (err) {
      const code = errorCode(err);
      if (code && CARD_GONE.has(code)) {
        this.log.warn(`slack: card ${messageId} in ${to.kind === 'dm' ? `a DM with ${to.userId}` : to.channelId} can no longer be edited (${code})`);
        return;
      }
      throw err;
    }
  }

  /**
   * Runs `work` with the client of the workspace holding `to`. One workspace (SLACK_BOT_TOKEN, or a community bound
   * to one workspace): just that one. Several (meta.spaces): the one that worked for this channel or member before
   * first, then the others in binding order; a workspace answering with an error of `elsewhere` (channel_not_found,
   * user_not_found, ...), without an installation, or refusing its token, is passed over. The one that works is
   * remembered. Any other error is thrown at once; when none works, the most telling error is thrown (a missing
   * installation or refused token before "not found", "not found" elsewhere before channel_not_found).
   */
  private async inWorkspace<T>(to: Address, meta: SendMeta | undefined, elsewhere: ReadonlySet<string>, work: (client: Client) => Promise<T>): Promise<T> {
    const key = to.kind === 'dm' ? `dm:${to.userId}` : `ch:${to.channelId}`;
    const bound = meta?.spaces?.length ? meta.spaces : meta?.space ? [meta.space] : [];
    const teams: (string | undefined)[] = this.workspaces && bound.length > 1 ? this.routes.order(key, bound) : [meta?.space];
    const misses: unknown[] = [];
    let hard: unknown;
    for (const team of teams) {
      let client: Client;
      try {
        client = await this.clientFor(team);
      } catch (err) {
        if (teams.length === 1) throw err;
        hard ??= err;
        continue;
      }
      try {
        const out = await work(client);
        if (team && this.workspaces) this.routes.remember(key, team);
        return out;
      } catch (err) {
        this.dropToken(team, err);
        const code = errorCode(err);
        if (teams.length === 1) throw err;
        if (code && TOKEN_REFUSED.has(code)) hard ??= err;
        else if (code && elsewhere.has(code)) misses.push(err);
        else throw err;
      }
    }
    throw hard ?? misses.find((e) => !NOT_FOUND_HERE.has(errorCode(e) ?? '')) ?? misses[0];
  }

  /**
   * Adds emoji under a posted message in their order. Emoji without a known Slack name are skipped (logged); a
   * refusal never fails the send: the message itself is out.
   */
  private async addReactions(client: Client, channel: string, ts: string, emoji: string[]): Promise<void> {
    for (const e of emoji) {
      const name = slackEmojiName(e);
      if (!name) {
        this.log.warn(`slack: no Slack name known for the reaction ${e}; skipped`);
        continue;
      }
      try {
        await client.reactions.add({ channel, timestamp: ts, name });
      } catch (err) {
        if (errorCode(err) !== 'already_reacted') this.log.warn(`slack reactions.add ${name} on ${ts}: ${(err as Error).message}`);
      }
    }
  }

  /** A refused token (revoked, expired early): the next try asks the installation store again. */
  private dropToken(teamId: string | undefined, err: unknown): void {
    const code = errorCode(err);
    if (teamId && code && TOKEN_REFUSED.has(code)) this.workspaces?.forget(teamId);
  }

  /**
   * The Web API client for the bot's own calls in a workspace: the app's client with SLACK_BOT_TOKEN, or in
   * distribution mode one with that workspace's installation token (a missing installation throws).
   */
  private clientFor(teamId: string | undefined): Promise<Client> {
    if (!this.workspaces) return Promise.resolve(this.app.client);
    if (!teamId) return Promise.reject(new Error('Slack: no workspace for this message (the community has no Slack binding)'));
    return this.workspaces.client(teamId);
  }

  /** Carries out one tier access change (adapters/slack/access.ts); the runtime hands it to engine.deliverAccess. */
  applyAccess(task: AccessTask): Promise<AccessOutcome> {
    return this.access(task);
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

    // One listener for every command: Bolt runs each listener's matchers on every request.
    const tops = new Set([...this.engine.commandGroups().keys(), UMBRELLA_COMMAND]);
    const names = [...tops].map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    app.command(new RegExp(`^/(?:${names})$`), async ({ command, ack, respond, client }) => {
      // `/engage points @kim` is `/points @kim` (workspaces where the short names are taken); bare `/engage` is help.
      const umbrella = command.command.slice(1) === UMBRELLA_COMMAND ? /^\s*\/?(\S+)\s*([\s\S]*)$/.exec(command.text ?? '') : undefined;
      const top = umbrella === undefined ? command.command.slice(1) : umbrella ? umbrella[1].toLowerCase() : 'help';
      const text = umbrella === undefined ? command.text ?? '' : umbrella ? umbrella[2] : '';
      // The answer rides in the acknowledgement when it is ready in time; otherwise an empty ack goes out
      // and the answer follows through the response_url.
      let acked = false;
      const ackOnce = async (body?: RespondArguments) => {
        if (acked) return;
        acked = true;
        await ack(body as never);
      };
      const waitMs = this.opts.answerInAckMs ?? 2000;
      const timer = setTimeout(() => { ackOnce().catch((err) => this.log.error(`slack ack: ${(err as Error).message}`)); }, waitMs);
      let actor: Actor | undefined;
      try {
        actor = await this.actor(client, command.team_id, command.user_id, command.user_name);
        const reply = await this.handle({
          teamId: command.team_id,
          teamName: command.team_domain,
          channelId: command.channel_id,
          actor,
          command: top,
          args: normalizeCommandText(text),
          eventKey: `cmd:${command.trigger_id}`,
        });
        clearTimeout(timer);
        const msgs = reply.form ? [] : replyMessages(reply, adapterLang(actor.locale));
        if (!acked && msgs.length === 1) {
          await ackOnce({ response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', ...blockMessage(msgs[0]) });
          return;
        }
        await ackOnce();
        await this.answer(reply, { client, userId: command.user_id, channelId: command.channel_id, respond, triggerId: command.trigger_id, locale: actor.locale });
      } catch (err) {
        clearTimeout(timer);
        this.log.error(`slack /${top}: ${(err as Error).message}`);
        const msg = { response_type: 'ephemeral' as const, ...blockMessage(replyMessage(internalError(actor?.locale))) };
        if (!acked) await ackOnce(msg).catch(() => undefined);
        else await respondChecked(respond, msg).catch(() => undefined);
      }
    });

    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: new RegExp(`^${ACTION_PREFIX}`) }, async ({ ack, body, action, respond, client }) => {
      await ack();
      try {
        const payload = decodeButton(action.value);
        if (!payload) return;
        await this.runAction(body, action.action_ts, payload, respond, client);
      } catch (err) {
        this.log.error(`slack button ${action.action_id}: ${(err as Error).message}`);
      }
    });

    // A select menu runs its command with the chosen values joined by "," under the select's option name.
    app.action<BlockAction<StaticSelectAction | MultiStaticSelectAction>>({ type: 'block_actions', action_id: new RegExp(`^${SELECT_PREFIX}`) }, async ({ ack, body, action, respond, client }) => {
      await ack();
      try {
        const sel = decodeSelect(action.action_id);
        const values = selectedValues(action as Parameters<typeof selectedValues>[0]);
        if (!sel || !values.length) return;
        await this.runAction(body, action.action_ts, { c: sel.c, a: { ...sel.a, [sel.n]: values.join(',') } }, respond, client);
      } catch (err) {
        this.log.error(`slack select ${action.action_id}: ${(err as Error).message}`);
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
      let actor: Actor | undefined;
      const work = this.actor(client, teamId, body.user.id, body.user.name)
        .then((a) => {
          actor = a;
          return this.handle({
            teamId,
            teamName: body.team?.domain,
            channelId: meta.ch,
            threadTs: meta.th,
            actor: a,
            command: meta.c,
            args: { ...meta.a, ...values },
            eventKey: `view:${view.id}:${view.hash}`,
          });
        })
        .catch((err): Reply => {
          this.log.error(`slack form ${meta.c}: ${(err as Error).message}`);
          return internalError(actor?.locale);
        });
      const early = await settleWithin(work, this.opts.formWaitMs ?? 2000);
      // Keep the modal open and show the problem under the input it is about.
      const errors = early && formErrors(early, inputIds(view));
      if (errors) {
        await ack({ response_action: 'errors', errors });
        return;
      }
      await ack();
      try {
        const reply = early ?? (await work);
        const target = { client, userId: body.user.id, channelId: meta.ch, threadTs: meta.th, respond: meta.ru ? responder(meta) : undefined, locale: actor?.locale };
        await this.answer(reply, target);
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
        const base = { teamId, channelId: event.channel, actor, args: '' };
        // Points first: it creates the member on first contact, then the board shows them.
        const points = await this.handle({ ...base, command: 'points', eventKey: `evt:${eventId}:points` });
        const board = await this.handle({ ...base, command: 'leaderboard', eventKey: `evt:${eventId}:leaderboard` });
        await client.views.publish({ user_id: event.user, view: homeView(adapterLang(actor.locale), board, points) as never });
      } catch (err) {
        this.log.error(`slack app_home_opened: ${(err as Error).message}`);
      }
    });

    // Activity points: members' messages (thread replies too) and reactions in channels. Bolt already drops
    // the bot's own events; other bots and apps, edits, joins and other subtypes earn nothing.
    app.event('message', async ({ event, body, client }) => {
      const m = event as { subtype?: string; bot_id?: string; user?: string; channel: string; channel_type?: string; ts: string; thread_ts?: string; text?: string };
      if (m.subtype || m.bot_id || !m.user || (m.channel_type !== 'channel' && m.channel_type !== 'group')) return;
      const threadTs = m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : undefined;
      await this.activity(client, (body as { team_id?: string }).team_id, m.user, {
        address: { kind: 'channel', channelId: m.channel, ...(threadTs ? { threadId: threadTs } : {}) },
        kind: 'message',
        eventId: `${m.channel}:${m.ts}`,
        length: visibleLength(m.text ?? '', 'slack'),
      });
    });

    app.event('reaction_added', async ({ event, body, client, context }) => {
      const item = event.item as { type: string; channel?: string; ts?: string };
      if (item.type !== 'message' || !item.channel || !item.ts || item.channel.startsWith('D')) return;
      await this.reactionVote(client, body as { team_id?: string; event_id?: string }, event, 'add', context.botUserId);
      await this.activity(client, (body as { team_id?: string }).team_id, event.user, {
        address: { kind: 'channel', channelId: item.channel },
        kind: 'reaction',
        eventId: `${item.channel}:${item.ts}:${event.user}:${event.reaction}`,
      });
    });

    app.event('reaction_removed', async ({ event, body, client, context }) => {
      await this.reactionVote(client, body as { team_id?: string; event_id?: string }, event, 'remove', context.botUserId);
    });

    if (this.workspaces) {
      // Requests of an org-wide install name their workspace and org: sends to that workspace find the org's token.
      app.use(async ({ context, next }) => {
        if (context.isEnterpriseInstall && this.workspaces?.noteOrg(context.teamId, context.enterpriseId)) {
          // Kept in the database too: after a restart, or on another instance, sends to the workspace still find the org.
          // Once per workspace and process: one small write.
          await this.engine.slackOrgWorkspace(context.teamId!, context.enterpriseId!).catch((err) => this.log.error(`slack: remembering org ${context.enterpriseId} of ${context.teamId}: ${(err as Error).message}`));
        }
        await next();
      });
      app.event('app_uninstalled', async ({ body }) => this.uninstalled(body as never, 'app_uninstalled'));
      app.event('tokens_revoked', async ({ event, body }) => {
        if (event.tokens.bot?.length) await this.uninstalled(body as never, 'tokens_revoked');
      });
    }

    app.error(async (err) => {
      this.log.error(`slack: ${err.message}`);
    });
  }

  // --------------------------------------------------------------------------------------------
  // Commands, answers and users

  /**
   * A button or select of a message (or of the App Home) -> its command, answered where it was clicked. A
   * redelivered or double click has the same action_ts, so the same eventKey: applied once.
   */
  private async runAction(body: BlockAction, actionTs: string, payload: { c: string; a: Record<string, string | number>; f?: ButtonPayload['f'] }, respond: Respond, client: Client): Promise<void> {
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const channelId = body.channel?.id ?? (body.container?.channel_id as string | undefined);
    // A button on a reply inside a thread acts in that thread (a thread's parent message is not "in" it).
    const threadTs = body.message?.thread_ts && body.message.thread_ts !== body.message.ts ? body.message.thread_ts : undefined;
    const fromMessage = Boolean(body.response_url) && body.container?.type !== 'view';
    const actor = await this.actor(client, teamId, body.user.id, body.user.username ?? body.user.name);
    if (payload.f) {
      const meta = { ch: channelId, th: threadTs, ru: fromMessage ? body.response_url : undefined };
      await client.views.open({ trigger_id: body.trigger_id, view: formModal(adapterLang(actor.locale), payload.f, meta) as never });
      return;
    }
    const where = body.container?.message_ts ?? body.container?.view_id ?? body.message?.ts ?? '';
    const reply = await this.handle({
      teamId,
      teamName: body.team?.domain,
      channelId,
      threadTs,
      actor,
      command: payload.c,
      args: payload.a,
      eventKey: `act:${where}:${actionTs}:${body.user.id}`,
    });
    const target = { client, userId: body.user.id, channelId, threadTs, respond: fromMessage ? respond : undefined, triggerId: body.trigger_id, locale: actor.locale };
    await this.answer(reply, target);
  }

  /**
   * A reaction added to or removed from a channel message -> engine.reaction (a vote when the message is a
   * remembered emoji poll card). Custom and unknown emoji, bots and the bot itself are left out. A refusal
   * (poll closed, one answer only) is shown to the member alone (chat.postEphemeral); an accepted vote needs no
   * answer, the reaction itself shows it.
   */
  private async reactionVote(client: Client, body: { team_id?: string; event_id?: string }, e: { user: string; reaction: string; item: unknown }, kind: 'add' | 'remove', botUserId?: string): Promise<void> {
    const item = e.item as { type: string; channel?: string; ts?: string };
    const teamId = body.team_id;
    if (!teamId || item.type !== 'message' || !item.channel || !item.ts || item.channel.startsWith('D') || e.user === botUserId) return;
    const emoji = unicodeEmoji(e.reaction);
    if (!emoji) return;
    try {
      if ((await this.userInfo(client, teamId, e.user))?.bot) return;
      const actor = await this.actor(client, teamId, e.user);
      const reply = await this.engine.reaction({
        platform: 'slack', communityKey: teamId, channelId: item.channel, messageId: item.ts, emoji, actor, kind,
        ...(body.event_id ? { eventKey: `react:${body.event_id}` } : {}),
      });
      if (reply?.error) await client.chat.postEphemeral({ channel: item.channel, user: e.user, ...blockMessage(replyMessage(reply, adapterLang(actor.locale))) });
    } catch (err) {
      this.log.error(`slack reaction ${kind} ${e.reaction}: ${(err as Error).message}`);
    }
  }

  /** app_uninstalled, or tokens_revoked with the bot's token: the installation is forgotten (distribution mode). */
  private async uninstalled(body: { team_id?: string; enterprise_id?: string; is_enterprise_install?: boolean; authorizations?: { is_enterprise_install?: boolean; enterprise_id?: string | null }[] }, why: string): Promise<void> {
    const enterprise = Boolean(body.is_enterprise_install ?? body.authorizations?.[0]?.is_enterprise_install);
    const enterpriseId = body.enterprise_id ?? body.authorizations?.[0]?.enterprise_id ?? undefined;
    try {
      await this.installs?.deleteInstallation?.({ teamId: body.team_id, enterpriseId, isEnterpriseInstall: enterprise } as InstallationQuery<boolean>);
      this.workspaces?.forget(body.team_id, enterprise ? enterpriseId : undefined);
      if (body.team_id) this.groups.forget(body.team_id);
      this.log.info(`slack ${why}: the installation of ${enterprise ? `org ${enterpriseId}` : `workspace ${body.team_id}`} was removed`);
    } catch (err) {
      this.log.error(`slack ${why}: ${(err as Error).message}`);
    }
  }

  /** Hands one Slack delivery to the engine as a core command. */
  private handle(d: Delivery): Promise<Reply> {
    return this.engine.handle(buildInbound({
      platform: 'slack',
      space: { key: d.teamId, name: d.teamName },
      address: slackAddress(d.channelId, d.actor.userId, d.threadTs),
      actor: d.actor,
      command: d.command,
      args: d.args,
      eventKey: d.eventKey,
    }));
  }

  /** Hands a member's message or reaction to the engine (not a bot's; failures are logged, never thrown). */
  private async activity(client: Client, teamId: string | undefined, userId: string, e: Pick<ActivityEvent, 'address' | 'kind' | 'eventId' | 'length'>): Promise<void> {
    if (!teamId) return;
    const info = await this.userInfo(client, teamId, userId);
    if (info?.bot) return;
    // Activity needs no roles: no user group look-up for every message.
    const actor = await this.actor(client, teamId, userId, undefined, false);
    await reportActivity(this.engine, buildActivity({ platform: 'slack', space: { key: teamId }, actor, ...e }), (msg) => this.log.error(msg));
  }

  /** Shows a reply to the person who acted: a modal for a form, else the response_url, else a DM. */
  private async answer(reply: Reply, t: Target): Promise<void> {
    if (reply.form && t.triggerId) {
      try {
        await t.client.views.open({ trigger_id: t.triggerId, view: formModal(adapterLang(t.locale), reply.form, { ch: t.channelId, th: t.threadTs }) as never });
        return;
      } catch (err) {
        // The trigger expired (3 s) or the modal was refused: fall back to a message with a button.
        this.log.warn(`slack views.open: ${(err as Error).message}`);
      }
    }
    // A long list continues in up to four messages; each is sent where the one before it could go.
    const msgs = replyMessages(reply, adapterLang(t.locale)).map(blockMessage);
    let sent = 0;
    if (t.respond) {
      try {
        for (; sent < msgs.length; sent++) await respondChecked(t.respond, { response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', replace_original: false, ...msgs[sent] });
        return;
      } catch (err) {
        this.log.warn(`slack response_url: ${(err as Error).message}`);
      }
    }
    const to = slackAddress(t.channelId, t.userId, t.threadTs);
    if (to?.kind === 'channel') {
      const where = { channel: to.channelId, ...(to.threadId ? { thread_ts: to.threadId } : {}) };
      try {
        for (; sent < msgs.length; sent++) {
          if (reply.ephemeral || reply.error) await t.client.chat.postEphemeral({ ...where, user: t.userId, ...msgs[sent] });
          else await t.client.chat.postMessage({ ...where, ...msgs[sent] });
        }
        return;
      } catch (err) {
        this.log.warn(`slack answer in ${to.channelId}: ${(err as Error).message}`);
      }
    }
    const dm = await this.openDm(t.client, t.userId);
    for (; sent < msgs.length; sent++) await t.client.chat.postMessage({ channel: dm, ...msgs[sent] });
  }

  /**
   * Actor with the Slack display name, locale and 'admin' for workspace admins/owners (users.info, cached), and
   * the user groups they are in as roles (usergroups.list, cached; left out when the bot may not read them).
   */
  private async actor(client: Client, teamId: string, userId: string, username?: string, withRoles = true): Promise<Actor> {
    const [info, roles] = await Promise.all([this.userInfo(client, teamId, userId), withRoles ? this.groups.rolesOf(client, teamId, userId) : undefined]);
    return {
      ...(roles ? { roles } : {}),
      platform: 'slack',
      userId,
      displayName: info?.displayName || username || userId,
      username: info?.username ?? username,
      ...(info?.admin ? { platformRole: 'admin' as const } : {}),
      ...(info?.locale ? { locale: info.locale } : {}),
    };
  }

  private async userInfo(client: Client, teamId: string, userId: string): Promise<UserInfo | null> {
    const key = `${teamId}:${userId}`;
    const now = Date.now();
    const hit = this.users.get(key);
    if (hit && now - hit.at < (hit.info ? this.opts.userCacheMs ?? 300_000 : FAILED_USER_LOOKUP_MS)) return hit.info;
    let info: UserInfo | null = null;
    try {
      const r = await client.users.info({ user: userId, include_locale: true });
      const u = r.user;
      if (u) {
        info = {
          displayName: u.profile?.display_name || u.real_name || u.profile?.real_name || u.name || userId,
          username: u.name,
          admin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
          bot: Boolean(u.is_bot),
          ...(u.locale ? { locale: u.locale } : {}),
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

/** Errors that mean the token itself was refused. */
const TOKEN_REFUSED = new Set(['invalid_auth', 'token_expired', 'token_revoked', 'account_inactive', 'not_authed']);

/** The Slack error code of a failed Web API call. */

/** "Not in this workspace" answers that say nothing more: another workspace's more specific answer is reported first. */
const NOT_FOUND_HERE = new Set(['channel_not_found', 'user_not_found']);

/** chat.update answers of a workspace that did not post the card (another workspace in a shared channel): try the next. */
const NOT_THIS_CARD = new Set([...OTHER_WORKSPACE, 'message_not_found', 'cant_update_message']);

/** chat.update errors that mean the card is gone for good: nothing to retry. */
const CARD_GONE = new Set(['message_not_found', 'cant_update_message', 'channel_not_found', 'is_archived', 'edit_window_closed']);

/** The block_ids of a submitted modal's inputs, in order (they are the form's field names). */
function inputIds(view: ViewSubmitAction['view']): string[] {
  const ids = (view.blocks ?? []).filter((b) => b.type === 'input').map((b) => b.block_id ?? '').filter(Boolean);
  return ids.length ? ids : Object.keys(view.state?.values ?? {});
}

/** The adapter's own refusal when something broke around the engine, in the person's language. */
function internalError(locale?: string): Reply {
  return { text: adapterLang(locale).t('adapters:internal'), error: { code: 'adapters:internal' }, ephemeral: true };
}

/** A rendered message as the Web API's argument type (Block Kit blocks are kept loose in render.ts). */
const blockMessage = (m: SlackMessage) => m as { text: string; blocks: never[] };

/** A respond() for a modal submission: posts to the response_url saved when the modal was opened. */
function responder(meta: FormMetadata): Respond {
  return async (msg) => {
    const res = await fetch(meta.ru!, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(msg) });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
    return res;
  };
}

/**
 * Posts to a response_url and throws when Slack refused the message. A refusal (invalid_blocks,
 * msg_too_long, ...) can come as HTTP 200 with { ok: false, error }, which respond() alone lets pass.
 */
async function respondChecked(respond: Respond, msg: RespondArguments): Promise<void> {
  // respond() resolves with the fetch Response (whichever fetch Bolt was given): read it if it is JSON.
  const res = (await respond(msg)) as Partial<Pick<Response, 'headers' | 'json'>> | undefined;
  if (typeof res?.json !== 'function' || !res.headers?.get('content-type')?.includes('json')) return;
  const body = (await res.json().catch(() => null)) as { ok?: boolean; error?: string } | null;
  if (body?.ok === false) throw new Error(`response_url refused the message: ${body.error ?? 'unknown error'}`);
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

/**
 * Entry point used by src/main.ts when SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and
 * SLACK_STATE_SECRET (many workspaces, OAuth) are set.
 */
export async function createAdapter(engine: Engine, cfg: Config, logger?: PinoLogger): Promise<PlatformAdapter> {
  const oauth = cfg.SLACK_CLIENT_ID && cfg.SLACK_CLIENT_SECRET && cfg.SLACK_STATE_SECRET
    ? {
      clientId: cfg.SLACK_CLIENT_ID, clientSecret: cfg.SLACK_CLIENT_SECRET, stateSecret: cfg.SLACK_STATE_SECRET,
      ...(cfg.SLACK_REDIRECT_URL ? { redirectUri: cfg.SLACK_REDIRECT_URL } : {}), directInstall: Boolean(cfg.SLACK_DIRECT_INSTALL),
    }
    : undefined;
  if (!oauth && !cfg.SLACK_BOT_TOKEN) throw new Error('Slack: set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET.');
  return new SlackAdapter(engine, {
    ...(logger ? { logger: boltLogger(logger.child({ platform: 'slack' })) } : {}),
    ...(oauth ? { oauth } : { botToken: cfg.SLACK_BOT_TOKEN }),
    signingSecret: cfg.SLACK_SIGNING_SECRET,
    appToken: cfg.SLACK_APP_TOKEN,
    port: cfg.SLACK_PORT,
  });
}


/** Bolt's logger interface over pino, so Slack's own lines are structured like the rest. */
function boltLogger(log: PinoLogger): Logger {
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => log.debug(text(msg)),
    info: (...msg) => log.info(text(msg)),
    warn: (...msg) => log.warn(text(msg)),
    error: (...msg) => log.error(text(msg)),
    setLevel: (l) => { level = l; },
    getLevel: () => level,
    setName: () => { /* the platform field names it */ },
  };
}
