import type { Engine } from '../../src/engine.js';
import type { Config } from '../../src/config.js';
import type { PlatformAdapter } from '../../src/runtime.js';
import type { AccessOutcome, AccessTask, Address, Reply } from '../../src/core/types.js';
import { telegramAccess } from './access.js';
import { CallbackCodec } from './callbacks.js';
import { referralLink } from './deeplink.js';
import { Delivery } from './delivery.js';
import { PendingForms } from './forms.js';
import { chatMemberPresence } from './presence.js';
import { registerCommands, Router } from './routing.js';
import { TelegramTransport, WEBHOOK_SECRET_MISSING, type TransportOptions } from './transport.js';
import { lineLogger, type Logger } from '../../src/infra/log.js';
import type { SendMeta } from '../../src/infra/outbox.js';

export { encodeStartPayload, decodeStartPayload, referralLink } from './deeplink.js';
export { displayName, toHtml, toPlain } from './format.js';
export { membersGroups, telegramCommands } from './routing.js';

/** The transport's settings (token, webhook or long polling) and how routing and delivery behave. */
export interface TelegramOptions extends Omit<TransportOptions, 'log'> {
  /** Try Telegram's native ephemeral messages (Bot API 10.2) for ephemeral replies in groups (default true). */
  nativeEphemeral?: boolean;
  /** How long a getChatMember answer is trusted (default 5 minutes). */
  roleTtlMs?: number;
  /** How long a form prompt waits for its reply (default 15 minutes). */
  formTtlMs?: number;
  log?: (msg: string) => void;
}

/**
 * Telegram adapter (grammY), wired from three parts: the transport receives updates (webhook or long
 * polling), routing turns them into core commands for the right community, delivery renders the replies.
 * Commands in groups act on the group's community (communityKey = chat id); commands in a private chat act
 * on the group the user most recently used the bot in. See README.md for ephemeral replies, forms and
 * deep-link referrals.
 */
export class TelegramAdapter implements PlatformAdapter {
  readonly platform = 'telegram' as const;
  private readonly transport: TelegramTransport;
  private readonly delivery: Delivery;
  private readonly access: (task: AccessTask) => Promise<AccessOutcome>;

  constructor(private readonly engine: Engine, opts: TelegramOptions) {
    const log = opts.log ?? ((m) => console.error(m));
    this.transport = new TelegramTransport({ ...opts, log });
    const api = this.transport.bot.api;
    const codec = new CallbackCodec(engine.commands);
    // Pending forms are the engine's, so a restart or another instance receiving the reply carries on.
    const forms = new PendingForms({
      put: (key, state, ttlMs) => engine.formPut(key, state, ttlMs),
      peek: (key) => engine.formPeek(key),
      drop: (key) => engine.formDrop(key),
    }, opts.formTtlMs);
    this.delivery = new Delivery(api, codec, forms, {
      nativeEphemeral: opts.nativeEphemeral, log,
      botUsername: () => this.transport.bot.botInfo.username,
      onMigrated: (fromChatId, toChatId) => router.migrate(fromChatId, toChatId),
    });
    const router: Router = new Router(engine, api, () => this.transport.bot.botInfo, codec, forms, this.delivery, { roleTtlMs: opts.roleTtlMs ?? 5 * 60_000, log });
    this.transport.listen({
      message: (key, msg) => router.message(key, msg),
      callback: (key, cq) => router.callback(key, cq),
      reaction: (key, r) => router.reaction(key, r),
      member: async (_key, u) => {
        const e = chatMemberPresence(u);
        if (e) await router.presence([e]);
      },
    });
    this.access = telegramAccess(api, () => engine.now());
  }

  /** The grammY bot (for its API and bot info). */
  get bot() {
    return this.transport.bot;
  }

  /** The port the webhook server listens on (after start in webhook mode). */
  get webhookPort(): number | undefined {
    return this.transport.webhookPort;
  }

  async start(): Promise<void> {
    await this.transport.init();
    await registerCommands(this.transport.bot.api, this.engine.commandGroups());
    await this.transport.start();
  }

  stop(): Promise<void> {
    return this.transport.stop();
  }

  connected(): boolean {
    return this.transport.connected;
  }

  /**
   * Posts an announcement to a group, one of its forum topics, or a private chat, and returns its message_id.
   * Throws on failure so the outbox retries. A reply's select menus show as their fallback buttons, and its
   * `reactions` are left out (Telegram bots cannot pre-set reactions to vote with; emoji polls use buttons here).
   */
  send(to: Address, reply: Reply, meta?: SendMeta): Promise<string> {
    return this.delivery.send(to, reply, meta?.space);
  }

  /** Edits a card posted earlier (a live giveaway card): text and inline keyboard. */
  edit(to: Address, messageId: string, reply: Reply, meta?: SendMeta): Promise<void> {
    return this.delivery.edit(to, messageId, reply, meta?.space);
  }

  /** Carries out one tier access change (adapters/telegram/access.ts); the runtime hands it to engine.deliverAccess. */
  applyAccess(task: AccessTask): Promise<AccessOutcome> {
    return this.access(task);
  }

  /** The t.me link that starts the bot and redeems `referralCode` in the community of `groupChatId`. */
  referralLink(groupChatId: number | string, referralCode: string): string {
    return referralLink(this.transport.bot.botInfo.username, groupChatId, referralCode);
  }
}

/** Called by src/main.ts when TELEGRAM_BOT_TOKEN is set. */
export async function createAdapter(engine: Engine, cfg: Config, logger?: Logger): Promise<PlatformAdapter> {
  if (!cfg.TELEGRAM_BOT_TOKEN) throw new Error('Configuration error: TELEGRAM_BOT_TOKEN is not set.');
  if (cfg.TELEGRAM_WEBHOOK_URL) {
    if (!cfg.TELEGRAM_WEBHOOK_SECRET) throw new Error(WEBHOOK_SECRET_MISSING);
    if (!cfg.TELEGRAM_WEBHOOK_URL.startsWith('https://')) throw new Error('Configuration error: TELEGRAM_WEBHOOK_URL must be an https:// URL (Telegram only posts to HTTPS).');
  }
  return new TelegramAdapter(engine, {
    token: cfg.TELEGRAM_BOT_TOKEN,
    webhookUrl: cfg.TELEGRAM_WEBHOOK_URL,
    webhookSecret: cfg.TELEGRAM_WEBHOOK_SECRET,
    port: cfg.TELEGRAM_PORT,
    ...(cfg.TELEGRAM_API_ROOT ? { apiRoot: cfg.TELEGRAM_API_ROOT } : {}),
    ...(logger ? { log: lineLogger(logger, { platform: 'telegram' }) } : {}),
  });
}
