import {
  GuildMember,
  MessageType,
  PermissionFlagsBits,
  type APIInteractionGuildMember,
  type Guild,
  type Message,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  type PermissionsBitField,
  type User,
  type VoiceState,
} from 'discord.js';
import type { ActivityEvent, Actor } from '../../src/core/types.js';
import { buildActivity, visibleLength } from '../shared/activity.js';

/**
 * Activity points on Discord: messages, reactions and minutes in voice channels become ActivityEvents
 * (see README.md, "Activity points"). Nothing here talks to the engine; the adapter hands the events on.
 */

/** Actor of a Discord user, the same for commands and activity: display name, username, admin, locale. */
export function discordActor(
  user: User | PartialUser,
  member: GuildMember | APIInteractionGuildMember | null | undefined,
  perms: Readonly<PermissionsBitField> | null | undefined,
  locale?: string,
): Actor {
  const displayName = member instanceof GuildMember ? member.displayName : (member?.nick ?? user.globalName ?? user.username ?? user.id);
  // Manage Server makes an admin here and Manage Messages a moderator (the same permissions that show their commands, see menuPermissions).
  const admin = !!perms && (perms.has(PermissionFlagsBits.Administrator) || perms.has(PermissionFlagsBits.ManageGuild));
  const moderator = !admin && !!perms && perms.has(PermissionFlagsBits.ManageMessages);
  return {
    platform: 'discord',
    userId: user.id,
    displayName,
    ...(user.username ? { username: user.username } : {}),
    // The language of the person's Discord client ("ko", "ja", "en-US"), so replies are worded in it.
    ...(locale ? { locale } : {}),
    ...(admin ? { platformRole: 'admin' as const } : moderator ? { platformRole: 'moderator' as const } : {}),
  };
}

/**
 * The role ids a member holds, for Actor.roles (giveaway role requirements): an interaction's member lists
 * them (`roles`), a cached GuildMember keeps them even when the guild's roles are not cached (`_roles`, what
 * discord.js builds `roles.cache` from). Undefined when there is no member (unknown, not "none").
 */
export function roleIds(member: GuildMember | APIInteractionGuildMember | null | undefined): string[] | undefined {
  if (!member) return undefined;
  if (member instanceof GuildMember) {
    const raw = (member as unknown as { _roles?: string[] })._roles;
    // roles.cache also holds @everyone (the guild's id), which is not a role anyone was given.
    return [...new Set([...(raw ?? []), ...member.roles.cache.keys()])].filter((id) => id !== member.guild.id);
  }
  return Array.isArray(member.roles) ? [...member.roles] : undefined;
}

/** A member's permissions from the cache, or null when the guild's roles are not known (never throws). */
export function permissionsOf(member: GuildMember | null | undefined): Readonly<PermissionsBitField> | null {
  try {
    return member?.permissions ?? null;
  } catch {
    return null;
  }
}

const memberActor = (user: User | PartialUser, member: GuildMember | null | undefined): Actor => discordActor(user, member, permissionsOf(member));

const space = (g: Guild | null) => ({ key: g!.id, name: g?.name });

/** Message types a member writes (a plain message or a reply); joins, pins, boosts etc. are system messages. */
const AUTHORED = new Set<MessageType>([MessageType.Default, MessageType.Reply]);

/**
 * A member's message in a server channel or thread -> 'message'. Bots, webhooks, system messages and DMs
 * earn nothing. `withContent`: the bot has the MessageContent intent, so the text (and its length) is known;
 * without it the event carries no length and the minimum-length rule cannot apply.
 */
export function messageActivity(m: Message, withContent: boolean): ActivityEvent | null {
  if (!m.inGuild() || m.author.bot || m.webhookId || m.system || !AUTHORED.has(m.type)) return null;
  return buildActivity({
    platform: 'discord',
    space: space(m.guild),
    address: { kind: 'channel', channelId: m.channelId },
    actor: memberActor(m.author, m.member),
    kind: 'message',
    eventId: m.id,
    ...(withContent ? { length: visibleLength(m.content, 'discord') } : {}),
  });
}

/** A reaction added in a server channel -> 'reaction', once per message, person and emoji. */
export function reactionActivity(r: MessageReaction | PartialMessageReaction, user: User | PartialUser): ActivityEvent | null {
  const guild = r.message.guild;
  if (!guild || user.bot) return null;
  const member = guild.members.cache.get(user.id);
  if (member?.user.bot) return null;
  const emoji = r.emoji.id ?? r.emoji.name ?? '?';
  return buildActivity({
    platform: 'discord',
    space: space(guild),
    address: { kind: 'channel', channelId: r.message.channelId },
    actor: memberActor(user, member),
    kind: 'reaction',
    eventId: `${r.message.id}:${user.id}:${emoji}`,
  });
}

/* ---------------------------------------------------------------------------------------------- */

interface VoiceSession {
  /** Discord's voice session id (a suffix for sessions found already running when the bot connected). */
  id: string;
  guildId: string;
  userId: string;
  channelId: string;
  /** Reports sent so far; the next one is `<id>:<n + 1>`. */
  n: number;
  /** Counted milliseconds not reported yet. */
  ms: number;
  /** When the current counted stretch began (undefined while muted, deafened, alone or in the AFK channel). */
  since?: number;
}

