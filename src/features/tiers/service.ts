import { txOf, type Scope } from '../../core/scope.js';
import { UserError } from '../../core/errors.js';
import { changeCommunitySetting, parseTiers, type Tier, type TierAccess } from '../members/service.js';
import { tierAccessItems, tiersChanged } from '../access/service.js';

export type { Tier, TierAccess } from '../members/service.js';

const MAX_TIERS = 20;

/** A change to one tier's access: a new id, or null to take that access away. */
export type AccessChange = { [K in keyof TierAccess]?: string | null };

export interface TierEdit { name?: string; minPoints?: number; access?: AccessChange }

/** The community's tiers, lowest first. */
export async function listTiers(s: Scope, communityId: string): Promise<Tier[]> {
  const c = await txOf(s).community.findUniqueOrThrow({ where: { id: communityId }, select: { tiers: true } });
  return parseTiers(c.tiers);
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function find(tiers: Tier[], name: string): Tier {
  const t = tiers.find((x) => same(x.name, name));
  if (!t) throw new UserError('tiers:error.notFound', { name }, 'name');
  return t;
}

function withAccess(base: TierAccess | undefined, change: AccessChange | undefined): TierAccess | undefined {
  const out: TierAccess = { ...base };
  for (const [k, v] of Object.entries(change ?? {}) as [keyof TierAccess, string | null | undefined][]) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Unique names and thresholds, a tier at 0, not too many. */
function check(tiers: Tier[], field: string): void {
  if (tiers.length > MAX_TIERS) throw new UserError('tiers:error.tooMany', { max: MAX_TIERS });
  for (const [i, t] of tiers.entries()) {
    const clash = tiers.findIndex((x) => same(x.name, t.name));
    if (clash !== i) throw new UserError('tiers:error.nameTaken', { name: t.name }, 'name');
    const at = tiers.findIndex((x) => x.minPoints === t.minPoints);
    if (at !== i) throw new UserError('tiers:error.pointsTaken', { points: t.minPoints, name: tiers[at].name }, field);
  }
  if (!tiers.some((t) => t.minPoints === 0)) throw new UserError('tiers:error.needZero', {}, field);
}

/**
 * Writes the tiers `change` makes of the stored ones (a conditional update on the JSON read, tried again if
 * another change came first), then plans access again for the members it concerns.
 */
async function changeTiers(s: Scope, communityId: string, change: (tiers: Tier[]) => { tiers: Tier[]; touched: Tier[] }): Promise<Tier[]> {
  let touched: Tier[] = [];
  const json = await changeCommunitySetting(s, communityId, 'tiers', (stored) => {
    const changed = change(parseTiers(stored));
    touched = changed.touched;
    return JSON.stringify([...changed.tiers].sort((a, b) => a.minPoints - b.minPoints));
  });
  const withItems = touched.filter((t) => tierAccessItems(t).length);
  if (withItems.length) await tiersChanged(s, communityId, parseTiers(json), Math.min(...withItems.map((t) => t.minPoints)));
  return parseTiers(json);
}

export async function addTier(s: Scope, communityId: string, t: { name: string; minPoints: number; access?: AccessChange }): Promise<Tier[]> {
  return changeTiers(s, communityId, (tiers) => {
    const access = withAccess(undefined, t.access);
    const tier: Tier = { name: t.name.trim(), minPoints: t.minPoints, ...(access ? { access } : {}) };
    const next = [...tiers, tier];
    check(next, 'points');
    return { tiers: next, touched: [tier] };
  });
}

export async function editTier(s: Scope, communityId: string, name: string, e: TierEdit): Promise<Tier[]> {
  return changeTiers(s, communityId, (tiers) => {
    const old = find(tiers, name);
    if (old.minPoints === 0 && e.minPoints !== undefined && e.minPoints !== 0) throw new UserError('tiers:error.lowestFixed', { name: old.name }, 'points');
    const access = withAccess(old.access, e.access);
    const tier: Tier = { name: e.name?.trim() ?? old.name, minPoints: e.minPoints ?? old.minPoints, ...(access ? { access } : {}) };
    const next = tiers.map((x) => (x === old ? tier : x));
    check(next, 'points');
    // Members between the old and the new threshold, or holding the old access, are planned again.
    return { tiers: next, touched: [old, tier] };
  });
}

export async function removeTier(s: Scope, communityId: string, name: string): Promise<Tier[]> {
  return changeTiers(s, communityId, (tiers) => {
    const old = find(tiers, name);
    if (old.minPoints === 0) throw new UserError('tiers:error.lowest', { name: old.name }, 'name');
    return { tiers: tiers.filter((x) => x !== old), touched: [old] };
  });
}
