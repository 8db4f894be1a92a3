import { Events, type Client, type Guild, type GuildMember, type Invite, type PartialGuildMember } from 'discord.js';
import type { PresenceEvent } from '../../src/core/types.js';
import { discordActor } from './activity.js';

/** What is known of one invite code: how often it was used, its limit (0: none) and who made it. */
interface Seen { uses: number; maxUses: number; inviterId?: string }
/** One more use reaches the invite's limit. */
const usedUp = (s: Seen) => s.maxUses > 0 && s.uses + 1 >= s.maxUses;

/**
 * Discord invite attribution (see README.md, "Joins, leaves and invites"). Discord does not say which invite
 * a member used, so the uses of every invite are read at start and on each join, and the one code whose uses
 * went up by one is the one used. Nothing certain (a vanity URL, two joins at once, invites unreadable)
 * credits nobody. Joins and leaves go to `engine.presence()`.
 */
export class InviteTracker {
  private readonly seen = new Map<string, Map<string, Seen>>();
  /** Per guild, the work in order: each join diffs against what the one before it left. */
  private readonly queue = new Map<string, Promise<unknown>>();
  private readonly unreadable = new Set<string>();

  constructor(
    private readonly engine: { presence(e: PresenceEvent): Promise<void> },
    private readonly log: (msg: string) => void,
  ) {}

  /** The uses per code as last read (for tests and diagnostics). */
  uses(guildId: string): Map<string, number> | undefined {
    const codes = this.seen.get(guildId);
    return codes && new Map([...codes].map(([code, s]) => [code, s.uses]));
  }

  /** Reads a guild's invites (start-up, a guild becoming available). */
  load(guild: Guild): Promise<void> {
    return this.inOrder(guild.id, async () => {
      const now = await this.read(guild);
      if (now) this.seen.set(guild.id, now);
    });
  }

  created(invite: Invite): void {
    if (!invite.guild) return;
    this.seen.get(invite.guild.id)?.set(invite.code, { uses: invite.uses ?? 0, maxUses: invite.maxUses ?? 0, inviterId: invite.inviterId ?? undefined });
  }

  /**
   * Forgotten, unless it had one use left: Discord deletes an invite that reaches its limit, and the deletion
   * may arrive before the join it was used for (which then finds it in `used`).
   */
  deleted(invite: Invite): void {
    const codes = invite.guild && this.seen.get(invite.guild.id);
    const s = codes?.get(invite.code);
    if (s && !usedUp(s)) codes!.delete(invite.code);
  }

  joined(member: GuildMember): Promise<void> {
    if (member.user.bot) return Promise.resolve();
    return this.inOrder(member.guild.id, async () => {
      const invite = await this.used(member.guild);
      await this.engine.presence({
        ...this.base(member), kind: 'join',
        accountCreatedAt: member.user.createdAt,
        // The platform's own moment of the join: a redelivered join is the same join.
        ...(member.joinedAt ? { at: member.joinedAt } : {}),
        ...(invite ? { invite } : {}),
      });
    });
  }

  left(member: GuildMember | PartialGuildMember): Promise<void> {
    if (member.user.bot) return Promise.resolve();
    return this.inOrder(member.guild.id, () => this.engine.presence({ ...this.base(member), kind: 'leave' }));
  }

  private base(member: GuildMember | PartialGuildMember) {
    return { platform: 'discord' as const, communityKey: member.guild.id, communityName: member.guild.name, actor: discordActor(member.user, member as GuildMember, null) };
  }

  /** The invite a member who just joined used, when exactly one code's uses went up by one. */
  private async used(guild: Guild): Promise<PresenceEvent['invite'] | undefined> {
    const before = this.seen.get(guild.id);
    const now = await this.read(guild);
    if (now) this.seen.set(guild.id, now);
    else this.seen.delete(guild.id);
    if (!before || !now) return undefined;
    const candidates: [string, Seen][] = [];
    for (const [code, s] of now) {
      const was = before.get(code)?.uses ?? 0;
      if (s.uses > was) candidates.push([code, { ...s, uses: s.uses - was }]);
    }
    // None went up: a limited invite may have been used up and deleted by Discord.
    if (!candidates.length) {
      for (const [code, s] of before) if (!now.has(code) && usedUp(s)) candidates.push([code, { ...s, uses: 1 }]);
    }
    if (candidates.length !== 1 || candidates[0][1].uses !== 1) return undefined;
    const [code, s] = candidates[0];
    return { code, ...(s.inviterId ? { inviterUserId: s.inviterId } : {}) };
  }

  /** The guild's invites now, or null when the bot may not read them (logged once per guild). */
  private async read(guild: Guild): Promise<Map<string, Seen> | null> {
    try {
      const invites = await guild.invites.fetch({ cache: false });
      this.unreadable.delete(guild.id);
      return new Map([...invites.values()].map((i) => [i.code, { uses: i.uses ?? 0, maxUses: i.maxUses ?? 0, inviterId: i.inviterId ?? undefined }]));
    } catch (err) {
      if (!this.unreadable.has(guild.id)) {
        this.unreadable.add(guild.id);
        this.log(`discord: cannot read the invites of server ${guild.id} (${(err as Error).message}); joins there are credited to nobody. Give the bot Manage Server.`);
      }
      return null;
    }
  }

  private inOrder<T>(guildId: string, work: () => Promise<T>): Promise<T> {
    const next = (this.queue.get(guildId) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    this.queue.set(guildId, settled);
    void settled.then(() => { if (this.queue.get(guildId) === settled) this.queue.delete(guildId); });
    return next;
  }
}

/**
 * Wires an InviteTracker to a client: invites read when a guild becomes available, kept current on
 * create/delete, joins and leaves handed to the engine. `track` lets the adapter wait for the work (idle()).
 */
export function watchInvites(client: Client, engine: { presence(e: PresenceEvent): Promise<void> }, opts: { log: (msg: string) => void; track: (p: Promise<void>) => void }): InviteTracker {
  const t = new InviteTracker(engine, opts.log);
  const run = (what: string, p: Promise<void>) => opts.track(p.catch((err) => opts.log(`discord: ${what} failed: ${(err as Error)?.stack ?? err}`)));
  client.on(Events.ClientReady, (c) => c.guilds.cache.forEach((g) => run('reading invites', t.load(g))));
  client.on(Events.GuildCreate, (g) => run('reading invites', t.load(g)));
  client.on(Events.GuildAvailable, (g) => run('reading invites', t.load(g)));
  client.on(Events.InviteCreate, (i) => t.created(i));
  client.on(Events.InviteDelete, (i) => t.deleted(i));
  client.on(Events.GuildMemberAdd, (m) => run(`join of ${m.id}`, t.joined(m)));
  client.on(Events.GuildMemberRemove, (m) => run(`leave of ${m.id}`, t.left(m)));
  return t;
}
