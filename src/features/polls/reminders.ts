import type { PollKind } from './choices.js';

/* The `poll.remind` job: one direct message, before a poll closes, to each recently seen member who has not answered. */

/** Only members seen this recently are reminded: a DM to someone long gone is noise (and may get the bot reported). */
export const SEEN_WITHIN_MS = 30 * 86_400_000;
/**
 * At most this many reminders per poll: a large community's outbox would otherwise take hours to drain on
 * platform rate limits, and the most recently seen members (read first) are the likeliest to answer.
 */
export const MAX_REMINDERS = 2000;

export interface PollReminder {
  type: 'poll.reminder';
  community: string;
  poll: { id: number; question: string; kind: PollKind; options: string[]; anonymous: boolean; points: number; closesAt: Date };
  /** Time left when the reminder was sent. */
  leftMs: number;
  /**
   * Whether the card's buttons can be offered in the DM: only where a button pressed in a direct message
   * reaches this community. Slack sends the workspace (team) with every action; Discord refuses interactions
   * outside a server, and a Telegram private chat acts for the group last used, which may be another one.
   */
  buttons: boolean;
}
