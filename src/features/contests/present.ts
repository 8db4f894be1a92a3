import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { ContestCard, ContestNotice, ContestStatus, Winner } from './service.js';

type Notice<T extends ContestNotice['type']> = Extract<ContestNotice, { type: T }>;

const join = (L: Lang, items: string[]) => items.join(L.t('contests:separator'));

/** A winner as people on `platform` see them: a mention where the adapter turns `<@id>` into one, else the name. */
const mention = (w: Winner, platform: string) => (w.userId && (platform === 'discord' || platform === 'slack') ? `<@${w.userId}>` : w.name);

const names = (L: Lang, winners: Winner[]) => join(L, winners.map((w) => w.name));
const mentions = (L: Lang, winners: Winner[], platform: string) => join(L, winners.map((w) => mention(w, platform)));

/** Who may enter: "Requirements: ..." or "Open to everyone". */
export function requirementsText(L: Lang, c: { minPoints: number; minMemberDays: number }): string {
  const req: string[] = [];
  if (c.minPoints > 0) req.push(L.t('contests:requirements.minPoints', { min: c.minPoints }));
  if (c.minMemberDays > 0) req.push(L.t('contests:requirements.minDays', { min: c.minMemberDays }));
  return req.length ? L.t('contests:requirements.some', { list: join(L, req) }) : L.t('contests:requirements.none');
}

/** The card posted in the channel: prize, winners, end, requirements and an Enter button. */
export function contestCard(L: Lang, c: ContestCard): Reply {
  return {
    text: [
      L.t(c.prizePoints ? 'contests:card.titleWithPoints' : 'contests:card.title', { id: c.id, prize: c.prize, points: c.prizePoints }),
      L.t('contests:card.terms', { count: c.winnersCount, endsAt: new Date(c.endsAt) }),
      requirementsText(L, c),
      L.t('contests:card.how', { id: c.id }),
    ].join('\n'),
    buttons: [[{ label: L.t('contests:card.enter'), command: 'contest enter', args: { contest: c.id }, style: 'success' }]],
  };
}

export const createdReply = (L: Lang, c: { id: number; prize: string; endsAt: Date }): Reply =>
  ({ text: L.t('contests:created', { id: c.id, prize: c.prize, endsAt: c.endsAt }), ephemeral: true });

export const enteredReply = (L: Lang, c: { id: number; prize: string; endsAt: Date }, entries: number): Reply =>
  ({ text: L.t('contests:entered', { id: c.id, prize: c.prize, entries: L.t('contests:entries', { count: entries }), endsAt: c.endsAt }), ephemeral: true });

export function listReply(L: Lang, open: (ContestCard & { entries: number; mine: boolean })[], now: Date): Reply {
  if (!open.length) return { text: L.t('contests:list.empty') };
  return {
    text: [L.t('contests:list.title'), ...open.map((c) => L.t('contests:list.row', {
      id: c.id, prize: c.prize,
      winners: L.t('contests:winners', { count: c.winnersCount }),
      left: L.duration(c.endsAt.getTime() - now.getTime()),
      entries: L.t('contests:entries', { count: c.entries }),
      mine: c.mine ? L.t('contests:list.mine') : '',
      requirements: requirementsText(L, c),
    }))].join('\n'),
  };
}

export function showReply(L: Lang, d: { contest: ContestCard & { status: ContestStatus }; winners: Winner[] }): Reply {
  const c = d.contest;
  if (c.status === 'open') return { ...contestCard(L, c), ephemeral: true };
  const key = c.status === 'cancelled' ? 'contests:show.cancelled' : d.winners.length ? 'contests:show.endedWinners' : 'contests:show.ended';
  return { text: L.t(key, { id: c.id, prize: c.prize, winners: names(L, d.winners) }), ephemeral: true };
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

/** Notices: words for what the contests service announces. */
export const contestNotices = {
  'contest.card': (L: Lang, n: Notice<'contest.card'>) => contestCard(L, n.contest),
  'contest.ended': (L: Lang, n: Notice<'contest.ended'>): Reply => ({
    text: L.t('contests:post.ended', {
      id: n.contestId, prize: n.prize, count: n.winners.length, winners: mentions(L, n.winners, n.platform), entries: L.t('contests:entries', { count: n.entries }),
    }),
  }),
  'contest.noEntries': (L: Lang, n: Notice<'contest.noEntries'>): Reply => ({ text: L.t('contests:post.noEntries', { id: n.contestId, prize: n.prize }) }),
  'contest.rerolled': (L: Lang, n: Notice<'contest.rerolled'>): Reply => ({
    text: L.t('contests:post.rerolled', { id: n.contestId, prize: n.prize, count: n.winners.length, winners: mentions(L, n.winners, n.platform) }),
  }),
  'contest.cancelled': (L: Lang, n: Notice<'contest.cancelled'>): Reply => ({ text: L.t('contests:post.cancelled', { id: n.contestId, prize: n.prize }) }),
};
