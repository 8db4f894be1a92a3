import { UserError } from '../../core/errors.js';
import type { Platform } from '../../core/types.js';
import { tierIndex, type Tier } from '../members/service.js';

/*
 * Who may enter a giveaway and how many entries they hold: bonus entries by tier or platform role, required
 * roles and a required tier. Roles are the platform's own (a Discord role, a Slack user group), checked
 * against the roles the platform reports with the command (Actor.roles).
 */

/** A platform role: a Discord role id or a Slack user group id. */
export interface PlatformRole { platform: Platform; id: string }

/** Extra entries for members who reached a tier or hold a role. */
export type Bonus = ({ tier: string } | { role: PlatformRole }) & { extra: number };

const DISCORD_ROLE = /^<@&(\d{1,25})>$/;
const SLACK_GROUP = /^<!subteam\^([A-Z0-9]{1,30})(?:\|[^>]*)?>$/;
const MAX_EXTRA = 100;

/** "<@&123>" or "<!subteam^S123|@team>" as a role; null for anything else. */
export function roleOf(text: string): PlatformRole | null {
  const d = DISCORD_ROLE.exec(text.trim());
  if (d) return { platform: 'discord', id: d[1] };
  const s = SLACK_GROUP.exec(text.trim());
  return s ? { platform: 'slack', id: s[1] } : null;
}

/** The tier named `name` (any case), or a refusal naming the tiers there are. */
export function tierNamed(tiers: Tier[], name: string, field: string): Tier {
  const t = tiers.find((x) => x.name.toLowerCase() === name.trim().toLowerCase());
  if (!t) throw new UserError('contests:error.unknownTier', { name: name.trim(), tiers: tiers.map((x) => x.name).join(', ') }, field);
  return t;
}

/** "Gold=2, Platinum=4, <@&123>=3": extra entries by tier name or role. */
export function parseBonus(text: string, tiers: Tier[]): Bonus[] {
  const out: Bonus[] = [];
  for (const part of text.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*[=:]\s*\+?(\d{1,4})$/.exec(part);
    if (!m) throw new UserError('contests:error.bonusSyntax', { part }, 'bonus');
    const extra = Number(m[2]);
    if (extra < 1 || extra > MAX_EXTRA) throw new UserError('contests:error.bonusRange', { part, max: MAX_EXTRA }, 'bonus');
    const role = roleOf(m[1]);
    const bonus: Bonus = role ? { role, extra } : { tier: tierNamed(tiers, m[1], 'bonus').name, extra };
    if (out.some((b) => sameKey(b, bonus))) throw new UserError('contests:error.bonusTwice', { part }, 'bonus');
    out.push(bonus);
  }
  return out;
}

const sameKey = (a: Bonus, b: Bonus) => ('tier' in a && 'tier' in b ? a.tier === b.tier
  : 'role' in a && 'role' in b ? a.role.platform === b.role.platform && a.role.id === b.role.id : false);

/** "<@&1> <@&2>" or comma separated: the roles a member must hold one of. */
export function parseRoles(text: string): PlatformRole[] {
  const out: PlatformRole[] = [];
  for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
    const role = roleOf(part);
    if (!role) throw new UserError('contests:error.notRole', { part }, 'role');
    if (!out.some((r) => r.platform === role.platform && r.id === role.id)) out.push(role);
  }
  return out;
}

/** Who is entering: their earned points, and where from with which roles (undefined: the platform does not say). */
export interface Entrant { lifetimePoints: number; platform: Platform; roles?: string[] }

export interface EntryRules { bonus: Bonus[]; requiredRoles: PlatformRole[]; requiredTier: string | null }

const holds = (e: Entrant, r: PlatformRole) => r.platform === e.platform && !!e.roles?.includes(r.id);
const reached = (tiers: Tier[], e: Entrant, name: string) => {
  const idx = tiers.findIndex((t) => t.name === name);
  return idx >= 0 && tierIndex(tiers, e.lifetimePoints) >= idx;
};

/** Refuses an entrant who lacks the required tier or role (saying which platform's role is needed when unknown). */
export function checkRequirements(id: number, rules: EntryRules, tiers: Tier[], e: Entrant): void {
  if (rules.requiredTier && !reached(tiers, e, rules.requiredTier)) {
    throw new UserError('contests:error.tier', { id, tier: rules.requiredTier });
  }
  if (!rules.requiredRoles.length) return;
  const here = rules.requiredRoles.filter((r) => r.platform === e.platform);
  const platforms = [...new Set(rules.requiredRoles.map((r) => r.platform))];
  if (!here.length) throw new UserError('contests:error.roleElsewhere', { id, platform: platforms[0] });
  if (!e.roles) throw new UserError('contests:error.roleUnknown', { id, platform: e.platform });
  if (!here.some((r) => holds(e, r))) throw new UserError('contests:error.role', { id, platform: e.platform });
}

/** Entries the member holds: 1 plus the largest bonus that applies (bonuses do not add up). */
export function entryWeight(rules: EntryRules, tiers: Tier[], e: Entrant): number {
  const extras = rules.bonus.filter((b) => ('tier' in b ? reached(tiers, e, b.tier) : holds(e, b.role))).map((b) => b.extra);
  return 1 + Math.max(0, ...extras);
}

export const storedBonus = (json: string) => JSON.parse(json || '[]') as Bonus[];
export const storedRoles = (json: string) => JSON.parse(json || '[]') as PlatformRole[];
