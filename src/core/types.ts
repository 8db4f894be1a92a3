/** Platform-neutral types shared by the core, the command definitions and the adapters. */

export const PLATFORMS = ['discord', 'slack', 'telegram', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ROLES = ['member', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleRank = (r: Role): number => ROLES.indexOf(r);

export const LOCALES = ['en', 'ko', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Where a message goes or came from. Adapters translate it to and from their platform; nothing else
 * builds or parses platform addresses.
 */
export type Address =
  /** A channel, group or conversation; threadId is a Slack thread_ts or a Telegram forum topic id. */
  | { kind: 'channel'; channelId: string; threadId?: string }
  /** A direct message to one person. */
  | { kind: 'dm'; userId: string };

/** Who sent a command, as the platform tells it. */
export interface Actor {
  platform: Platform;
  userId: string;
  displayName: string;
  username?: string;
  /** Highest role the platform itself grants (e.g. Discord "Manage Server" -> admin). */
  platformRole?: Role;
  /** The language the platform reports for this person (Discord locale, Telegram language_code, Slack locale). */
  locale?: string;
  /**
   * Platform roles this person holds where the platform reports them with the event (Discord role ids, Slack
   * user group ids): giveaway role requirements and bonus entries read them. Absent: unknown (not "none").
   */
  roles?: string[];
}

/** A command as an adapter hands it to the core (built with adapters/shared/inbound.ts). */
export interface Inbound {
  platform: Platform;
  /** Discord guild id, Slack team id, Telegram chat id, console community name. */
  communityKey: string;
  communityName?: string;
  /** Where the command was sent; cards for things created here are posted back to it. */
  address?: Address;
  actor: Actor;
  /** Full command name, e.g. "points", "challenge submit". */
  command: string;
  /** Structured options (Discord, buttons, modals) or the raw argument text (Slack, Telegram, console). */
  args: Record<string, unknown> | string;
  /**
   * Stable id of this delivery (Telegram update_id, Slack event/trigger id, Discord interaction id).
   * A second delivery with the same key gets the first reply back and changes nothing.
   */
  eventKey?: string;
}

export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

/**
 * A button that runs a core command when pressed (command + args), or, when `form` is set,
 * opens that form instead and runs the form's command on submit.
 */
export interface Button {
  label: string;
  command: string;
  args: Record<string, string | number>;
  style?: ButtonStyle;
  form?: Form;
}

/** A form (Discord/Slack modal; Telegram and console ask for the text inline). */
export interface Form {
  title: string;
  command: string;
  /** Fixed arguments carried through the form (e.g. the challenge id). */
  args: Record<string, string | number>;
  fields: { name: string; label: string; long?: boolean; required?: boolean; maxLength?: number }[];
}

/**
 * A select menu (Discord string select, Slack static/multi select) that runs `command` with `args` plus
 * `{ [name]: chosen values joined by "," }`. Platforms without select menus (Telegram, console) show
 * `fallback` instead: buttons that do the same one option at a time.
 */
export interface Select {
  placeholder: string;
  command: string;
  args: Record<string, string | number>;
  name: string;
  options: { label: string; value: string; emoji?: string }[];
  /** How many options may be chosen (1..options.length; 1 and 1 for a single choice). */
  min: number;
  max: number;
  fallback: Button[][];
}

/** Why a command was refused: the catalog key and, for a bad option, which one (adapters map it to a form field). */
export interface ReplyError {
  code: string;
  field?: string;
}

export interface Reply {
  text: string;
  /** Only the person who ran the command sees it (where the platform can do that). */
  ephemeral?: boolean;
  /** Set when the command was refused; nothing was changed. */
  error?: ReplyError;
  /** Rows of buttons. */
  buttons?: Button[][];
  /** Select menus, shown after the text (before the buttons). */
  selects?: Select[];
  /**
   * Emoji the bot adds as reactions under the posted message, where the platform has reactions (Discord, Slack):
   * members answer an emoji poll by reacting (engine.reaction). Unicode emoji only.
   */
  reactions?: string[];
  form?: Form;
}

/** Plain data a service wants told to people; a presenter words it in the reader's language when it is sent. */
export interface Notice {
  type: string;
  [field: string]: unknown;
}

/** A notice to post on one platform, delivered through the outbox after the transaction commits. */
export interface Announcement {
  communityId: string;
  platform: Platform;
  to: Address;
  notice: Notice;
  /** For a direct message: the member it is for, so it is worded in their language. */
  memberId?: string;
  /**
   * Remember the posted message under this key ("contest:12", "poll:7"), so it can later be edited (`edit`)
   * and reactions to it can be recognised (engine.reaction).
   */
  card?: string;
  /**
   * Edit the message posted earlier under this card key in `to` instead of posting a new one (a live entry
   * count). Nothing is sent when that card was never posted there or the platform cannot edit messages.
   */
  edit?: string;
}

/**
 * Someone added or removed a reaction on a message in a community's space (Discord, Slack, Telegram):
 * engine.reaction turns it into a command when the message is a card that takes reactions (an emoji poll).
 */
export interface ReactionEvent {
  platform: Platform;
  communityKey: string;
  communityName?: string;
  /** The channel of the message, as in Address. */
  channelId: string;
  messageId: string;
  /** The emoji as a Unicode string (custom emoji are ignored). */
  emoji: string;
  actor: Actor;
  kind: 'add' | 'remove';
  /** Stable id of this delivery, as Inbound.eventKey. */
  eventKey?: string;
}

/**
 * Something a member did in chat that may earn activity points: a message, a reaction, minutes in a voice
 * channel. Adapters hand it to `engine.activity()`; nothing is replied.
 */
/**
 * A platform account joined or left a community's space (Discord guildMemberAdd/Remove, Telegram
 * chat_member, Slack team_join / member_left_channel). Recorded by engine.presence.
 */
export interface PresenceEvent {
  platform: Platform;
  /** Discord guild id, Slack team id, Telegram group chat id. */
  communityKey: string;
  communityName?: string;
  actor: Actor;
  kind: 'join' | 'leave';
  /** When the platform account was created, where the platform tells (a Discord id encodes it). */
  accountCreatedAt?: Date;
  /** Discord invite attribution: the invite that was used and the platform user id of its creator. */
  invite?: { code: string; inviterUserId?: string };
  /** When it happened (default: the engine clock). */
  at?: Date;
}

/** Kinds of access a tier can give (src/features/access). */
export type AccessKind = 'discord.role' | 'telegram.chat' | 'slack.usergroup' | 'slack.channel';

/** One grant or removal an adapter carries out on its platform (engine.deliverAccess). */
export interface AccessTask {
  id: number;
  communityId: string;
  platform: Platform;
  platformUserId: string;
  /** Guild or workspace id ("" where the target id is enough). */
  space: string;
  kind: AccessKind;
  target: string;
  action: 'grant' | 'remove';
}

/**
 * What came of an AccessTask: done (with a one-time invite link for a Telegram chat, to send by direct
 * message), or not: the bot lacks the permission (moderators are told), a passing failure (retried later),
 * or the account or target is gone (nothing to do).
 */
export type AccessOutcome =
  | { ok: true; inviteLink?: string }
  | { ok: false; reason: 'noPermission' | 'retry' | 'gone'; detail?: string };

export interface ActivityEvent {
  platform: Platform;
  /** Discord guild id, Slack team id, Telegram group chat id. */
  communityKey: string;
  communityName?: string;
  /** Where it happened (channel rules and multipliers apply per channel). */
  address: Address;
  actor: Actor;
  kind: 'message' | 'reaction' | 'voice';
  /** The platform's id of the message, reaction or voice session: the same id never pays twice. */
  eventId: string;
  /** Visible length of the message text, where the platform shows content (minimum-length rule). */
  length?: number;
  /** Whole minutes spent in a voice channel (voice). */
  minutes?: number;
  /** When it happened (default: the engine clock). */
  at?: Date;
}
