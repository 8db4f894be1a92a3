import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { Period } from '../../core/time.js';
import type { Tier } from '../members/service.js';
import type { PointsNotice, Standing } from './service.js';
import { streakLine } from '../activity/present.js';

/** Default tier names (Bronze, Silver, ...) read in the reader's language; names an admin chose stay as typed. */
export function tierName(L: Lang, name: string): string {
  return /^[A-Za-z]+$/.test(name) ? L.t(`points:tierNames.${name}`, { defaultValue: name }) : name;
}

/** A ledger reason in the reader's language (see ledgerReason). */
export function reasonText(L: Lang, reason: string): string {
  const m = /^@([\w.]+) (\{.*\})$/s.exec(reason);
  if (!m) return reason;
  try {
    return L.t(`points:ledger.${m[1]}`, JSON.parse(m[2]) as Record<string, unknown>);
  } catch {
    return reason;
  }
}

/** "this week", or a season's board: "during season "Winter"". */
export const periodLabel = (L: Lang, p: Period | { season: string }) => (typeof p === 'string' ? L.t(`points:period.${p}`) : L.t('points:period.season', { name: p.season }));

export function pointsReply(L: Lang, m: { displayName: string; balance: number; lifetimePoints: number; self: boolean }, tier: Tier, next: Tier | undefined, standing: { rank: number | null; ranked?: number }, streak = 0): Reply {
  const lines = [
    L.t(m.self ? 'points:balance.self' : 'points:balance.other', { name: m.displayName, balance: m.balance, lifetime: m.lifetimePoints, tier: tierName(L, tier.name) }),
    standing.rank ? L.t('points:balance.rank', { rank: standing.rank, ranked: standing.ranked }) : L.t('points:balance.unranked'),
  ];
  if (next) lines.push(L.t('points:balance.next', { missing: next.minPoints - m.lifetimePoints, tier: tierName(L, next.name) }));
  const streakText = streakLine(L, streak);
  if (streakText) lines.push(streakText);
  return { text: lines.join('\n'), ephemeral: true };
}

/** A rank as boards show it: a medal for the first three, the number after. */
export const medal = (r: number) => (r === 1 ? '🥇' : r === 2 ? '🥈' : r === 3 ? '🥉' : `${r}.`);

export function leaderboardReply(L: Lang, period: Period | { season: string }, top: Standing[], mine: { points: number; rank: number | null }): Reply {
  if (!top.length) return { text: L.t('points:board.empty', { period: periodLabel(L, period) }) };
  const lines = [L.t('points:board.title', { period: periodLabel(L, period) }), ...top.map((s) => `${medal(s.rank)} ${s.displayName}: ${L.num(s.points)}`)];
  lines.push(mine.rank ? L.t('points:board.you', { rank: mine.rank, points: mine.points }) : L.t('points:board.youNot'));
  return { text: lines.join('\n') };
}

export function historyReply(L: Lang, m: { displayName: string; balance: number }, rows: { delta: number; reason: string; createdAt: Date }[]): Reply {
  if (!rows.length) return { text: L.t('points:history.empty', { name: m.displayName }), ephemeral: true };
  const lines = [L.t('points:history.title', { name: m.displayName, balance: m.balance }),
    ...rows.map((r) => `${L.date(r.createdAt)}  ${r.delta > 0 ? '+' : ''}${L.num(r.delta)}  ${reasonText(L, r.reason)}`)];
  return { text: lines.join('\n'), ephemeral: true };
}

export function adjustedReply(L: Lang, kind: 'grant' | 'revoke', amount: number, name: string, reason: string, balance: number): Reply {
  return { text: L.t(kind === 'grant' ? 'points:adjust.gave' : 'points:adjust.took', { count: amount, name, reason: reasonText(L, reason), balance }) };
}

/** Notices: words for what the points service announces. */
export const pointsNotices = {
  'points.tierUp': (L: Lang, n: PointsNotice): Reply => ({
    text: L.t('points:tierUp.reached', { tier: tierName(L, n.tier), community: n.community, lifetime: n.lifetime })
      + (n.next ? ' ' + L.t('points:tierUp.next', { tier: tierName(L, n.next.name), points: n.next.minPoints }) : ''),
  }),
};
