import type { Lang } from '../../i18n/index.js';
import type { Platform, Reply } from '../../core/types.js';
import type { Bonus, PlatformRole } from './entries.js';
import { tierName } from '../points/present.js';
import type { ContestCard, ContestNotice, ContestStatus, DrawRecord, Odds, Tally, Winner } from './service.js';

type Notice<T extends ContestNotice['type']> = Extract<ContestNotice, { type: T }>;

const join = (L: Lang, items: string[]) => items.join(L.t('contests:separator'));

/** A winner as people on `platform` see them: a mention where the adapter turns `<@id>` into one, else the name. */
const mention = (w: Winner, platform: string) => (w.userId && (platform === 'discord' || platform === 'slack') ? `<@${w.userId}>` : w.name);

const names = (L: Lang, winners: Winner[]) => join(L, winners.map((w) => w.name));
const mentions = (L: Lang, winners: Winner[], platform: string) => join(L, winners.map((w) => mention(w, platform)));

/** A role as readers on `platform` see it: a mention on its own platform, "a Discord role" elsewhere. */
export function roleText(L: Lang, r: PlatformRole, platform?: Platform): string {
  if (r.platform === platform) return r.platform === 'discord' ? `<@&${r.id}>` : `<!subteam^${r.id}>`;
  return L.t('contests:roleOn', { platform: r.platform });
}

/** "12.5%" (a share 0..1, one decimal where it matters). */
const pct = (L: Lang, share: number) => L.t('contests:percent', { value: L.num(Math.round(share * 1000) / 10) });

/** Who may enter: "Requirements: ..." or "Open to everyone". */
export function requirementsText(L: Lang, c: Pick<ContestCard, 'minPoints' | 'minMemberDays'> & Partial<ContestCard>, platform?: Platform): string {
  const req: string[] = [];
  if (c.minPoints > 0) req.push(L.t('contests:requirements.minPoints', { min: c.minPoints }));
  if (c.minMemberDays > 0) req.push(L.t('contests:requirements.minDays', { min: c.minMemberDays }));
  if (c.requiredTier) req.push(L.t('contests:requirements.tier', { tier: tierName(L, c.requiredTier) }));
  if (c.requiredRoles?.length) req.push(L.t('contests:requirements.roles', { roles: L.list(c.requiredRoles.map((r) => roleText(L, r, platform))) }));
  return req.length ? L.t('contests:requirements.some', { list: join(L, req) }) : L.t('contests:requirements.none');
}

/** "Bonus entries: Gold tier +2, @Boosters +3 (only the largest counts)", or nothing. */
export function bonusText(L: Lang, bonus: Bonus[], platform?: Platform): string | undefined {
  if (!bonus.length) return undefined;
  const items = bonus.map((b) => L.t('contests:bonus.item', {
    who: 'tier' in b ? L.t('contests:bonus.tier', { tier: tierName(L, b.tier) }) : roleText(L, b.role, platform), extra: b.extra,
  }));
  return L.t('contests:bonus.list', { list: join(L, items) });
}

const tallyText = (L: Lang, t: Tally) => L.t('contests:tally', { entrants: L.t('contests:entrants', { count: t.entrants }), entries: L.t('contests:tickets', { count: t.entries }) });

/** The card posted in each channel: prize, winners, end, requirements, bonus entries, the draw's hash and an Enter button; once over, without the button. */
export function contestCard(L: Lang, c: ContestCard, platform?: Platform, tally?: Tally): Reply {
  const title = L.t(c.prizePoints ? 'contests:card.titleWithPoints' : 'contests:card.title', { id: c.id, prize: c.prize, points: c.prizePoints });
  const status: ContestStatus = c.status ?? 'open';
  if (status !== 'open') {
    return { text: [title, L.t(`contests:card.over.${status}`, { id: c.id }), ...(tally ? [tallyText(L, tally)] : [])].join('\n') };
  }
  const lines = [
    title,
    L.t('contests:card.terms', { count: c.winnersCount, endsAt: new Date(c.endsAt) }),
    requirementsText(L, c, platform),
    bonusText(L, c.bonus ?? [], platform),
    c.claimHours ? L.t('contests:card.claim', { count: c.claimHours, hours: c.claimHours }) : undefined,
    tally ? tallyText(L, tally) : undefined,
    c.seedHash ? L.t('contests:card.seedHash', { hash: c.seedHash, id: c.id }) : undefined,
    L.t('contests:card.how', { id: c.id }),
  ];
  return {
    text: lines.filter((l): l is string => !!l).join('\n'),
    buttons: [[{ label: L.t('contests:card.enter'), command: 'contest enter', args: { contest: c.id }, style: 'success' }]],
  };
}

