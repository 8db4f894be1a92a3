import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, webhookCallback } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import type { CallbackQuery, ChatMemberUpdated, Message, MessageReactionUpdated, UserFromGetMe } from 'grammy/types';

/**
 * The receiver (as Bolt separates it from the app): the grammY Bot, the webhook server or long polling,
 * and handling each update_id once per process. It knows nothing about commands; it hands every message
 * and button press, with the delivery's stable event key, to the handlers.
 */
export interface TransportOptions {
  /** Bot token from @BotFather. */
  token: string;
  /** Bot API root (default https://api.telegram.org); tests point it at a local fake. */
  apiRoot?: string;
  /** Known bot info; when missing, init() calls getMe. */
  botInfo?: UserFromGetMe;
  /** Public HTTPS URL Telegram posts updates to; when set a webhook server runs, else long polling. */
  webhookUrl?: string;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it are rejected (401). */
  webhookSecret?: string;
  /** Port and host of the webhook server (default 8443 on all interfaces; 0 picks a free port). */
  port?: number;
  host?: string;
  /**
   * Keep within Telegram's flood limits: about 30 messages a second in all and 20 a minute per group, queued
   * rather than refused (default on; tests that post fast to a fake turn it off).
   */
  throttle?: boolean | Parameters<typeof apiThrottler>[0];
  log: (msg: string) => void;
}

export interface UpdateHandlers {
  /** `eventKey` is "<bot id>:<update_id>": the engine applies a redelivered update once. */
  message(eventKey: string, msg: Message): Promise<void>;
  callback(eventKey: string, cq: CallbackQuery): Promise<void>;
  /** A member changed their reactions to a message (sent to the bot only where it is an administrator). */
  reaction(eventKey: string, r: MessageReactionUpdated): Promise<void>;
  /** Someone joined or left a group, or their status changed (sent only where the bot is an administrator). */
  member?(eventKey: string, u: ChatMemberUpdated): Promise<void>;
}

/** message_reaction and chat_member must be asked for by name: Telegram does not send them by default. */
const ALLOWED_UPDATES = ['message', 'callback_query', 'message_reaction', 'chat_member'] as const;
const MAX_DONE = 2000;

/** Bot API methods that post a message (Telegram's flood limits count these). */
const SENDS = /^(send|copyMessage|forwardMessage)/;

export const WEBHOOK_SECRET_MISSING = 'Configuration error: TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET (A-Z, a-z, 0-9, _ and -).';

export class TelegramTransport {
  readonly bot: Bot;
  private readonly done = new Set<number>();
  private readonly inflight = new Set<number>();
  private server?: Server;
  private runner?: RunnerHandle;
  /** Updates being handled now: stop() lets them finish (their replies are sent). */
  private readonly handling = new Set<Promise<void>>();

  constructor(private readonly opts: TransportOptions) {
    this.bot = new Bot(opts.token, { botInfo: opts.botInfo, client: opts.apiRoot ? { apiRoot: opts.apiRoot } : undefined });
    // A 429 is retried after the wait Telegram asks for (retry_after), up to 30 s. Beyond that, on a 5xx and on
    // a network error the call fails at once: the outbox tries again later, a webhook update is redelivered,
    // and start-up says what is wrong instead of retrying forever.
    this.bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
    if (opts.throttle !== false) {
      // Only what posts counts against Telegram's message limits; look-ups (getChatMember), edits and
      // answers to button presses must not queue behind a group's 20 messages a minute.
      const throttled = apiThrottler(opts.throttle === true ? undefined : opts.throttle);
      this.bot.api.config.use((prev, method, payload, signal) =>
        (SENDS.test(method) ? throttled(prev, method, payload, signal) : prev(method, payload, signal)));
    }
    // Long polling runs updates concurrently (@grammyjs/runner); those of one chat still go in order.
    this.bot.use(sequentialize((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? '')));
    // Long polling only (webhook errors become HTTP 500 so Telegram redelivers; eventKey keeps that safe).
    this.bot.catch((err) => opts.log(`telegram: update ${err.ctx.update.update_id} failed: ${(err.error as Error)?.message ?? err.error}`));
  }