/**
 * Minutes in voice channels. A session starts when a member joins a voice channel and ends when they
 * leave; time counts while they are not muted or deafened, someone else who is not deafened is in the
 * channel (bots do not count), and it is not the AFK channel. Whole minutes are reported every `reportEveryMs` (5 minutes) and when the member leaves or
 * moves (the minutes belong to the channel they were spent in); the leftover seconds carry over to the
 * next report. Reports are numbered per session: eventId `<session id>:<n>`.
 */
export class VoiceTracker {
  private readonly sessions = new Map<string, VoiceSession>();

  constructor(private readonly now: () => number, private readonly emit: (e: ActivityEvent) => void) {}

  private static key = (guildId: string, userId: string) => `${guildId}:${userId}`;

  /** Sessions being tracked (for tests and logs). */
  get size(): number {
    return this.sessions.size;
  }

  /** A voice state changed (join, leave, move, mute, deafen): update the member and everyone beside them. */
  update(oldState: VoiceState, newState: VoiceState): void {
    const guild = newState.guild;
    const key = VoiceTracker.key(guild.id, newState.id);
    const s = this.sessions.get(key);
    if (s && s.channelId !== newState.channelId) {
      // Left or moved: what was spent in the old channel is reported there.
      this.settle(s);
      this.report(s, guild, oldState.member ?? newState.member, true);
      this.sessions.delete(key);
    }
    if (newState.channelId && !this.sessions.has(key) && !newState.member?.user.bot) {
      const moved = s && s.id === (newState.sessionId ?? s.id);
      this.sessions.set(key, {
        id: moved ? s.id : (newState.sessionId ?? `${key}:${this.now()}`),
        guildId: guild.id, userId: newState.id, channelId: newState.channelId, n: moved ? s.n : 0, ms: 0,
      });
    }
    for (const ch of new Set([oldState.channelId, newState.channelId])) if (ch) this.recount(guild, ch);
  }

  /**
   * Starts sessions for members already in voice when the bot connects (after a restart): their Discord
   * session id gets a start-time suffix so its reports never reuse a number an earlier run already sent.
   */
  resume(guild: Guild): void {
    this.dropStale(guild);
    for (const state of guild.voiceStates.cache.values()) {
      const key = VoiceTracker.key(guild.id, state.id);
      if (!state.channelId || this.sessions.has(key) || state.member?.user.bot) continue;
      this.sessions.set(key, { id: `${state.sessionId ?? key}~${this.now().toString(36)}`, guildId: guild.id, userId: state.id, channelId: state.channelId, n: 0, ms: 0 });
    }
    for (const ch of new Set([...guild.voiceStates.cache.values()].map((v) => v.channelId))) if (ch) this.recount(guild, ch);
  }

  /** Reports every session's whole minutes so far (every 5 minutes, and on shutdown). */
  reportAll(guildOf: (id: string) => Guild | undefined): void {
    for (const s of [...this.sessions.values()]) {
      const guild = guildOf(s.guildId);
      if (!guild || this.stale(s, guild)) continue;
      this.settle(s);
      this.report(s, guild, guild.members.cache.get(s.userId), false);
      this.recount(guild, s.channelId);
    }
  }

  /**
   * A session whose member is no longer in its channel though no leave was seen (it happened while the bot
   * was disconnected): ended with only the minutes counted before, since when they left is unknown.
   */
  private stale(s: VoiceSession, guild: Guild): boolean {
    if (guild.voiceStates.cache.get(s.userId)?.channelId === s.channelId) return false;
    s.since = undefined;
    this.report(s, guild, guild.members.cache.get(s.userId), true);
    this.sessions.delete(VoiceTracker.key(s.guildId, s.userId));
    return true;
  }

  private dropStale(guild: Guild): void {
    for (const s of [...this.sessions.values()]) if (s.guildId === guild.id) this.stale(s, guild);
  }

  /** Starts or stops the clock of every tracked member in a channel, after someone there changed. */
  private recount(guild: Guild, channelId: string): void {
    const humans = [...guild.voiceStates.cache.values()].filter((v) => v.channelId === channelId && !v.member?.user.bot);
    // Someone to talk to: another person who can hear (a muted listener counts, a deafened one does not).
    const listeners = humans.filter((v) => !v.deaf).length;
    for (const v of humans) {
      const s = this.sessions.get(VoiceTracker.key(guild.id, v.id));
      if (!s || s.channelId !== channelId) continue;
      const counts = !v.mute && !v.deaf && listeners >= 2 && channelId !== guild.afkChannelId;
      if (counts && s.since === undefined) s.since = this.now();
      else if (!counts) this.settle(s);
    }
  }

  /** Moves the running stretch into `ms` (the clock stops; recount() starts it again if it should run). */
  private settle(s: VoiceSession): void {
    if (s.since === undefined) return;
    const now = this.now();
    s.ms += Math.max(0, now - s.since);
    s.since = undefined;
  }

  private report(s: VoiceSession, guild: Guild, member: GuildMember | null | undefined, final: boolean): void {
    const minutes = Math.floor(s.ms / 60_000);
    if (final) s.ms = 0;
    if (minutes < 1 || !member) return;
    s.ms -= final ? 0 : minutes * 60_000;
    s.n += 1;
    this.emit(buildActivity({
      platform: 'discord',
      space: space(guild),
      address: { kind: 'channel', channelId: s.channelId },
      actor: memberActor(member.user, member),
      kind: 'voice',
      eventId: `${s.id}:${s.n}`,
      minutes,
    }));
  }
}
