import cron, { type ScheduledTask } from 'node-cron';
import type { Engine } from './engine.js';
import type { AccessOutcome, AccessTask, Address, Platform, Reply } from './core/types.js';
import { releaseDeadClaims, releaseOwnClaims } from './infra/claims.js';
import { closeRankIndexes } from './infra/rank-index.js';
import type { SendMeta } from './infra/outbox.js';

/** What every platform adapter offers the runtime. Adapters live in adapters/ and only translate. */
export interface PlatformAdapter {
  readonly platform: Platform;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Posts a queued announcement to a channel (or thread) or as a direct message, and returns the platform's
   * id of the message (Discord message id, Slack ts, Telegram message_id) so cards can be edited later.
   * `meta.space` is the community's guild, workspace or chat id on this platform (`meta.spaces`: all of them, when the
   * community is bound to several, e.g. Slack workspaces). Throws to retry later.
   */
  send(to: Address, reply: Reply, meta?: SendMeta): Promise<string | void>;
  /** Edits a message this adapter posted (a live giveaway card). Absent: the platform's cards stay as posted. */
  edit?(to: Address, messageId: string, reply: Reply, meta?: SendMeta): Promise<void>;
  /** Carries out one tier access change (role, invite link, user group) for engine.deliverAccess. */
  applyAccess?(task: AccessTask): Promise<AccessOutcome>;
  /**
   * False in a process that must not do the once-per-deployment set-up (registering Discord's slash
   * commands): a Discord shard other than 0. The scheduler and outbox run in every process (rows are claimed).
   */
  readonly ownsBackgroundWork?: boolean;
  /** Whether the platform connection is up, for /readyz (src/web/server.ts); absent means it cannot tell (counted as up). */
  connected?(): boolean;
}

export interface RuntimeOptions {
  /** node-cron expression for the scheduler tick (default every 15 seconds). */
  jobsCron?: string;
  /** How often the outbox is drained, in ms (default 2000). */
  outboxMs?: number;
  log?: (msg: string) => void;
}

/**
 * Runs the scheduler (node-cron tick -> due jobs from the database, so a restart catches up on missed
 * runs) and the outbox pump that hands queued announcements to each adapter.
 */
export class Runtime {
  private task?: ScheduledTask;
  private timer?: NodeJS.Timeout;
  private pumping = false;
  private ticking = false;
  private lastPrune = 0;

  constructor(private readonly engine: Engine, private readonly adapters: PlatformAdapter[], private readonly opts: RuntimeOptions = {}) {}

  async start(): Promise<void> {
    // Jobs and messages a crashed run had claimed are due now, not when their lock runs out.
    const db = this.engine.db;
    const freed = await releaseDeadClaims(db.prisma, { exclusive: db.provider === 'sqlite' });
    if (freed.jobs || freed.outbox || freed.webhooks) {
      this.opts.log?.(`start-up: released ${freed.jobs} job(s), ${freed.outbox} message(s) and ${freed.webhooks} webhook delivery(ies) claimed by a process that is gone`);
    }
    // Catch up first: contests that should have ended while the bot was down end now.
    await this.tick();
    this.task = cron.schedule(this.opts.jobsCron ?? '*/15 * * * * *', () => this.tick(), { name: 'engage-jobs', noOverlap: true });
    this.timer = setInterval(() => void this.pump(), this.opts.outboxMs ?? 2000);
    await this.pump();
  }

  /** The scheduler tick running now, if any: stop() lets it finish. */
  private running?: Promise<unknown>;

  tick(): Promise<number> {
    if (this.ticking || this.stopping) return Promise.resolve(0);
    return (this.running = this.tickOnce());
  }

  private async tickOnce(): Promise<number> {
    this.ticking = true;
    try {
      const ran = await this.engine.runDueJobs();
      if (ran) this.opts.log?.(`scheduler: ran ${ran} job(s)`);
      if (Date.now() - this.lastPrune > 3_600_000) {
        this.lastPrune = Date.now();
        await this.engine.prune();
      }
      await this.pump();
      return ran;
    } finally {
      this.ticking = false;
    }
  }

  /** The outbox pass running now, if any: stop() lets it finish. */
  private pumped?: Promise<number>;
  /** The webhook pass running now, if any (stop() lets it finish). */
  private webhooks?: Promise<number>;

  /** Delivers pending announcements and tier access changes for every running adapter. */
  pump(): Promise<number> {
    if (this.pumping || this.stopping) return Promise.resolve(0);
    return (this.pumped = this.pumpOnce());
  }

  private async pumpOnce(): Promise<number> {
    this.pumping = true;
    try {
      let sent = 0;
      // Access first: a Telegram grant queues the DM with its invite link, sent just below.
      for (const a of this.adapters) if (a.applyAccess) await this.engine.deliverAccess(a.platform, (t) => a.applyAccess!(t));
      for (const a of this.adapters) sent += await this.engine.deliverOutbox(a.platform, {
        send: (to, r, meta) => a.send(to, r, meta),
        ...(a.edit ? { edit: (to: Address, id: string, r: Reply, meta: SendMeta) => a.edit!(to, id, r, meta) } : {}),
      });
      // Outgoing webhooks (claimed per row, so any instance may send them) run beside the pump, one pass at a
      // time: a slow receiver (up to its 10 s timeout) never holds up chat messages.
      this.webhooks ??= this.engine.deliverWebhooks()
        .catch((err) => { this.opts.log?.(`webhooks: ${(err as Error).message}`); return 0; })
        .finally(() => { this.webhooks = undefined; });
      return sent;
    } catch (err) {
      this.opts.log?.(`outbox: ${(err as Error).message}`);
      return 0;
    } finally {
      this.pumping = false;
    }
  }

  private stopping = false;

  /**
   * Stops cleanly: no new scheduler ticks or outbox passes, adapters stop taking events, commands already
   * being handled answer (up to `graceMs`), the running tick finishes, buffered activity is committed.
   * What this process still holds (jobs, messages) is let go for another instance to take at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    await this.task?.destroy();
    if (this.timer) clearInterval(this.timer);
    // The running tick and outbox pass finish while the adapters can still send.
    await this.running?.catch(() => undefined);
    await this.pumped?.catch(() => undefined);
    await this.webhooks;
    for (const a of this.adapters) await a.stop();
    if (!(await this.engine.idle(graceMs))) this.opts.log?.(`stop: some commands were still running after ${graceMs} ms`);
    await releaseOwnClaims(this.engine.db.prisma).catch((err) => this.opts.log?.(`stop: could not release claims (${(err as Error).message})`));
    // Activity accepted from the adapters is committed before the process goes (see src/infra/activity-buffer.ts).
    await this.engine.flush();
    // The Redis rank index's connection (PostgreSQL with REDIS_URL), so the process can end.
    await closeRankIndexes();
  }
}
