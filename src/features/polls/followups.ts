import { z } from 'zod';
import { UserError } from '../../core/errors.js';

/* The detractor follow-up queue's rules (pure): which answers are in it, and what a reply may say. */

export const FOLLOW_UP_STATES = ['open', 'done'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];
export type FollowUpKind = 'reply' | 'done' | 'reopened';

/** Detractors score 0–6 (see nps.ts); their answers are the ones followed up. */
export const DETRACTOR_MAX = 6;

export const REPLY_MAX = 1000;
// Line breaks and tabs are fine in a message; other control characters would break how platforms show it.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const replySchema = z.string()
  .transform((t) => t.replace(/\r\n?/g, '\n').trim())
  .refine((t) => t.length > 0, { message: 'empty' })
  .refine((t) => [...t].length <= REPLY_MAX, { message: 'tooLong' })
  .refine((t) => !CONTROL.test(t), { message: 'control' });

/** The reply as it will be sent, or a refusal in the reader's words (dashboard:nps.followups.error.*). */
export function replyText(raw: unknown): string {
  const r = replySchema.safeParse(typeof raw === 'string' ? raw : '');
  if (r.success) return r.data;
  const reason = r.error.issues[0]?.message ?? 'empty';
  throw new UserError(`dashboard:nps.followups.error.${reason}`, { max: REPLY_MAX }, 'text');
}
