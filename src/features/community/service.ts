import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import { isValidZone } from '../../core/time.js';
import { roleRank, type Locale, type Role } from '../../core/types.js';
import { forgetCommunityRead, forgetSettings, setRole } from '../members/service.js';

/** Gives a member a bot role; an admin may not lower their own (a community could lose its last admin). */
export async function changeRole(s: Scope, by: { id: string; role: Role }, target: { id: string; displayName: string }, role: Role) {
  if (target.id === by.id && roleRank(role) < roleRank(by.role)) throw new UserError('community:error.ownRole', {}, 'role');
  await setRole(s, target.id, role);
  return { name: target.displayName, role };
}

export interface SettingsChange {
  referrerReward?: number;
  refereeReward?: number;
  name?: string;
  locale?: Locale;
  timezone?: string;
}

export interface Settings { name: string; referrerReward: number; refereeReward: number; locale: string; timezone: string }

/** The zone as IANA spells it ("asia/seoul" -> "Asia/Seoul"; aliases such as "EST" stay as typed); a name that is no zone is refused. */
function zoneName(zone: string): string {
  if (!isValidZone(zone)) throw new UserError('errors:arg.timezone', { field: 'timezone', value: zone }, 'timezone');
  const resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

/** Changes what was given (nothing when `change` is empty) and returns every setting. */
export async function updateSettings(s: Scope, communityId: string, change: SettingsChange): Promise<Settings> {
  const tx = txOf(s);
  const data = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as SettingsChange;
  if (data.timezone !== undefined) data.timezone = zoneName(data.timezone);
  const select = { name: true, referrerReward: true, refereeReward: true, locale: true, timezone: true };
  // Forgotten once the change is committed: forgetting earlier would let a command running meanwhile
  // cache the old values again for the whole TTL.
  if (data.locale !== undefined || data.timezone !== undefined) s.afterCommit(() => forgetSettings(communityId));
  forgetCommunityRead(s, communityId);
  return Object.keys(data).length
    ? tx.community.update({ where: { id: communityId }, data, select })
    : tx.community.findUniqueOrThrow({ where: { id: communityId }, select });
}
