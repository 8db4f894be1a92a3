import {
  ApplicationCommandOptionType,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  Routes,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type CommandInteractionOption,
  type Interaction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
  DiscordAPIError,
} from 'discord.js';
import type { Engine } from '../../src/engine.js';
import type { Config } from '../../src/config.js';
import type { PlatformAdapter } from '../../src/runtime.js';
import type { AccessOutcome, AccessTask, ActivityEvent, Actor, Address, Inbound, ReactionEvent, Reply } from '../../src/core/types.js';
import type { Lang } from '../../src/i18n/index.js';
import { buildInbound } from '../shared/inbound.js';
import { reportActivity } from '../shared/activity.js';
import { adapterLang } from '../shared/text.js';
import { buildSlashCommands, coreCommandName, type SlashCommandJSON } from './commands.js';
import { buildModal, decodeCustomId, isEphemeral, messageBody, type FieldSpec } from './render.js';
import { ownsBackgroundWork } from './shard.js';
import { watchInvites, type InviteTracker } from './invites.js';
import { discordActor, messageActivity, reactionActivity, roleIds, VoiceTracker } from './activity.js';
import { addReactions, reactionEvent } from './reactions.js';
import { RefusalNotes } from '../shared/reactions.js';
import { discordAccess } from './access.js';
import { lineLogger, type Logger } from '../../src/infra/log.js';
import type { SendMeta } from '../../src/infra/outbox.js';

export { buildSlashCommands } from './commands.js';
export { decodeCustomId, encodeForm, encodeRun, toDiscordText, messageBody } from './render.js';
export { ownsBackgroundWork } from './shard.js';

export interface DiscordAdapterOptions {
  token: string;
  /** Application id; defaults to the bot user id encoded in the token (the same for bot applications). */
  applicationId?: string;
  /** Register commands to this guild only (instant, for development); otherwise globally. */
  guildId?: string;
  /** REST API base (default https://discord.com/api); tests point it at a local fake server. */
  apiBase?: string;
  /** If the engine has not answered after this many ms, the interaction is deferred (default 2000). */
  deferAfterMs?: number;
  /** Register slash commands in start() (default: only in the process that owns background work). */
  registerCommands?: boolean;
  /**
   * The bot has the privileged MessageContent intent (DISCORD_MESSAGE_CONTENT=true; enable it in the
   * Developer Portal too): messages then carry their length and the minimum-length rule applies.
   */
  messageContent?: boolean;
  /** How often minutes in voice channels are reported while members stay (default 5 minutes). */
  voiceReportMs?: number;
  /** Clock for voice minutes (default Date.now); tests move it. */
  now?: () => number;
  /** Extra discord.js Client options (e.g. shards). */
  client?: Partial<ClientOptions>;
  log?: (msg: string) => void;
}

type Repliable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction | StringSelectMenuInteraction;

/** For a direct message: the community's server, which its buttons and menus act in (meta.space). */
const dmGuild = (to: Address, meta?: SendMeta) => (to.kind === 'dm' && meta?.space ? meta.space : undefined);

/** Discord's "Unknown Message" / "Unknown Channel": the message to edit is gone, so the edit never will work. */
const GONE = new Set([10003, 10008]);

