import { randomInt, randomUUID } from 'node:crypto';
import { inOwnTx, transaction, type Database, type Tx } from './db/client.js';
import type { CommandDef } from './core/command.js';
import { parseTextArgs, validateArgs } from './core/command.js';
import type { CommandContext } from './core/context.js';
import { UserError } from './core/errors.js';
import { checkPreconditions } from './core/preconditions.js';
import type { AccessOutcome, AccessTask, ActivityEvent, Address, Inbound, Platform, PresenceEvent, ReactionEvent, Reply, Role } from './core/types.js';
import { cardOfMessage } from './features/cards/service.js';
import { recordPresence } from './features/presence/service.js';
import { deliverAccess } from './infra/access.js';
import { runAfterCommit, type Scope } from './core/scope.js';
import { lang, readerLocale, toLocale, type Lang } from './i18n/index.js';
import { actingAccount, communityByKey, communitySettings, effectiveRole, lastGroupOf, moveBinding, referralCodeOf, resolveContext, type MoveOutcome } from './features/members/service.js';
import { runDueJobs, txScope, type JobHandlers } from './infra/jobs.js';
import { sqlRun } from './db/fast.js';
import { rankIndexFor, type RankIndex } from './infra/rank-index.js';
import { deliverOutbox, type OutboxPort, type OutboxSender, type StoredNotice } from './infra/outbox.js';
import { reportGaveUp } from './features/delivery/service.js';
import { dropForm, peekForm, pruneForms, putForm } from './features/forms/service.js';
import { logContext } from './infra/log.js';
import { RateLimiter, type RateLimitOptions } from './infra/ratelimit.js';
import { jobHandlers } from './features/jobs.js';
import { awardActivity, type ActivityOutcome } from './features/activity/service.js';
import { ActivityBuffer, type ActivityBufferOptions } from './infra/activity-buffer.js';
import { extendSession, previewLink, pruneDashboard, sessionOf, type LinkPreview, signIn, signOut, type DashboardSession, type SignIn } from './features/dashboard/service.js';
import { noticeRenderers, type NoticeRenderers } from './features/notices.js';
import { npsReport, type NpsReport } from './features/polls/service.js';
import type { NpsGroup } from './features/polls/nps.js';
// imports: dashboard NPS and follow-ups
import { followUpQueue, replyToAnswer, setFollowedUp, type AnswerRef, type FollowUpOutcome, type FollowUpQueue } from './features/polls/service.js';
import type { FollowUpState } from './features/polls/followups.js';
// imports: dashboard polls
import { pollsBoard, type PollsBoard } from './features/polls/service.js';
import { knownChannels, type KnownChannel } from './features/community/service.js';
// imports: dashboard engagement
import { engagementReport, type EngagementRange, type EngagementReport } from './features/insights/service.js';
// imports: dashboard giveaways, challenges, rewards
import { giveawaysBoard, memberAccounts, type GiveawaysBoard } from './features/contests/service.js';
import { knownChannels as channelsOfCommunity, type KnownChannel as ChannelKnown } from './features/community/service.js';
import { challengesBoard, type ChallengesBoard } from './features/challenges/service.js';
import { rewardsBoard, type RewardsBoard } from './features/rewards/service.js';
// imports: dashboard exports
import { exportOverview, exportPage, type ExportCursor, type ExportOverview, type ExportPage } from './features/exports/service.js';
import type { ExportCell, ExportKind, ExportRange } from './features/exports/kinds.js';
// imports: dashboard API tokens and webhooks
import { apiCommunity, apiLeaderboard, apiMembers, apiPoll, apiPolls, authenticate, createApiToken, listApiTokens, revokeApiToken, type ApiTokenRow, type CreatedToken } from './features/api/service.js';
import { createWebhook, deleteWebhook, listWebhooks, pingWebhook, recentDeliveries, retryDelivery, setWebhookActive, type CreatedWebhook, type DeliveryRow, type WebhookRow } from './features/webhooks/service.js';
import { deliverWebhooks } from './infra/webhooks.js';
// imports: slack installations
import { deleteSlackInstallation, noteSlackOrgWorkspace, saveSlackInstallation, slackInstallation, type SlackInstallKey } from './features/installs/service.js';
// imports: giveaway draws
import { drawRecord, type DrawRecord } from './features/contests/service.js';

