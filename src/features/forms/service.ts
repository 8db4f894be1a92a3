import { txOf, type Scope } from '../../core/scope.js';
import type { Db } from '../../db/client.js';
import { sqlRun } from '../../db/fast.js';

/*
 * Forms asked field by field (Telegram has no modals) keep their state here between prompts, so a restart,
 * or another instance receiving the member's reply, carries on where the form was. The adapter owns the
 * shape of the state (JSON); this only stores it under its key until it expires.
 */

/** Stores (or replaces) a form's state until `expiresAt`. */
export async function putForm(s: Scope, key: string, state: unknown, expiresAt: Date): Promise<void> {
  await sqlRun(txOf(s),
    'INSERT INTO "PendingForm" ("key", "state", "expiresAt") VALUES (?, ?, ?) ON CONFLICT ("key") DO UPDATE SET "state" = excluded."state", "expiresAt" = excluded."expiresAt"',
    [key, JSON.stringify(state), expiresAt]);
}

/** The form's state while it has not expired (read-only). */
export async function peekForm(db: Db, key: string, now: Date): Promise<unknown | undefined> {
  const row = await db.pendingForm.findUnique({ where: { key } });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return undefined;
  return JSON.parse(row.state) as unknown;
}

/** Removes a form (done, or its last answer is being handled). True when this call removed it. */
export async function dropForm(s: Scope, key: string): Promise<boolean> {
  return (await txOf(s).pendingForm.deleteMany({ where: { key } })).count === 1;
}

/** Housekeeping: forms nobody finished. */
export async function pruneForms(s: Scope): Promise<number> {
  return (await txOf(s).pendingForm.deleteMany({ where: { expiresAt: { lte: s.now } } })).count;
}
