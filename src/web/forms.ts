import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { Engine } from '../engine.js';
import type { Address, Platform, Reply } from '../core/types.js';
import type { DashboardEnv } from './dashboard.js';
import { esc } from './pages/html.js';

/*
 * Dashboard forms that act: each runs the chat command a moderator would run (engine.runAs), so the web
 * follows the same options, checks and wording. Every form carries the CSRF token and a one-time value; a
 * form sent twice (double click, reload, retry) gets the first answer back and changes nothing more.
 */

/** The hidden fields every acting form carries. */
export function formGuard(csrfToken: string): string {
  return `<input type="hidden" name="_csrf" value="${esc(csrfToken)}"><input type="hidden" name="_once" value="${randomBytes(16).toString('base64url')}">`;
}

/** The submitted form's fields, without the guard's. */
export async function formFields(c: Context<DashboardEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The form's one-time value (`_once`); a form without a usable one still acts once per submission. */
export function onceOf(raw: unknown): string {
  return typeof raw === 'string' && /^[\w-]{8,64}$/.test(raw) ? raw : randomBytes(16).toString('base64url');
}

/**
 * Runs `command` with `args` for the signed-in moderator. `fields._once` is the form's one-time value (a
 * form without one gets a fresh value, so it still acts once per submission).
 */
export async function runCommand(c: Context<DashboardEnv>, engine: Engine, command: string, args: Record<string, unknown>,
  fields: Record<string, string>, target?: { platform: Platform; address: Address }): Promise<Reply> {
  const s = c.get('session');
  return engine.runAs(s, command, args, { once: `${s.communityId}:${onceOf(fields._once)}`, target });
}

/** A command's reply on a page: its text (with **bold**) as a notice, marked as an error when refused. */
export function replyBlock(reply: Reply): string {
  const html = esc(reply.text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/\n/g, '<br>');
  return `<div class="reply ${reply.error ? 'refused' : 'done'}" role="status">${html}</div>`;
}