export interface EngineOptions {
  /** The commands to serve (src/main.ts passes commands/index.ts). */
  commands: CommandDef[];
  /** Clock; tests and the console's :tick move it forward. */
  now?: () => Date;
  /** Uniform integer in [0, n); crypto.randomInt by default. */
  random?: (n: number) => number;
  /** Called for unexpected (non-user) errors. */
  onError?: (err: unknown, inbound?: Inbound) => void;
  jobs?: JobHandlers;
  notices?: NoticeRenderers;
  /**
   * Flood control per member (platform + community + user), checked before any work: `{}` allows a burst
   * of 10 commands or clicks, then 5 a second; beyond that they are refused with a "slow down" reply and
   * write nothing. Per process (see src/infra/ratelimit.ts). Off when not given, so test harnesses that
   * play many commands at once are not slowed; src/main.ts turns it on.
   */
  rateLimit?: RateLimitOptions | false;
  /** How long activity events wait to be committed together (default: 100 events or 250 ms). */
  activityBuffer?: ActivityBufferOptions;
  /**
   * The rank index: by default in-process for SQLite, Redis for PostgreSQL when REDIS_URL is set, none
   * (database counts) otherwise (rankIndexFor). `null` turns it off.
   */
  ranks?: RankIndex | null;
  /** Where the web dashboard is reached (PUBLIC_URL); `/dashboard` links start with it. The web server sets it when unset. */
  publicUrl?: string;
}

/** What the engine tells observers (the web server's metrics): each command handled, each activity event paid. */
export interface EngineObserver {
  /** `command` is the resolved command name ("contest create") or "unknown"; `outcome` ok, refused (a UserError) or error (internal). */
  command?(command: string, outcome: 'ok' | 'refused' | 'error', seconds: number): void;
  activityAwarded?(count: number): void;
}

const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 };

/** Prisma error codes worth one more try: unique clash from a concurrent duplicate, write conflict, busy. */
function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  const msg = String((err as Error)?.message ?? '');
  return code === 'P2002' || code === 'P2034' || /SQLITE_BUSY|database is locked|could not serialize|deadlock/i.test(msg);
}

/**
 * The platform-agnostic bot. Adapters turn platform events into `Inbound` commands, call `handle`,
 * and render the `Reply`; they also deliver queued notices with `deliverOutbox`.
 */
export class Engine {
  readonly commands: CommandDef[];
  private readonly byName = new Map<string, CommandDef>();
  readonly now: () => Date;
  private readonly random: (n: number) => number;
  private readonly onError: (err: unknown, inbound?: Inbound) => void;
  private readonly jobs: JobHandlers;
  private readonly notices: NoticeRenderers;
  private readonly limiter?: RateLimiter;
  private readonly activityBuffer: ActivityBuffer<ActivityEvent>;
  /** Where ranks are read (src/infra/rank-index.ts); undefined: counted in the database. */
  readonly ranks?: RankIndex;
  /** The web dashboard's base URL (no trailing slash), for `/dashboard` links. */
  publicUrl: string;
  private readonly observers = new Set<EngineObserver>();

