import type { Address, Platform, Role } from './types.js';
import { roleRank } from './types.js';
import { UserError } from './errors.js';

/** What a precondition may look at: who runs the command and from where. */
export interface PreconditionInput {
  role: Role;
  platform: Platform;
  address?: Address;
}

/**
 * Something that must hold before a command runs (Sapphire's preconditions). `id` names the catalog
 * entries: `errors:precondition.<id>` when it fails and `help:precondition.<id>` in /help.
 */
export interface Precondition {
  id: string;
  check(input: PreconditionInput): UserError | null;
}

/** Run in a channel (the command posts a card there). */
export const inChannel: Precondition = {
  id: 'inChannel',
  check: (i) => (i.address?.kind === 'channel' ? null : new UserError('errors:precondition.inChannel')),
};

/** Not in a direct message with the bot. */
export const notInDm: Precondition = {
  id: 'notInDm',
  check: (i) => (i.address?.kind === 'dm' ? new UserError('errors:precondition.notInDm') : null),
};

/** The first failing check for `def`, the role first; null when it may run. */
export function checkPreconditions(def: { name: string; permission: Role; preconditions?: Precondition[] }, input: PreconditionInput): UserError | null {
  if (roleRank(input.role) < roleRank(def.permission)) {
    return new UserError(`errors:precondition.${def.permission}`, { command: def.name });
  }
  for (const p of def.preconditions ?? []) {
    const e = p.check(input);
    if (e) return e;
  }
  return null;
}
