/** Platform-neutral types shared by the core, the command definitions and the adapters. */

export const PLATFORMS = ['discord', 'slack', 'telegram', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ROLES = ['member', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleRank = (r: Role): number => ROLES.indexOf(r);

/** Who sent a command, as the platform tells it. */
export interface Actor {
  platform: Platform;
  userId: string;
  displayName: string;
  username?: string;
  /** Highest role the platform itself grants (e.g. Discord "Manage Server" -> admin). */
  platformRole?: Role;
}

/** A command as an adapter hands it to the core. */
export interface Inbound {
  platform: Platform;
  /** Discord guild id, Slack team id, Telegram chat id, console community name. */
  communityKey: string;
  communityName?: string;
  /** Channel the command came from; announcements for things created here go back to it. */
  channelId?: string;
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

export interface Reply {
  text: string;
  /** Only the person who ran the command sees it (where the platform can do that). */
  ephemeral?: boolean;
  /** True when the command was refused; nothing was changed. */
  error?: boolean;
  /** Rows of buttons. */
  buttons?: Button[][];
  form?: Form;
}

/**
 * A message the core wants posted in a channel, delivered through the outbox.
 * channelId "user:<platformUserId>" means a direct message to that person.
 */
export interface Announcement {
  communityId: string;
  platform: Platform;
  channelId: string;
  reply: Reply;
}
