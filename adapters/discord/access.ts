import { DiscordAPIError, type Client } from 'discord.js';
import type { AccessOutcome, AccessTask } from '../../src/core/types.js';

/** Discord error codes: Missing Access / Missing Permissions, and a member or role that no longer exists. */
const NO_PERMISSION = new Set([50001, 50013]);
const GONE = new Set([10004, 10007, 10011, 10013]);

/** What a refusal from Discord means for an access task. */
export function accessOutcomeOf(err: unknown): AccessOutcome {
  const detail = String((err as Error)?.message ?? err).slice(0, 300);
  if (err instanceof DiscordAPIError) {
    const code = Number(err.code);
    if (NO_PERMISSION.has(code)) return { ok: false, reason: 'noPermission', detail };
    if (GONE.has(code)) return { ok: false, reason: 'gone', detail };
    if (err.status >= 400 && err.status < 500 && err.status !== 429) return { ok: false, reason: 'noPermission', detail };
  }
  // 5xx, 429 (discord.js waits out most rate limits itself) and network failures pass.
  return { ok: false, reason: 'retry', detail };
}

/**
 * Gives or takes a tier's Discord role (engine.deliverAccess). The role must sit below the bot's highest
 * role and the bot needs Manage Roles (role.editable), else moderators are told; a member or role that is
 * gone needs nothing more.
 */
export function discordAccess(client: Client): (task: AccessTask) => Promise<AccessOutcome> {
  return async (task) => {
    if (task.kind !== 'discord.role') return { ok: false, reason: 'gone', detail: `not a Discord task: ${task.kind}` };
    try {
      const guild = await client.guilds.fetch(task.space);
      const role = await guild.roles.fetch(task.target);
      if (!role) return { ok: false, reason: 'gone', detail: `role ${task.target} not found` };
      await guild.members.fetchMe();
      if (!role.editable) return { ok: false, reason: 'noPermission', detail: `role ${role.name} is above the bot's highest role, or the bot lacks Manage Roles` };
      if (task.action === 'grant') await guild.members.addRole({ user: task.platformUserId, role: task.target });
      else await guild.members.removeRole({ user: task.platformUserId, role: task.target });
      return { ok: true };
    } catch (err) {
      return accessOutcomeOf(err);
    }
  };
}