  constructor(readonly db: Database, opts: EngineOptions) {
    this.commands = opts.commands;
    for (const c of this.commands) this.byName.set(c.name, c);
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random ?? ((n) => randomInt(n));
    this.onError = opts.onError ?? ((err) => console.error('[engine]', err));
    this.jobs = opts.jobs ?? jobHandlers;
    this.notices = opts.notices ?? noticeRenderers;
    if (opts.rateLimit) this.limiter = new RateLimiter(opts.rateLimit);
    const ranks = opts.ranks === undefined ? rankIndexFor(db, { onError: (e) => this.onError(e) }) : opts.ranks ?? undefined;
    if (ranks) this.ranks = ranks;
    this.publicUrl = (opts.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
    this.activityBuffer = new ActivityBuffer((group) => this.commitActivity(group), opts.activityBuffer);
  }

  private get prisma() {
    return this.db.prisma;
  }

  /** Top-level command names ("points", "challenge", ...) with their subcommands. */
  commandGroups(): Map<string, CommandDef[]> {
    const groups = new Map<string, CommandDef[]>();
    for (const c of this.commands) {
      const top = c.name.split(' ')[0];
      groups.set(top, [...(groups.get(top) ?? []), c]);
    }
    return groups;
  }

  /** Finds the command: "challenge create" directly, or "challenge" + "create ..." in the text. */
  resolve(command: string, args: Inbound['args']): { def?: CommandDef; args: Inbound['args'] } {
    const name = commandName(command);
    if (typeof args === 'string') {
      const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(args);
      const sub = m && this.byName.get(`${name} ${m[1].normalize('NFKC').toLowerCase()}`);
      if (sub) return { def: sub, args: m![2] };
    }
    return { def: this.byName.get(name), args };
  }

  /** Adds an observer (metrics); returns the function that removes it. */
  observe(o: EngineObserver): () => void {
    this.observers.add(o);
    return () => { this.observers.delete(o); };
  }

  /** Commands being handled now: a clean shutdown waits for them (idle). */
  private readonly inFlight = new Set<Promise<Reply>>();

  /** Resolves once every command being handled has answered, or after `timeoutMs`; true when all did. */
  async idle(timeoutMs = 10_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    try {
      // Commands that start while others finish (a redelivery let in before the adapters stopped) are waited for too.
      while (this.inFlight.size) {
        if (!(await Promise.race([Promise.allSettled([...this.inFlight]).then(() => true), expired]))) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs one command (see dispatch) and tells observers what it was, how it ended and how long it took. */
  handle(inbound: Inbound): Promise<Reply> {
    const context = { community: inbound.communityKey, platform: inbound.platform, command: inbound.command, ...(inbound.eventKey ? { delivery: inbound.eventKey } : {}) };
    const work = logContext.run(context, () => this.observed(inbound));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => { /* the caller sees the rejection */ });
    return work;
  }

  private async observed(inbound: Inbound): Promise<Reply> {
    if (!this.observers.size) return this.dispatch(inbound);
    const started = performance.now();
    const reply = await this.dispatch(inbound);
    const seconds = (performance.now() - started) / 1000;
    const name = this.resolve(inbound.command, inbound.args).def?.name ?? 'unknown';
    const outcome = !reply.error ? 'ok' : reply.error.code === 'errors:internal' ? 'error' : 'refused';
    for (const o of this.observers) o.command?.(name, outcome, seconds);
    return reply;
  }

  private async dispatch(inbound: Inbound): Promise<Reply> {
    const now = this.now();
    const waitMs = this.limiter?.take(JSON.stringify([inbound.platform, inbound.communityKey, inbound.actor.userId])) ?? 0;
    const settings = await communitySettings(this.prisma, inbound.platform, inbound.communityKey);
    const zone = settings?.timezone ?? 'UTC';
    let L = lang(readerLocale(inbound.actor.locale, null, settings?.locale), zone, now);
    if (waitMs > 0) {
      // Too fast: refused before any work. A redelivery of something already done still gets its answer.
      const seen = inbound.eventKey ? await this.storedReply(`${inbound.platform}:${inbound.eventKey}`) : null;
      return seen ?? errorReply(L, new UserError('errors:slowDown', { count: Math.ceil(waitMs / 1000) }));
    }
    const { def, args } = this.resolve(inbound.command, inbound.args);
    if (!def) {
      const group = this.commandGroups().get(commandName(inbound.command));
      if (group) {
        return errorReply(L, new UserError('errors:whichOne', { options: group.map((c) => '/' + c.name).join(', '), group: group[0].name.split(' ')[0] }));
      }
      return errorReply(L, new UserError('errors:unknownCommand', { command: inbound.command }));
    }
    let parsed: Record<string, unknown>;
    try {
      const raw = typeof args === 'string' ? parseTextArgs(def, args) : args;
      parsed = validateArgs(def, raw, now, zone);
    } catch (err) {
      if (err instanceof UserError) return errorReply(L, err);
      throw err;
    }
    const eventKey = inbound.eventKey && !def.readOnly && !def.secretReply ? `${inbound.platform}:${inbound.eventKey}` : undefined;
    // A redelivery is not looked up first: it runs again and its ProcessedEvent insert clashes on the key
    // (rolling everything back), or it is refused; either way the stored reply is what it gets.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.committed((scopeOf) => transaction(this.prisma, async (tx) => {
          const reply = await this.runInTx(scopeOf(tx, now), def, parsed, inbound, now, (l) => { L = l; }, eventKey);
          if (eventKey) await sqlRun(tx, 'INSERT INTO "ProcessedEvent" ("key", "reply", "createdAt") VALUES (?, ?, ?)', [eventKey, JSON.stringify(reply), now]);
          return reply;
        }, TX_OPTIONS));
      } catch (err) {
        // A delivery of the same event was handled before, or concurrently won the race: answer with its reply.
        const seen = eventKey && await this.storedReply(eventKey);
        if (seen) return seen;
        if (err instanceof UserError) return errorReply(L, err);
        if (attempt < 3 && isRetryable(err)) continue;
        this.onError(err, inbound);
        return errorReply(L, new UserError('errors:internal'));
      }
    }
  }

  /** The reply recorded for a delivery that was already handled. */
  private async storedReply(eventKey: string): Promise<Reply | null> {
    const seen = await this.prisma.processedEvent.findUnique({ where: { key: eventKey } });
    return seen ? (JSON.parse(seen.reply) as Reply) : null;
  }

  /**
   * One transaction attempt whose scopes collect after-commit hooks (Scope.afterCommit): they run, in
   * order, once `run` has resolved (committed), and not at all if it throws (rolled back). A failing hook
   * is reported to onError; the unit of work still succeeds.
   */
  private async committed<T>(run: (scopeOf: (tx: Tx, now: Date) => Scope) => Promise<T>): Promise<T> {
    const hooks: (() => Promise<void> | void)[] = [];
    const result = await run((tx, now) => txScope(tx, now, this.random, { ranks: this.ranks, afterCommit: (fn) => hooks.push(fn) }));
    await runAfterCommit(hooks, (err) => { try { this.onError(err); } catch { /* a throwing onError must not fail a committed command */ } });
    return result;
  }

  private async runInTx(scope: Scope, def: CommandDef, args: Record<string, unknown>, inbound: Inbound, now: Date, setLang: (l: Lang) => void, eventKey?: string): Promise<Reply> {
    const { community, member } = await resolveContext(scope, inbound.platform, inbound.communityKey, inbound.communityName, inbound.actor);
    const L = lang(readerLocale(inbound.actor.locale, member.locale, community.locale), community.timezone, now);
    setLang(L);
    const role = effectiveRole(member.role, inbound.actor.platformRole);
    const refused = checkPreconditions(def, { role, platform: inbound.platform, address: inbound.address });
    if (refused) throw refused;
    const ctx: CommandContext = {
      ...scope,
      community,
      member,
      role,
      platform: inbound.platform,
      address: inbound.address,
      inbound,
      eventKey: eventKey ?? `once:${randomUUID()}`,
      lang: L,
      commands: this.commands,
      publicUrl: this.publicUrl,
    };
    return def.run(ctx, args as never);
  }

  /* Read-only look-ups adapters need to route an event (they never query the database themselves). */

  /** The community behind a platform space, if the bot has met it. */
  communityByKey(platform: Platform, externalId: string) {
    return communityByKey(this.prisma, platform, externalId);
  }

  /** The group space where this platform account used the bot most recently (Telegram private chats act for it). */
  lastGroupOf(platform: Platform, platformUserId: string) {
    return lastGroupOf(this.prisma, platform, platformUserId);
  }

  /** A member's referral code, by platform account and space (for invite links). */
  referralCodeOf(platform: Platform, externalId: string, platformUserId: string) {
    return referralCodeOf(this.prisma, platform, externalId, platformUserId);
  }

  /**
   * A platform space got a new id (a Telegram group became a supergroup): its community follows it
   * (members/service moveBinding). Safe to call again, and from two instances at once.
   */
  moveSpace(platform: Platform, fromId: string, toId: string): Promise<MoveOutcome> {
    return this.transact((s) => moveBinding(s, platform, fromId, toId));
  }

  /** One unit of work in its own transaction, tried again (up to 3 times) on a clash, conflict or busy database. */
  private async transact<T>(work: (s: Scope) => Promise<T>, now: () => Date = this.now): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.committed((scopeOf) => transaction(this.prisma, (tx) => work(scopeOf(tx, now())), TX_OPTIONS));
      } catch (err) {
        if (attempt < 3 && isRetryable(err)) continue;
        throw err;
      }
    }
  }

  /**
   * Something a member did in chat (a message, a reaction, voice minutes) that may earn activity points
   * (src/features/activity/service.ts). Accepted into a short buffer (src/infra/activity-buffer.ts) and
   * committed with the events around it in one transaction; resolves once accepted (or, when the buffer
   * is full, once committed). Nothing is replied. Each platform event id pays at most once.
   */
  activity(e: ActivityEvent): Promise<void> {
    return this.activityBuffer.add(e);
  }

  /**
   * A reaction added to or removed from a message. When the message is a card that takes reactions (an emoji
   * poll, remembered as PostedMessage "poll:<id>"), it runs `poll vote` for the person who reacted, with the
   * emoji as the option; the reply (null for any other message) is for the adapter to show if it can (refusals).
   */
  async reaction(e: ReactionEvent): Promise<Reply | null> {
    const card = await this.transact((s) => cardOfMessage(s, e.platform, e.channelId, e.messageId));
    if (!card || !/^poll:\d+$/.test(card)) return null;
    return this.handle({
      platform: e.platform, communityKey: e.communityKey, ...(e.communityName ? { communityName: e.communityName } : {}),
      address: { kind: 'channel', channelId: e.channelId }, actor: e.actor, command: 'poll vote',
      args: { poll: Number(card.slice(5)), option: e.emoji, mode: e.kind, via: 'reaction' },
      ...(e.eventKey ? { eventKey: e.eventKey } : {}),
    });
  }

  /**
   * A platform account joined or left a community's space (src/features/presence/service.ts): recorded, with
   * Discord invite attribution and the referral rules that depend on it. Applied in a transaction of its own.
   */
  presence(e: PresenceEvent): Promise<void> {
    return this.transact((s) => recordPresence(s, e), () => e.at ?? this.now());
  }

  /**
   * Carries out pending tier access changes for one platform (src/features/access): each task is claimed,
   * handed to `apply` (the adapter's role / invite / user-group call) and its outcome recorded; passing
   * failures are retried later, a missing permission is reported to moderators. Returns how many ran.
   */
  deliverAccess(platform: Platform, apply: (task: AccessTask) => Promise<AccessOutcome>, limit = 50): Promise<number> {
    return deliverAccess(this.prisma, platform, apply, { now: this.now(), limit, onError: (e) => this.onError(e) });
  }

  /* The web server's needs (src/web): health, metrics and dashboard sign-in, through the dashboard service. */

  /** Resolves when the database answers a trivial read (readiness). */
  async ping(): Promise<void> {
    await this.prisma.$queryRawUnsafe('SELECT 1');
  }

  /** Announcements waiting to be sent, all platforms (a metric). */
  outboxPending(): Promise<number> {
    return this.prisma.outboxMessage.count({ where: { status: 'pending' } });
  }

  /** What a dashboard link would open, without using it up. */
  dashboardLinkPreview(token: string): Promise<LinkPreview> {
    return previewLink(this.prisma, token, this.now());
  }

  /** Consumes a single-use dashboard link and opens a session, or says why not. */
  dashboardSignIn(token: string): Promise<SignIn> {
    return this.transact((s) => signIn(s, token));
  }

  /** The live dashboard session behind a cookie value, or null. */
  dashboardSession(sessionId: string): Promise<DashboardSession | null> {
    return sessionOf(this.prisma, sessionId, this.now());
  }

  /** Extends a dashboard session in use (see extendSession); the new end, or null. */
  dashboardExtend(sessionId: string, seenExpiresAt: Date): Promise<Date | null> {
    return this.transact((s) => extendSession(s, sessionId, seenExpiresAt));
  }

  /** Ends a dashboard session. */
  dashboardSignOut(sessionId: string): Promise<boolean> {
    return this.transact((s) => signOut(s, sessionId));
  }

  /** The dashboard's NPS page of a community: NPS per run of each poll series, one run's breakdown and comments. */
  npsReport(communityId: string, q: { series?: number; run?: number; group?: NpsGroup } = {}): Promise<NpsReport> {
    return this.transact((s) => npsReport(s, communityId, q));
  }

  /**
   * Runs a chat command for a dashboard user, with the same options, checks and replies as in chat: as the
   * member's most recent account on a platform where the community has a space (or on `target.platform`),
   * with the role their session was opened with. `once` (a form's one-time value) makes a resubmitted form
   * get the first answer back instead of acting twice. `target` is where cards of what it creates go.
   */
  async runAs(who: { communityId: string; memberId: string; role: Role; locale: string; timezone: string }, command: string, args: Record<string, unknown>,
    opts: { once: string; target?: { platform: Platform; address: Address } }): Promise<Reply> {
    const account = await actingAccount(this.prisma, who.communityId, who.memberId, opts.target?.platform);
    if (!account) return errorReply(lang(toLocale(who.locale) ?? 'en', who.timezone, this.now()), new UserError('errors:web.noAccount'));
    return this.handle({
      platform: account.platform, communityKey: account.spaceKey, address: opts.target?.address, command, args,
      actor: { platform: account.platform, userId: account.platformUserId, displayName: account.displayName, username: account.username ?? undefined, platformRole: who.role },
      eventKey: `web:${opts.once}`,
    });
  }

  /* --- slack installations (issue 12) --- */

  /**
   * Slack OAuth installations (src/features/installs/service.ts), for the adapter's installation store: the
   * installation is the adapter's JSON, kept under "T:<team>" or "E:<enterprise>" (org-wide installs).
   */
  slackInstallationSave(key: SlackInstallKey, data: string, expiresAt?: number): Promise<boolean> {
    return this.transact((s) => saveSlackInstallation(s, key, data, expiresAt));
  }

  /** A workspace's installation (its own, else its org's), or null when the app is not installed there. */
  slackInstallation(key: SlackInstallKey): Promise<string | null> {
    return this.transact((s) => slackInstallation(s, key));
  }

  /** Forgets an installation (app_uninstalled, tokens_revoked). */
  slackInstallationDelete(key: SlackInstallKey): Promise<number> {
    return this.transact((s) => deleteSlackInstallation(s, key));
  }

  /** Remembers (in the database) that a workspace is served by its org's org-wide install; see noteSlackOrgWorkspace. */
  slackOrgWorkspace(teamId: string, enterpriseId: string): Promise<boolean> {
    return this.transact((s) => noteSlackOrgWorkspace(s, teamId, enterpriseId));
  }
  /* --- end slack installations --- */

  /* --- giveaway draws (issue 11) --- */

  /** The public record of a giveaway's draw (GET /giveaways/<community>/<id>/draw.json): null when there is no such giveaway there. The seed only once drawn. */
  giveawayDraw(communityId: string, contestId: number): Promise<DrawRecord | null> {
    return this.transact((s) => drawRecord(s, communityId, contestId));
  }
  /* --- end giveaway draws --- */


  /* --- dashboard: NPS and follow-ups --- */

  /** The detractor follow-up queue of a community: answers scored 0–6 not followed up yet (`open`) or done. */
  npsFollowUps(communityId: string, state: FollowUpState): Promise<FollowUpQueue> {
    return this.transact((s) => followUpQueue(s, communityId, state));
  }

  /**
   * A dashboard moderator marks an answer followed up (`done`) or reopens it. `once` is the form's one-time
   * value: a resubmitted form gets the first outcome back. Throws a UserError when refused.
   */
  npsFollowUpMark(who: { communityId: string; memberId: string }, answer: AnswerRef, done: boolean, once: string): Promise<FollowUpOutcome> {
    return this.transact((s) => setFollowedUp(s, who.communityId, answer, who.memberId, once, done));
  }

  /** A dashboard moderator replies to an answer by direct message to its member (see replyToAnswer). Throws a UserError when refused. */
  npsFollowUpReply(who: { communityId: string; memberId: string }, answer: AnswerRef, text: string, once: string): Promise<FollowUpOutcome> {
    return this.transact((s) => replyToAnswer(s, who.communityId, answer, who.memberId, once, text));
  }

  /* --- dashboard: polls --- */

  /** The dashboard's polls page: scheduled, open and recently closed polls, and the channels a new one may be posted in. */
  pollsPage(communityId: string): Promise<PollsBoard & { channels: KnownChannel[] }> {
    return this.transact(async (s) => ({ ...(await pollsBoard(s, communityId)), channels: await knownChannels(s, communityId) }));
  }

  /* --- dashboard: engagement --- */

  /** The dashboard's engagement page: points issued and redeemed and active members per local day, leaderboards, the newcomer funnel. */
  engagementReport(communityId: string, range: EngagementRange): Promise<EngagementReport> {
    return this.transact((s) => engagementReport(s, this.db.provider, communityId, range));
  }

  /* --- dashboard: giveaways, challenges, rewards --- */

  /** The dashboard's giveaways page: open ones, the last ended (with winners) and the last cancelled; channels a new one may be posted in. */
  giveawaysBoard(communityId: string): Promise<GiveawaysBoard & { channels: ChannelKnown[] }> {
    return this.transact(async (s) => ({ ...(await giveawaysBoard(s, communityId)), channels: await channelsOfCommunity(s, communityId) }));
  }

  /** The dashboard's challenges page: open challenges with their counts, the review queue, and channels a new one may be posted in. */
  challengesBoard(communityId: string): Promise<ChallengesBoard & { channels: ChannelKnown[] }> {
    return this.transact(async (s) => ({ ...(await challengesBoard(s, communityId)), channels: await channelsOfCommunity(s, communityId) }));
  }

  /** The dashboard's rewards page: pending redemptions and the catalogue. */
  rewardsBoard(communityId: string): Promise<RewardsBoard> {
    return this.transact((s) => rewardsBoard(s, communityId));
  }

  /**
   * How a chat command run for dashboard user `actorId` names member `memberId` (a reroll's "replace"): a
   * mention of the member's account on the platform runAs acts on, or on another platform where both have
   * an account (then `target` says where to run it). Null when they share no platform.
   */
  async memberRefForWeb(communityId: string, actorId: string, memberId: string): Promise<{ ref: string; target?: { platform: Platform; address: Address } } | null> {
    const accounts = await this.transact((s) => memberAccounts(s, communityId, memberId));
    const acting = await actingAccount(this.prisma, communityId, actorId);
    const same = acting && accounts.find((a) => a.platform === acting.platform);
    if (same) return { ref: `<@${same.platformUserId}>` };
    for (const a of accounts) {
      const mine = await actingAccount(this.prisma, communityId, actorId, a.platform);
      if (mine) return { ref: `<@${a.platformUserId}>`, target: { platform: a.platform, address: { kind: 'dm', userId: mine.platformUserId } } };
    }
    return null;
  }

  /* --- dashboard: exports --- */

  /** What the exports page shows: the community's name, zone, local today and (with `counts`) rows per kind in the range. */
  exportOverview(communityId: string, opts: ExportRange & { counts?: boolean } = {}): Promise<ExportOverview> {
    return this.transact((s) => exportOverview(s, communityId, { from: opts.from, to: opts.to }, !!opts.counts));
  }

  /**
   * The rows of one export (columns: EXPORT_COLUMNS[kind]), page by page of `pageSize` (default 5000) in key order,
   * each page read in a short transaction of its own and only when the consumer asks for it (so a slow reader
   * holds no more than one page). Stops when `signal` aborts or the consumer stops iterating. Rows of this
   * community only; `from`/`to` are local dates ("YYYY-MM-DD", both included; see parseRange).
   */
  async *exportRows(communityId: string, kind: ExportKind, opts: ExportRange & { pageSize?: number; signal?: AbortSignal } = {}): AsyncGenerator<ExportCell[][], void, undefined> {
    const range = { from: opts.from, to: opts.to };
    const limit = Math.max(1, Math.min(opts.pageSize ?? 5000, 10_000));
    let after: ExportCursor | null = null;
    do {
      if (opts.signal?.aborted) return;
      const cursor: ExportCursor | null = after;
      const page: ExportPage = await this.transact((s) => exportPage(s, communityId, kind, range, cursor, limit));
      if (page.rows.length) yield page.rows;
      after = page.next;
    } while (after !== null);
  }

  /* --- dashboard: API tokens and webhooks --- */

  /** The community's API tokens (never the tokens themselves). */
  apiTokens(communityId: string): Promise<ApiTokenRow[]> {
    return this.transact((s) => listApiTokens(s, communityId));
  }

  /** A new API token, returned this once; a form sent again (same `once`) makes none. */
  createApiToken(who: { communityId: string; memberId: string }, name: string, once: string): Promise<CreatedToken> {
    return this.transact((s) => createApiToken(s, who.communityId, who.memberId, name, once));
  }

  /** Revokes a token of the community; false when it already was (or is not the community's). */
  revokeApiToken(communityId: string, id: number): Promise<boolean> {
    return this.transact((s) => revokeApiToken(s, communityId, id));
  }

  /** The community a REST API bearer token opens, or null (notes its use at most once a minute). */
  apiAuthenticate(token: string): Promise<{ tokenId: number; communityId: string } | null> {
    return this.transact((s) => authenticate(s, token));
  }

  /* The REST API's reads (src/web/rest.ts), each scoped to the token's community. */
  apiCommunity(communityId: string) { return this.transact((s) => apiCommunity(s, communityId)); }
  apiMembers(communityId: string, q: { cursor?: string; limit: number }) { return this.transact((s) => apiMembers(s, communityId, q)); }
  apiPolls(communityId: string) { return this.transact((s) => apiPolls(s, communityId)); }
  apiPoll(communityId: string, id: number) { return this.transact((s) => apiPoll(s, communityId, id)); }
  apiLeaderboard(communityId: string, period: 'all' | 'week' | 'month') { return this.transact((s) => apiLeaderboard(s, communityId, period)); }

  /** The community's webhooks and their latest deliveries (newest first). */
  webhooks(communityId: string): Promise<WebhookRow[]> {
    return this.transact((s) => listWebhooks(s, communityId));
  }

  webhookDeliveries(communityId: string, limit = 50): Promise<DeliveryRow[]> {
    return this.transact((s) => recentDeliveries(s, communityId, limit));
  }

  /** A new webhook with its signing secret (returned this once); bad URL or events: a UserError, nothing written. */
  createWebhook(who: { communityId: string; memberId: string }, input: { url: string; events: string[] }, once: string): Promise<CreatedWebhook> {
    return this.transact((s) => createWebhook(s, who.communityId, who.memberId, input, once));
  }

  setWebhookActive(communityId: string, id: number, active: boolean): Promise<boolean> {
    return this.transact((s) => setWebhookActive(s, communityId, id, active));
  }

  deleteWebhook(communityId: string, id: number): Promise<boolean> {
    return this.transact((s) => deleteWebhook(s, communityId, id));
  }

  /** Queues a test `ping` delivery to a webhook. */
  pingWebhook(communityId: string, id: number, once: string): Promise<boolean> {
    return this.transact((s) => pingWebhook(s, communityId, id, once));
  }

  /** A failed delivery is tried once more now. */
  retryWebhookDelivery(communityId: string, id: number): Promise<boolean> {
    return this.transact((s) => retryDelivery(s, communityId, id));
  }

  /**
   * Sends due webhook deliveries (src/infra/webhooks.ts), claimed so that with several instances each row goes
   * out once; failures are retried with backoff. The runtime's pump calls this. Returns how many were delivered.
   */
  deliverWebhooks(opts: { limit?: number; concurrency?: number; timeoutMs?: number; owner?: string; allowPrivate?: boolean } = {}): Promise<number> {
    return deliverWebhooks(this.prisma, { ...opts, now: this.now(), random: this.random, onError: (e) => this.onError(e) });
  }

  /* Forms asked field by field (adapters/telegram/forms.ts): their state between prompts, shared by every instance. */

  formPut(key: string, state: unknown, ttlMs: number): Promise<void> {
    return this.transact((s) => putForm(s, key, state, new Date(s.now.getTime() + ttlMs)));
  }

  formPeek(key: string): Promise<unknown | undefined> {
    return peekForm(this.prisma, key, this.now());
  }

  formDrop(key: string): Promise<boolean> {
    return this.transact((s) => dropForm(s, key));
  }

  /** Commits every buffered activity event (the runtime calls this on stop). */
  flush(): Promise<void> {
    return this.activityBuffer.flush();
  }

  /**
   * One buffered group in one transaction, ordered by member so that two instances take row locks in the
   * same order. If the group cannot commit (after retries), each event is tried on its own so one bad
   * event does not cost the others their points; an event that still fails is reported and dropped.
   */
  private async commitActivity(group: ActivityEvent[]): Promise<void> {
    const order = (e: ActivityEvent) => JSON.stringify([e.platform, e.communityKey, e.actor.userId]);
    const sorted = group.map((e, i) => ({ e, k: order(e), i })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i)).map((x) => x.e);
    const paid = (outcomes: ActivityOutcome[]) => {
      const n = outcomes.filter((o) => 'paid' in o).length;
      if (n) for (const o of this.observers) o.activityAwarded?.(n);
    };
    try {
      paid(await this.transact(async (s) => { const out: ActivityOutcome[] = []; for (const e of sorted) out.push(await awardActivity(s, e)); return out; }));
      return;
    } catch (err) {
      if (sorted.length === 1) { this.onError(err); return; }
    }
    for (const e of sorted) {
      try {
        paid([await this.transact((s) => awardActivity(s, e))]);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /** Runs every scheduled job that is due (contest ends, deadlines, poll open/close). Returns how many ran. */
  runDueJobs(now: Date = this.now()): Promise<number> {
    return runDueJobs(this.prisma, this.jobs, now, { random: this.random, onError: (e) => this.onError(e), ranks: this.ranks });
  }

  /**
   * Housekeeping: forgets redelivery records older than `keepDays` (platforms stop retrying within
   * minutes) and delivered announcements older than that. Returns the rows removed.
   */
  async prune(keepDays = 7, now: Date = this.now()): Promise<number> {
    const before = new Date(now.getTime() - keepDays * 86_400_000);
    // Its own transaction, like every background write: on SQLite's shared connection a bare delete could
    // land inside a command's open transaction and be rolled back with it.
    const removed = await inOwnTx(this.prisma, async (tx) => {
      const a = await tx.processedEvent.deleteMany({ where: { createdAt: { lt: before } } });
      const b = await tx.outboxMessage.deleteMany({ where: { status: 'sent', sentAt: { lt: before } } });
      return a.count + b.count;
    });
    return removed + await this.transact(async (s) => (await pruneDashboard(s)) + (await pruneForms(s)), () => now);
  }

  /** Words and sends queued notices for one platform through `send`; failures are retried later, with backoff; moderators hear of a channel post given up on. */
  deliverOutbox(platform: Platform, port: OutboxSender | OutboxPort, limit = 50): Promise<number> {
    const now = this.now();
    return deliverOutbox(this.prisma, platform, port, (communityId, stored) => this.renderNotice(communityId, stored, now), now, limit,
      async (m) => {
        try {
          await this.transact((s) => reportGaveUp(s, m), () => now);
        } catch (err) {
          this.onError(err);
        }
      });
  }

  /** A notice in its reader's language: the member's for a direct message, else the community's. */
  private async renderNotice(communityId: string, stored: StoredNotice, now: Date): Promise<Reply> {
    const render = this.notices[stored.notice.type];
    if (!render) throw new Error(`no presenter for notice ${stored.notice.type}`);
    const community = await this.prisma.community.findUniqueOrThrow({ where: { id: communityId }, select: { locale: true, timezone: true } });
    const member = stored.memberId ? await this.prisma.member.findUnique({ where: { id: stored.memberId }, select: { locale: true } }) : null;
    return render(lang(readerLocale(undefined, member?.locale, community.locale), community.timezone, now), stored.notice as never);
  }
}

/** "/Points@EngageBot" -> "points". */
const commandName = (command: string) => command.trim().normalize('NFKC').toLowerCase().replace(/^\//, '').replace(/@\S+$/, '');

/** A refusal in the reader's language, with its code and field for adapters. */
export function errorReply(L: Lang, err: UserError): Reply {
  return { text: L.t(err.code, err.params), error: { code: err.code, ...(err.field ? { field: err.field } : {}) }, ephemeral: true };
}