export const createdReply = (L: Lang, c: { id: number; prize: string; endsAt: Date; targets?: Platform[] }): Reply => {
  const elsewhere = [...new Set((c.targets ?? []).slice(1))];
  const text = L.t('contests:created', { id: c.id, prize: c.prize, endsAt: c.endsAt });
  return { text: elsewhere.length ? `${text}\n${L.t('contests:alsoPosted', { platforms: L.list(elsewhere.map((p) => L.t(`common:platforms.${p}`, { defaultValue: p }))) })}` : text, ephemeral: true };
};

/** Your entries and odds: "3 of 12 entries (25% each draw) · chance to be among the 2 winners: about 58%". */
export function oddsText(L: Lang, o: Odds): string {
  const share = L.t('contests:odds.share', { mine: L.t('contests:tickets', { count: o.mine }), total: o.total, percent: pct(L, o.mine / o.total) });
  if (o.winners <= 1) return share;
  const key = o.exact ? 'contests:odds.exact' : 'contests:odds.approx';
  return `${share} · ${L.t(key, { count: o.winners, percent: pct(L, o.chance) })}`;
}

export const enteredReply = (L: Lang, r: { contest: ContestCard; odds: Odds; tally: Tally }): Reply => ({
  text: [
    L.t('contests:entered', { id: r.contest.id, prize: r.contest.prize, entries: L.t('contests:tickets', { count: r.odds.mine }), endsAt: new Date(r.contest.endsAt) }),
    oddsText(L, r.odds),
    tallyText(L, r.tally),
  ].join('\n'),
  ephemeral: true,
});

export function listReply(L: Lang, open: (ContestCard & { entries: number; mine: boolean })[], now: Date, platform?: Platform): Reply {
  if (!open.length) return { text: L.t('contests:list.empty') };
  return {
    text: [L.t('contests:list.title'), ...open.map((c) => L.t('contests:list.row', {
      id: c.id, prize: c.prize,
      winners: L.t('contests:winners', { count: c.winnersCount }),
      left: L.duration(c.endsAt.getTime() - now.getTime()),
      entries: L.t('contests:entries', { count: c.entries }),
      mine: c.mine ? L.t('contests:list.mine') : '',
      requirements: requirementsText(L, c, platform),
    }))].join('\n'),
  };
}

export function showReply(L: Lang, d: { contest: ContestCard; platform: Platform; tally: Tally; odds: Odds | null; seed: string | null; winners: Winner[] }): Reply {
  const c = d.contest;
  if (c.status === 'open') {
    const card = contestCard(L, c, d.platform, d.tally);
    const mine = d.odds ? oddsText(L, d.odds) : L.t('contests:odds.notIn');
    return { ...card, text: `${card.text}\n${mine}`, ...(d.odds ? { buttons: undefined } : {}), ephemeral: true };
  }
  const key = c.status === 'cancelled' ? 'contests:show.cancelled' : d.winners.length ? 'contests:show.endedWinners' : 'contests:show.ended';
  const lines = [L.t(key, { id: c.id, prize: c.prize, winners: names(L, d.winners) })];
  if (d.seed) lines.push(L.t('contests:seedRevealed', { seed: d.seed, id: c.id }));
  return { text: lines.join('\n'), ephemeral: true };
}

export const endedReply = (L: Lang, r: { id: number; winners: Winner[] }): Reply => ({
  text: r.winners.length ? L.t('contests:ended', { id: r.id, winners: names(L, r.winners) }) : L.t('contests:endedEmpty', { id: r.id }),
  ephemeral: true,
});

export const rerolledReply = (L: Lang, id: number, winners: Winner[], replaced?: string): Reply => ({
  text: L.t(replaced ? 'contests:rerolledReplacing' : 'contests:rerolled', { id, count: winners.length, winners: names(L, winners), replaced }),
  ephemeral: true,
});

export const cancelledReply = (L: Lang, c: { id: number }): Reply => ({ text: L.t('contests:cancelled', { id: c.id }), ephemeral: true });