  /** Routes updates to the app; call once, before start(). */
  listen(h: UpdateHandlers): void {
    this.bot.on('message', (ctx) => this.once(ctx.update.update_id, (key) => h.message(key, ctx.message)));
    this.bot.on('callback_query', (ctx) => this.once(ctx.update.update_id, (key) => h.callback(key, ctx.callbackQuery)));
    this.bot.on('message_reaction', (ctx) => this.once(ctx.update.update_id, (key) => h.reaction(key, ctx.messageReaction)));
    const member = h.member;
    if (member) this.bot.on('chat_member', (ctx) => this.once(ctx.update.update_id, (key) => member(key, ctx.chatMember)));
  }

  /** Who the bot is (getMe when not given). */
  async init(): Promise<UserFromGetMe> {
    // bot.init() retries getMe forever on network errors (a silent hang with no network): one plain call
    // fails at once and says why.
    if (!this.bot.isInited()) this.bot.botInfo = await this.bot.api.getMe();
    return this.bot.botInfo;
  }

  /** The port the webhook server listens on (after start in webhook mode). */
  get webhookPort(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async start(): Promise<void> {
    if (this.opts.webhookUrl) await this.startWebhook(this.opts.webhookUrl);
    else await this.startPolling();
  }

  /** Receiving updates: the webhook server listens, or long polling runs. */
  get connected(): boolean {
    return this.server ? this.server.listening : !!this.runner?.isRunning();
  }

  async stop(): Promise<void> {
    if (this.runner) {
      const runner = this.runner;
      this.runner = undefined;
      // Stops fetching; the updates already taken are waited for below.
      await runner.stop().catch((err) => this.opts.log(`telegram: stop: ${(err as Error).message}`));
    }
    await Promise.allSettled([...this.handling]);
    const server = this.server;
    if (server) {
      this.server = undefined;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }

  private async startWebhook(url: string): Promise<void> {
    const secret = this.opts.webhookSecret;
    if (!secret) throw new Error(WEBHOOK_SECRET_MISSING);
    const path = new URL(url).pathname || '/';
    const handle = webhookCallback(this.bot, 'http', { secretToken: secret, timeoutMilliseconds: 50_000 });
    const server = createServer((req, res) => {
      const reqPath = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && reqPath === '/healthz') return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      if (req.method !== 'POST' || reqPath !== path) return void res.writeHead(404).end();
      handle(req, res).catch((err: unknown) => {
        // Telegram redelivers on non-2xx; the engine's eventKey makes the retry safe.
        this.opts.log(`telegram: webhook update failed: ${(err as Error)?.message ?? err}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 8443, this.opts.host ?? '0.0.0.0', () => resolve());
    });
    this.server = server;
    await this.bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
  }

  private async startPolling(): Promise<void> {
    await this.bot.api.deleteWebhook();
    // silent: the runner would print fetch errors whole, and grammY's carry the request URL with the token.
    this.runner = run(this.bot, { runner: { silent: true, fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    void this.runner.task()?.catch((err: unknown) => this.opts.log(`telegram: polling stopped: ${(err as Error)?.message ?? err}`));
  }

  /** Handles each update_id once per process (a redelivery after success is skipped; the engine covers restarts). */
  private once(updateId: number, fn: (eventKey: string) => Promise<void>): Promise<void> {
    const work = this.handleOnce(updateId, fn);
    this.handling.add(work);
    void work.finally(() => this.handling.delete(work)).catch(() => undefined);
    return work;
  }

  private async handleOnce(updateId: number, fn: (eventKey: string) => Promise<void>): Promise<void> {
    if (this.done.has(updateId) || this.inflight.has(updateId)) return;
    this.inflight.add(updateId);
    try {
      await fn(`${this.bot.botInfo.id}:${updateId}`);
      this.done.add(updateId);
      if (this.done.size > MAX_DONE) this.done.delete(this.done.values().next().value!);
    } finally {
      this.inflight.delete(updateId);
    }
  }
}
