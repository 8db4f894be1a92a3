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
} from 'discord.js';
import type { Engine } from '../../src/engine.js';
import type { Config } from '../../src/config.js';
import type { PlatformAdapter } from '../../src/runtime.js';
import type { AccessOutcome, AccessTask, ActivityEvent, Actor, Address, Inbound, Reply } from '../../src/core/types.js';
import type { Lang } from '../../src/i18n/index.js';
import { buildInbound } from '../shared/inbound.js';
import { reportActivity } from '../shared/activity.js';
import { adapterLang } from '../shared/text.js';
import { buildSlashCommands, coreCommandName, type SlashCommandJSON } from './commands.js';
import { buildModal, decodeCustomId, isEphemeral, messageBody, type FieldSpec } from './render.js';
import { ownsBackgroundWork } from './shard.js';
import { watchInvites, type InviteTracker } from './invites.js';
import { discordActor, messageActivity, reactionActivity, VoiceTracker } from './activity.js';
import { discordAccess } from './access.js';
import { lineLogger, type Logger } from '../../src/infra/log.js';

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

type Repliable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

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
    this.client.on(Events.MessageReactionAdd, (r, u) => this.activity(reactionActivity(r, u)));
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

  /** Posts an announcement to a channel or thread (threads are channels in Discord), or as a DM. Throws on failure. */
  async send(to: Address, reply: Reply): Promise<void> {
    const target = to.kind === 'dm' ? await this.dmChannel(to.userId) : (to.threadId ?? to.channelId);
    const { flags: _flags, ...body } = messageBody(reply, { log: this.log });
    await this.client.rest.post(Routes.channelMessages(target), { body });
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
    if (!i.isChatInputCommand() && !i.isButton() && !i.isModalSubmit()) return;
    if (!i.guildId) return this.refuse(i, 'notInServer');
    if (i.isChatInputCommand()) {
      const { sub, args } = optionArgs(i.options.data);
      return this.run(i, coreCommandName(this.groups, i.commandName, sub), args);
    }
    const decoded = decodeCustomId(i.customId);
    if (i.isButton()) {
      if (decoded?.kind === 'run') return this.run(i, decoded.command, decoded.args);
      if (decoded?.kind === 'form') return this.openForm(i, decoded);
    } else if (decoded?.kind === 'modal') {
      const fields: Record<string, string> = {};
      for (const [name, c] of i.fields.fields) {
        const v = (c as { value?: unknown }).value;
        if (typeof v === 'string' && v.trim() !== '') fields[name] = v;
      }
      return this.run(i, decoded.command, { ...decoded.args, ...fields });
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

  private async openForm(i: ButtonInteraction, form: { command: string; args: Record<string, string>; fields: FieldSpec[]; title?: string }) {
    const def = this.findDef(form.command);
    const modal = def && buildModal(form, def, adapterLang(i.locale));
    if (!modal) return this.refuse(i, 'staleButton');
    await i.showModal(modal);
  }

  private actor(i: Repliable): Actor {
    return discordActor(i.user, i.member, i.memberPermissions, i.locale);
  }

  private inbound(i: Repliable, command: string, args: Record<string, unknown>): Inbound {
    return buildInbound({
      platform: 'discord',
      space: { key: i.guildId!, name: i.guild?.name },
      // A thread is a channel of its own in Discord: replies and cards go to it by its channel id.
      address: i.channelId ? { kind: 'channel', channelId: i.channelId } : undefined,
      actor: this.actor(i),
      command,
      args,
      eventKey: i.id,
    });
  }

  private payload(reply: Reply, L: Lang) {
    const b = messageBody(reply, { ephemeral: isEphemeral(reply), log: this.log, L });
    return { content: b.content, components: b.components, allowedMentions: b.allowed_mentions, ...(b.flags ? { flags: b.flags as MessageFlags.Ephemeral } : {}) };
  }

  /** Runs a command and answers the interaction, deferring if the engine is slow (see class doc). */
  private async run(i: Repliable, command: string, args: Record<string, unknown>): Promise<void> {
    const work = this.engine.handle(this.inbound(i, command, args));
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
    if (deferral && (await deferral)) return this.finishDeferred(i, reply, L);
    // A form in the reply opens as a modal when the interaction allows it (not from a modal submit).
    if (reply.form && !reply.error && !i.isModalSubmit()) {
      const def = this.findDef(reply.form.command);
      const modal = def && buildModal(reply.form, def, L);
      if (modal) return void (await i.showModal(modal));
    }
    await i.reply(this.payload(reply, L));
  }

  private async finishDeferred(i: Repliable, reply: Reply, L: Lang): Promise<void> {
    const p = this.payload(reply, L);
    const { flags: _f, ...edit } = p;
    if (isEphemeral(reply)) {
      await i.editReply(edit);
      return;
    }
    // The deferral was ephemeral; a public answer goes out as a follow-up after the placeholder is used.
    await i.editReply({ content: L.t('discord:deferredPublicNote'), components: [] });
    await i.followUp({ ...edit });
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
