import { randomInt, randomUUID } from 'node:crypto';
import type { Database, Tx } from './db/client.js';
import type { CommandDef } from './core/command.js';
import { parseTextArgs, validateArgs } from './core/command.js';
import type { CommandContext } from './core/context.js';
import { UserError } from './core/errors.js';
import type { Inbound, Platform, Reply } from './core/types.js';
import { roleRank } from './core/types.js';
import { effectiveRole, resolveActor, resolveCommunity } from './services/members.js';
import { runDueJobs, txDeps } from './services/jobs.js';
import { deliverOutbox, type OutboxSender } from './services/outbox.js';
import { allCommands } from '../commands/index.js';

export interface EngineOptions {
  /** Clock; tests move it forward. */
  now?: () => Date;
  /** Uniform integer in [0, n); crypto.randomInt by default. */
  random?: (n: number) => number;
  /** Commands to serve (all by default). */
  commands?: CommandDef[];
  /** Called for unexpected (non-user) errors. */
  onError?: (err: unknown, inbound?: Inbound) => void;
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
 * and render the `Reply`; they also deliver queued announcements with `deliverOutbox`.
 */
export class Engine {
  readonly commands: CommandDef[];
  private readonly byName = new Map<string, CommandDef>();
  readonly now: () => Date;
  private readonly random: (n: number) => number;
  private readonly onError: (err: unknown, inbound?: Inbound) => void;

  constructor(readonly db: Database, opts: EngineOptions = {}) {
    this.commands = opts.commands ?? allCommands;
    for (const c of this.commands) this.byName.set(c.name, c);
    this.now = opts.now ?? (() => new Date());
    this.random = opts.random ?? ((n) => randomInt(n));
    this.onError = opts.onError ?? ((err) => console.error('[engine]', err));
  }

  get prisma() {
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
      const sub = m && this.byName.get(`${name} ${m[1].toLowerCase()}`);
      if (sub) return { def: sub, args: m![2] };
    }
    return { def: this.byName.get(name), args };
  }

  async handle(inbound: Inbound): Promise<Reply> {
    const { def, args } = this.resolve(inbound.command, inbound.args);
    if (!def) {
      const group = this.commandGroups().get(commandName(inbound.command));
      if (group) {
        return errorReply(`Which one? ${group.map((c) => '/' + c.name).join(', ')}. Try /help ${group[0].name.split(' ')[0]}.`);
      }
      return errorReply(`Unknown command /${inbound.command}. Try /help.`);
    }
    let parsed: Record<string, unknown>;
    try {
      const raw = typeof args === 'string' ? parseTextArgs(def, args) : args;
      parsed = validateArgs(def, raw, this.now());
    } catch (err) {
      if (err instanceof UserError) return errorReply(err.message);
      throw err;
    }
    const eventKey = inbound.eventKey ? `${inbound.platform}:${inbound.eventKey}` : undefined;
    if (eventKey) {
      const seen = await this.prisma.processedEvent.findUnique({ where: { key: eventKey } });
      if (seen) return JSON.parse(seen.reply) as Reply;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.prisma.$transaction(async (tx) => {
          const reply = await this.runInTx(tx, def, parsed, inbound, eventKey);
          if (eventKey) await tx.processedEvent.create({ data: { key: eventKey, reply: JSON.stringify(reply), createdAt: this.now() } });
          return reply;
        }, TX_OPTIONS);
      } catch (err) {
        if (err instanceof UserError) return errorReply(err.message);
        if (eventKey) {
          // A concurrent delivery of the same event won the race: answer with its reply.
          const seen = await this.prisma.processedEvent.findUnique({ where: { key: eventKey } });
          if (seen) return JSON.parse(seen.reply) as Reply;
        }
        if (attempt < 3 && isRetryable(err)) continue;
        this.onError(err, inbound);
        return errorReply('Something went wrong on my side; nothing was changed. Please try again.');
      }
    }
  }

  private async runInTx(tx: Tx, def: CommandDef, args: Record<string, unknown>, inbound: Inbound, eventKey?: string): Promise<Reply> {
    const now = this.now();
    const community = await resolveCommunity(tx, inbound.platform, inbound.communityKey, inbound.communityName, now);
    const member = await resolveActor(tx, community.id, inbound.actor, now);
    const role = effectiveRole(member.role, inbound.actor.platformRole);
    if (roleRank(role) < roleRank(def.permission)) {
      throw new UserError(`/${def.name} is for ${def.permission}s only.`);
    }
    const ctx: CommandContext = {
      ...txDeps(tx, now, this.random),
      community,
      member,
      role,
      platform: inbound.platform,
      channelId: inbound.channelId,
      inbound,
      eventKey: eventKey ?? `once:${randomUUID()}`,
      commands: this.commands,
    };
    return def.run(ctx, args as never);
  }

  /** Runs every scheduled job that is due (contest ends, deadlines, poll open/close). Returns how many ran. */
  runDueJobs(now: Date = this.now()): Promise<number> {
    return runDueJobs(this.prisma, now, { random: this.random, onError: (e) => this.onError(e) });
  }

  /**
   * Housekeeping: forgets redelivery records older than `keepDays` (platforms stop retrying within
   * minutes) and delivered announcements older than that. Returns the rows removed.
   */
  async prune(keepDays = 7, now: Date = this.now()): Promise<number> {
    const before = new Date(now.getTime() - keepDays * 86_400_000);
    const a = await this.prisma.processedEvent.deleteMany({ where: { createdAt: { lt: before } } });
    const b = await this.prisma.outboxMessage.deleteMany({ where: { status: 'sent', sentAt: { lt: before } } });
    return a.count + b.count;
  }

  /** Sends queued announcements for one platform through `send`; failures are retried later. */
  deliverOutbox(platform: Platform, send: OutboxSender, limit = 50): Promise<number> {
    return deliverOutbox(this.prisma, platform, send, this.now(), limit);
  }
}

/** "/Points@EngageBot" -> "points". */
const commandName = (command: string) => command.trim().toLowerCase().replace(/^\//, '').replace(/@\S+$/, '');

export function errorReply(text: string): Reply {
  return { text, error: true, ephemeral: true };
}
