import type { webApi } from '@slack/bolt';
import type { AccessOutcome, AccessTask } from '../../src/core/types.js';

/**
 * Tier access on Slack: a user group (kind 'slack.usergroup', target = its id "S…") or a channel (kind
 * 'slack.channel', target = its id, usually a private channel the bot is in). Slack has no call that
 * adds or removes one member of a user group: the whole list is read and written back. A group whose
 * last member leaves is disabled (Slack keeps no empty group) and enabled again with its next member.
 * Two writers of one group can each drop the other's change, so the list is read again after writing:
 * a member not as wanted is retried.
 */

type Client = webApi.WebClient;

/** Slack errors that mean the bot may not do this (moderators are told). */
const NO_PERMISSION = new Set([
  'missing_scope', 'not_allowed_token_type', 'permission_denied', 'restricted_action', 'no_permission', 'not_authed',
  'invalid_auth', 'account_inactive', 'token_revoked', 'ekm_access_denied', 'cant_kick_from_general', 'method_deprecated',
]);
/** Errors that mean the member or the target is gone: nothing to do. */
const GONE = new Set(['user_not_found', 'user_disabled', 'channel_not_found', 'no_such_subteam', 'is_archived', 'subteam_not_found', 'invalid_users', 'cant_invite']);

/**
 * What a Web API failure means for an access task. `ok` lists errors that mean "already as wanted".
 * Everything else (ratelimited, internal_error, HTTP 5xx, network) is retried later.
 */
export function accessOutcomeOf(err: unknown, ok: readonly string[] = [], noPermission: readonly string[] = []): AccessOutcome {
  const e = err as { code?: string; data?: { error?: string }; message?: string };
  if (e?.code !== 'slack_webapi_platform_error') return { ok: false, reason: 'retry', detail: e?.message ?? String(err) };
  const code = e.data?.error ?? 'unknown_error';
  if (ok.includes(code)) return { ok: true };
  if (noPermission.includes(code) || NO_PERMISSION.has(code)) return { ok: false, reason: 'noPermission', detail: code };
  if (GONE.has(code)) return { ok: false, reason: 'gone', detail: code };
  return { ok: false, reason: 'retry', detail: code };
}

/**
 * The applier engine.deliverAccess('slack', ...) hands each task to. `clientFor` gives the Web API client of the
 * task's workspace (task.space): the one bot token, or that workspace's installation in distribution mode.
 */
export function slackAccess(clientFor: (space: string) => Promise<Client>): (task: AccessTask) => Promise<AccessOutcome> {
  return async (task) => {
    let client: Client;
    try {
      client = await clientFor(task.space);
    } catch (err) {
      // Not installed (any more) in that workspace: moderators are told, like a missing permission.
      return { ok: false, reason: 'noPermission', detail: (err as Error).message };
    }
    if (task.kind === 'slack.usergroup') return userGroup(client, task);
    if (task.kind === 'slack.channel') return channel(client, task);
    return { ok: false, reason: 'gone', detail: `not a Slack access kind: ${task.kind}` };
  };
}

async function userGroup(client: Client, task: AccessTask): Promise<AccessOutcome> {
  const user = task.platformUserId;
  try {
    const listed = await client.usergroups.users.list({ usergroup: task.target, include_disabled: true });
    const users = listed.users ?? [];
    const has = users.includes(user);
    if (task.action === 'grant') {
      if (has) return { ok: true };
      // Empty: we disabled it when its last member left.
      if (!users.length) await client.usergroups.enable({ usergroup: task.target });
      await client.usergroups.users.update({ usergroup: task.target, users: [...users, user].join(',') });
      return await checkMember(client, task.target, user, true);
    }
    if (!has) return { ok: true };
    const rest = users.filter((u) => u !== user);
    // Disabling takes the group from everyone (Slack keeps its list), so there is nothing to read back.
    if (!rest.length) {
      await client.usergroups.disable({ usergroup: task.target });
      return { ok: true };
    }
    await client.usergroups.users.update({ usergroup: task.target, users: rest.join(',') });
    return await checkMember(client, task.target, user, false);
  } catch (err) {
    return accessOutcomeOf(err, ['already_enabled', 'already_disabled']);
  }
}

/** Reads the group again after writing it: another writer may have written its own older list meanwhile. */
async function checkMember(client: Client, usergroup: string, user: string, wanted: boolean): Promise<AccessOutcome> {
  const listed = await client.usergroups.users.list({ usergroup, include_disabled: true });
  return (listed.users ?? []).includes(user) === wanted ? { ok: true } : { ok: false, reason: 'retry', detail: 'user group changed meanwhile' };
}

async function channel(client: Client, task: AccessTask): Promise<AccessOutcome> {
  const user = task.platformUserId;
  try {
    if (task.action === 'grant') await client.conversations.invite({ channel: task.target, users: user });
    else await client.conversations.kick({ channel: task.target, user });
    return { ok: true };
  } catch (err) {
    // invite: not_in_channel is about the bot (it must be in the channel to invite); kick: about the member.
    return task.action === 'grant'
      ? accessOutcomeOf(err, ['already_in_channel'], ['not_in_channel'])
      : accessOutcomeOf(err, ['not_in_channel']);
  }
}