export const claimedReply = (L: Lang, r: { id: number; prize: string; prizePoints: number }): Reply => ({
  text: L.t(r.prizePoints ? 'contests:claimedWithPoints' : 'contests:claimed', { id: r.id, prize: r.prize, points: r.prizePoints }),
  ephemeral: true,
});

/** /contest verify: the commitment, the seed once drawn, each round's winners, the recomputation and where to check it yourself. */
export function verifyReply(L: Lang, r: DrawRecord, check: { hashOk: boolean; drawOk: boolean } | null, url: string, mine: number | null = null): Reply {
  const byN = new Map(r.entries.map((e) => [e.n, e]));
  const lines = [
    L.t('contests:verify.title', { id: r.contestId, prize: r.prize }),
    L.t('contests:verify.hash', { hash: r.seedHash ?? '-' }),
    r.seed ? L.t('contests:verify.seed', { seed: r.seed }) : L.t('contests:verify.sealed'),
    L.t('contests:verify.entries', { entrants: L.t('contests:entrants', { count: r.entries.length }), entries: L.t('contests:tickets', { count: r.entries.reduce((s, e) => s + e.weight, 0) }) }),
    ...r.rounds.map((x) => L.t('contests:verify.round', { round: x.round, winners: join(L, x.winners.map((n) => `#${n} ${byN.get(n)?.name ?? '?'}`)) })),
  ];
  if (mine) lines.push(L.t('contests:verify.mine', { n: mine }));
  if (check) lines.push(L.t(check.hashOk && check.drawOk ? 'contests:verify.ok' : 'contests:verify.mismatch'));
  lines.push(L.t('contests:verify.how', { url, algorithm: r.algorithm }));
  return { text: lines.join('\n'), ephemeral: true };
}

const wonText = (L: Lang, n: Notice<'contest.won'>) => {
  const lines = [L.t(n.prizePoints ? 'contests:won.titleWithPoints' : 'contests:won.title', { id: n.contestId, prize: n.prize, points: n.prizePoints })];
  lines.push(n.claimBy ? L.t('contests:won.claim', { claimBy: new Date(n.claimBy), id: n.contestId }) : L.t('contests:won.noClaim'));
  return lines.join('\n');
};

/** Notices: words for what the contests service announces. */
export const contestNotices = {
  'contest.card': (L: Lang, n: Notice<'contest.card'>) => contestCard(L, n.contest, n.platform, n.tally),
  'contest.ended': (L: Lang, n: Notice<'contest.ended'>): Reply => ({
    text: [
      L.t('contests:post.ended', {
        id: n.contestId, prize: n.prize, count: n.winners.length, winners: mentions(L, n.winners, n.platform), entries: L.t('contests:entries', { count: n.entries }),
      }),
      ...(n.claimBy ? [L.t('contests:post.claimBy', { claimBy: new Date(n.claimBy) })] : []),
      ...(n.seed ? [L.t('contests:seedRevealed', { seed: n.seed, id: n.contestId })] : []),
    ].join('\n'),
  }),
  'contest.noEntries': (L: Lang, n: Notice<'contest.noEntries'>): Reply => ({ text: L.t('contests:post.noEntries', { id: n.contestId, prize: n.prize }) }),
  'contest.rerolled': (L: Lang, n: Notice<'contest.rerolled'>): Reply => ({
    text: L.t('contests:post.rerolled', { id: n.contestId, prize: n.prize, count: n.winners.length, winners: mentions(L, n.winners, n.platform) }),
  }),
  'contest.unclaimed': (L: Lang, n: Notice<'contest.unclaimed'>): Reply => ({
    text: L.t(n.winners.length ? 'contests:post.unclaimed' : 'contests:post.unclaimedNobody', {
      id: n.contestId, prize: n.prize, count: n.winners.length, expired: join(L, n.expired), winners: mentions(L, n.winners, n.platform),
    }),
  }),
  'contest.cancelled': (L: Lang, n: Notice<'contest.cancelled'>): Reply => ({ text: L.t('contests:post.cancelled', { id: n.contestId, prize: n.prize }) }),
  'contest.won': (L: Lang, n: Notice<'contest.won'>): Reply => ({
    text: wonText(L, n),
    ...(n.claimBy ? { buttons: [[{ label: L.t('contests:won.claimButton'), command: 'contest claim', args: { contest: n.contestId }, style: 'success' as const }]] } : {}),
  }),
};