/** The application id is the bot user id, base64-encoded as the token's first part. */
export function applicationIdFromToken(token: string): string | undefined {
  try {
    const id = Buffer.from(token.split('.')[0], 'base64').toString('utf8');
    return /^\d{15,25}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Option values of a chat-input interaction as core args; user options become <@id|name> mentions. */
export function optionArgs(options: readonly CommandInteractionOption[]): { sub: string | null; args: Record<string, unknown> } {
  let sub: string | null = null;
  let list = options;
  if (list[0]?.type === ApplicationCommandOptionType.SubcommandGroup) {
    sub = list[0].name;
    list = list[0].options ?? [];
  }
  if (list[0]?.type === ApplicationCommandOptionType.Subcommand) {
    sub = sub ? `${sub} ${list[0].name}` : list[0].name;
    list = list[0].options ?? [];
  }
  const args: Record<string, unknown> = {};
  for (const o of list) {
    if (o.value === undefined || o.value === null) continue;
    if (o.type === ApplicationCommandOptionType.User) {
      // The name lets the core label a member it has not met yet ("<@id|name>").
      const m = o.member as { nick?: string | null; displayName?: string } | null | undefined;
      const name = (m?.displayName ?? m?.nick ?? o.user?.globalName ?? o.user?.username ?? '').replace(/[<>|]/g, '').trim();
      args[o.name] = name ? `<@${o.value}|${name}>` : `<@${o.value}>`;
    } else args[o.name] = o.value;
  }
  return { sub, args };
}

/**
 * Discord adapter (discord.js 14). Slash commands, buttons and modals become engine commands; replies
 * are interaction responses; announcements are channel messages / DMs sent through the REST API.
 *
 * The 3-second rule: the engine usually answers in milliseconds and the reply is the interaction
 * response. If it has not answered after `deferAfterMs` (2 s), the interaction is deferred EPHEMERALLY
 * (ephemerality is fixed at defer time, and most replies and all errors are ephemeral). When the
 * answer comes: an ephemeral reply edits the deferred response; a public reply first edits it to a
 * short note (only the invoker sees it) and is then posted as a public follow-up message.
 */
export class DiscordAdapter implements PlatformAdapter {
  readonly platform = 'discord' as const;
  readonly client: Client;
  readonly commands: SlashCommandJSON[];
  private readonly groups;
  private readonly applicationId?: string;
  private readonly dmChannels = new Map<string, string>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly log: (msg: string) => void;
  private readonly voice: VoiceTracker;
  private voiceTimer?: NodeJS.Timeout;
  /** Discord invite attribution: joins and leaves, credited to the invite's creator (./invites.ts). */
  readonly invites: InviteTracker;
  private readonly refusals = new RefusalNotes();

  constructor(private readonly engine: Engine, private readonly opts: DiscordAdapterOptions) {
    this.log = opts.log ?? ((m) => console.error(m));
    this.groups = engine.commandGroups();
    this.commands = buildSlashCommands(this.groups);
    this.applicationId = opts.applicationId ?? applicationIdFromToken(opts.token);
    this.client = new Client({
      // Guilds: guild names, channels and roles in the cache. Messages, reactions and voice states earn
      // activity points; only MessageContent (message lengths) is privileged, and it is opt-in.
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.GuildMessageReactions,
        GatewayIntentBits.GuildVoiceStates,
        // Joins and leaves (GuildMembers, privileged: enable "Server Members Intent"), invite create/delete.
        GatewayIntentBits.GuildMembers,
        GatewayIntentBits.GuildInvites,
        ...(opts.messageContent ? [GatewayIntentBits.MessageContent] : []),
      ],
      // Reactions on messages sent before the bot started (not in the cache) still arrive; so do leaves of uncached members.
      partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.GuildMember],
      ...opts.client,
      rest: { ...(opts.apiBase ? { api: opts.apiBase } : {}), ...opts.client?.rest },
    });
    // Channel posts and command registration use the bot token; interaction responses do not need it.
    this.client.rest.setToken(opts.token);
    this.client.on(Events.InteractionCreate, (i) => {
      this.track(this.onInteraction(i).catch((err) => this.log(`discord: interaction ${i.id} failed: ${(err as Error)?.stack ?? err}`)));
    });
    this.voice = new VoiceTracker(opts.now ?? Date.now, (e) => this.activity(e));
    this.client.on(Events.MessageCreate, (m) => this.activity(messageActivity(m, !!opts.messageContent)));
    this.client.on(Events.MessageReactionAdd, (r, u) => {
      this.activity(reactionActivity(r, u));
      this.reaction(reactionEvent(r, u, 'add', this.client.user?.id));
    });
    this.client.on(Events.MessageReactionRemove, (r, u) => this.reaction(reactionEvent(r, u, 'remove', this.client.user?.id)));
    this.client.on(Events.VoiceStateUpdate, (o, n) => this.voice.update(o, n));
    this.invites = watchInvites(this.client, engine, { log: this.log, track: (p) => this.track(p) });
    // Members already in voice when the bot connects, or when a server comes (back) online.
    this.client.on(Events.ClientReady, (c) => c.guilds.cache.forEach((g) => this.voice.resume(g)));
    this.client.on(Events.GuildCreate, (g) => this.voice.resume(g));
    this.client.on(Events.GuildAvailable, (g) => this.voice.resume(g));
    this.client.on(Events.Error, (err) => this.log(`discord: ${err.message}`));
    this.client.once(Events.ClientReady, (c) => this.log(`discord: logged in as ${c.user.tag} (${c.guilds.cache.size} servers)`));
  }

  /** True in the process that registers the slash commands (shard 0 or unsharded). */
  get ownsBackgroundWork(): boolean {
    return ownsBackgroundWork(this.client.options.shards);
  }

  async start(): Promise<void> {
    if (this.opts.registerCommands ?? this.ownsBackgroundWork) await this.registerCommands();
    this.voiceTimer = setInterval(() => this.reportVoice(), this.opts.voiceReportMs ?? 5 * 60_000);
    this.voiceTimer.unref();
    await this.client.login(this.opts.token);
  }

  /** The gateway session is ready (discord.js reconnects on its own when it drops). */
  connected(): boolean {
    return this.client.isReady();
  }

  async stop(): Promise<void> {
    clearInterval(this.voiceTimer);
    // Minutes in voice so far are reported before the connection closes (whole minutes; the rest is lost).
    this.reportVoice();
    await this.idle();
    await this.client.destroy();
  }

  /** Reports the whole minutes every member in voice has collected since the last report (runs every 5 minutes). */
  reportVoice(): void {
    this.voice.reportAll((id) => this.client.guilds.cache.get(id));
  }

  /** Hands an activity event to the engine (best effort: a failure is logged); idle() waits for it. */
  private activity(e: ActivityEvent | null): void {
    if (!e) return;
    this.track(reportActivity(this.engine, e, this.log));
  }

  /**
   * A member's reaction on a server message: engine.reaction runs `poll vote` when the message is a
   * remembered poll card. A refusal of an added reaction (the poll closed, not one of its answers) is sent
   * to the member by DM, once per card (RefusalNotes), best effort; a vote is answered by the reaction itself.
   */
  private reaction(e: ReactionEvent | null): void {
    if (!e) return;
    this.track((async () => {
      const reply = await this.engine.reaction(e);
      if (!reply?.error || e.kind !== 'add' || !this.refusals.first(e.actor.userId, e.messageId)) return;
      await this.send({ kind: 'dm', userId: e.actor.userId }, { text: reply.text, error: reply.error });
    })().catch((err) => this.log(`discord: reaction ${e.kind} ${e.emoji} on ${e.messageId} by ${e.actor.userId} failed: ${(err as Error)?.message ?? err}`)));
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** Resolves when every interaction and activity event received so far has been handled. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** PUT the full command list: to DISCORD_GUILD_ID when set (instant), else globally. */
  async registerCommands(): Promise<void> {
    const app = this.applicationId;
    if (!app) throw new Error('Discord: set DISCORD_APPLICATION_ID (the application id could not be read from the token).');
    const route = this.opts.guildId ? Routes.applicationGuildCommands(app, this.opts.guildId) : Routes.applicationCommands(app);
    await this.client.rest.put(route, { body: this.commands });
    this.log(`discord: registered ${this.commands.length} slash commands ${this.opts.guildId ? `in guild ${this.opts.guildId}` : 'globally'}`);
  }

  /**
   * Posts an announcement to a channel or thread (threads are channels in Discord), or as a DM, and returns
   * the message id (kept for cards, to edit them later). The reply's `reactions` are then added under it;
   * failing to add one is logged, never a failed send. Throws when the post fails (the outbox retries).
   */
  async send(to: Address, reply: Reply, meta?: SendMeta): Promise<string> {
    const target = await this.target(to);
    const { flags: _flags, ...body } = messageBody(reply, { log: this.log, guild: dmGuild(to, meta) });
    const posted = (await this.client.rest.post(Routes.channelMessages(target), { body })) as { id: string };
    await addReactions(this.client.rest, target, posted.id, reply.reactions, this.log);
    return posted.id;
  }

  /**
   * Edits a message posted by send (a live card): its text and components. A message or channel that is
   * gone (deleted) is logged and the edit dropped, so it is not retried for hours; other failures throw.
   */
  async edit(to: Address, messageId: string, reply: Reply, meta?: SendMeta): Promise<void> {
    const target = await this.target(to);
    const { flags: _flags, ...body } = messageBody(reply, { log: this.log, guild: dmGuild(to, meta) });
    try {
      await this.client.rest.patch(Routes.channelMessage(target, messageId), { body });
    } catch (err) {
      if (!(err instanceof DiscordAPIError) || !GONE.has(Number(err.code))) throw err;
      this.log(`discord: message ${messageId} in ${target} is gone (${err.message}); the edit is dropped`);
    }
  }

  private async target(to: Address): Promise<string> {
    return to.kind === 'dm' ? this.dmChannel(to.userId) : (to.threadId ?? to.channelId);
  }

  /** Gives or takes a tier's role (the runtime hands it to engine.deliverAccess beside the outbox pump). */
  applyAccess(task: AccessTask): Promise<AccessOutcome> {
    return discordAccess(this.client)(task);
  }

  private async dmChannel(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const ch = (await this.client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    this.dmChannels.set(userId, ch.id);
    return ch.id;
  }

  /* ---------------------------------------------------------------------------------------------- */

  private async onInteraction(i: Interaction): Promise<void> {
    if (!i.isChatInputCommand() && !i.isButton() && !i.isModalSubmit() && !i.isStringSelectMenu()) return;
    if (i.isChatInputCommand()) {
      if (!i.guildId) return this.refuse(i, 'notInServer');
      const { sub, args } = optionArgs(i.options.data);
      return this.run(i, coreCommandName(this.groups, i.commandName, sub), args);
    }
    const decoded = decodeCustomId(i.customId);
    // A component on a direct message (a prize claim button) names the server it acts for in its id.
    const dm = i.guildId ? undefined : decoded?.guild;
    if (!i.guildId && !dm) return this.refuse(i, 'notInServer');
    if (i.isStringSelectMenu()) {
      // The chosen values joined by "," as one option, the way the core's select menus take them.
      if (decoded?.kind === 'select') return this.run(i, decoded.command, { ...decoded.args, [decoded.name]: i.values.join(',') }, dm);
    } else if (i.isButton()) {
      if (decoded?.kind === 'run') return this.run(i, decoded.command, decoded.args, dm);
      if (decoded?.kind === 'form') return this.openForm(i, decoded, dm);
    } else if (decoded?.kind === 'modal') {
      const fields: Record<string, string> = {};
      for (const [name, c] of i.fields.fields) {
        const v = (c as { value?: unknown }).value;
        if (typeof v === 'string' && v.trim() !== '') fields[name] = v;
      }
      return this.run(i, decoded.command, { ...decoded.args, ...fields }, dm);
    }
    return this.refuse(i, 'staleButton');
  }

  /** An ephemeral error the adapter words itself (`discord:<key>`), in the language of the person's client. */
  private async refuse(i: Repliable, key: 'notInServer' | 'staleButton'): Promise<void> {
    const L = adapterLang(i.locale);
    await i.reply(this.payload({ text: L.t(`discord:${key}`), error: { code: `discord:${key}` }, ephemeral: true }, L));
  }

  private findDef(command: string) {
    return this.engine.commands.find((c) => c.name === command);
  }

  private async openForm(i: ButtonInteraction, form: { command: string; args: Record<string, string>; fields: FieldSpec[]; title?: string }, dm?: string) {
    const def = this.findDef(form.command);
    const modal = def && buildModal(form, def, adapterLang(i.locale), dm);
    if (!modal) return this.refuse(i, 'staleButton');
    await i.showModal(modal);
  }

  /** The person, with the role ids their member holds here (Actor.roles: giveaway role requirements). */
  private actor(i: Repliable): Actor {
    const roles = roleIds(i.member);
    return { ...discordActor(i.user, i.member, i.memberPermissions, i.locale), ...(roles ? { roles } : {}) };
  }

  /** `dm`: the interaction came from a direct message and acts for this server (see render.ts, custom ids). */
  private inbound(i: Repliable, command: string, args: Record<string, unknown>, dm?: string): Inbound {
    return buildInbound({
      platform: 'discord',
      space: dm ? { key: dm } : { key: i.guildId!, name: i.guild?.name },
      // A thread is a channel of its own in Discord: replies and cards go to it by its channel id.
      address: dm ? { kind: 'dm', userId: i.user.id } : i.channelId ? { kind: 'channel', channelId: i.channelId } : undefined,
      actor: this.actor(i),
      command,
      args,
      eventKey: i.id,
    });
  }

  private payload(reply: Reply, L: Lang, dm?: string) {
    const b = messageBody(reply, { ephemeral: isEphemeral(reply), log: this.log, L, guild: dm });
    return { content: b.content, components: b.components, allowedMentions: b.allowed_mentions, ...(b.flags ? { flags: b.flags as MessageFlags.Ephemeral } : {}) };
  }

  /** Runs a command and answers the interaction, deferring if the engine is slow (see class doc). */
  private async run(i: Repliable, command: string, args: Record<string, unknown>, dm?: string): Promise<void> {
    const work = this.engine.handle(this.inbound(i, command, args, dm));
    let deferral: Promise<boolean> | undefined;
    const timer = setTimeout(() => {
      deferral = i.deferReply({ flags: MessageFlags.Ephemeral }).then(
        () => true,
        (err) => {
          this.log(`discord: defer failed: ${(err as Error).message}`);
          return false;
        },
      );
    }, this.opts.deferAfterMs ?? 2000);
    let reply: Reply;
    try {
      reply = await work;
    } finally {
      clearTimeout(timer);
    }
    const L = adapterLang(i.locale);
    if (deferral && (await deferral)) return this.finishDeferred(i, reply, L, dm);
    // A form in the reply opens as a modal when the interaction allows it (not from a modal submit).
    if (reply.form && !reply.error && !i.isModalSubmit()) {
      const def = this.findDef(reply.form.command);
      const modal = def && buildModal(reply.form, def, L, dm);
      if (modal) return void (await i.showModal(modal));
    }
    await i.reply(this.payload(reply, L, dm));
    if (reply.reactions?.length && !isEphemeral(reply)) await this.reactUnder(i, reply.reactions);
  }

  /** Adds a public reply's reactions under it (the interaction's response message, fetched for its id). */
  private async reactUnder(i: Repliable, reactions: string[], followUp?: { id: string; channelId: string }): Promise<void> {
    try {
      const msg = followUp ?? (await i.fetchReply());
      await addReactions(this.client.rest, msg.channelId, msg.id, reactions, this.log);
    } catch (err) {
      this.log(`discord: could not find the reply to ${i.id} to add its reactions: ${(err as Error)?.message ?? err}`);
    }
  }

  private async finishDeferred(i: Repliable, reply: Reply, L: Lang, dm?: string): Promise<void> {
    const p = this.payload(reply, L, dm);
    const { flags: _f, ...edit } = p;
    if (isEphemeral(reply)) {
      await i.editReply(edit);
      return;
    }
    // The deferral was ephemeral; a public answer goes out as a follow-up after the placeholder is used.
    await i.editReply({ content: L.t('discord:deferredPublicNote'), components: [] });
    const posted = await i.followUp({ ...edit });
    if (reply.reactions?.length) await this.reactUnder(i, reply.reactions, posted);
  }
}

/** Entry used by src/main.ts when DISCORD_TOKEN is set. */
export async function createAdapter(engine: Engine, cfg: Config, logger?: Logger): Promise<PlatformAdapter> {
  if (!cfg.DISCORD_TOKEN) throw new Error('Configuration error: DISCORD_TOKEN is not set.');
  return new DiscordAdapter(engine, {
    token: cfg.DISCORD_TOKEN,
    applicationId: cfg.DISCORD_APPLICATION_ID,
    guildId: cfg.DISCORD_GUILD_ID,
    messageContent: cfg.DISCORD_MESSAGE_CONTENT,
    ...(logger ? { log: lineLogger(logger, { platform: 'discord' }) } : {}),
    // This process's share of the shards (several processes on several machines); see .env.example.
    // (Not under `npm run start:sharded`, whose launcher gives each child its shard in SHARDS.)
    ...(cfg.DISCORD_SHARDS && typeof cfg.DISCORD_SHARD_COUNT === 'number' && !process.env.SHARDS
      ? { client: { shards: cfg.DISCORD_SHARDS.split(',').map((x) => Number(x.trim())), shardCount: cfg.DISCORD_SHARD_COUNT } }
      : {}),
  });
}
