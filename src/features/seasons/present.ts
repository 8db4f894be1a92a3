import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { Standing } from '../points/service.js';
import type { NoticeRenderers } from '../notices.js';
import type { Placed, PrizeView, SeasonNotice, SeasonView } from './service.js';

type Notice<T extends SeasonNotice['type']> = Extract<SeasonNotice, { type: T }>;

const medal = (r: number) => (r === 1 ? '🥇' : r === 2 ? '🥈' : r === 3 ? '🥉' : `${r}.`);

/** "500 points" or the reward's name. */
const prizeText = (L: Lang, p: PrizeView) => ('points' in p ? L.t('seasons:prize.points', { count: p.points }) : L.t('seasons:prize.reward', { name: p.reward }));

/** "Prizes: 🥇 500 points · 🥈 300 points · 🥉 Hoodie" or "No prizes". */
const prizesLine = (L: Lang, prizes: PrizeView[]) => (prizes.length
  ? L.t('seasons:prizes', { list: prizes.map((p) => `${medal(p.rank)} ${prizeText(L, p)}`).join(L.t('seasons:separator')) })
  : L.t('seasons:noPrizes'));

/** Notices carry dates as text once stored: read them back as dates. */
const when = (d: Date | string) => new Date(d);

const statusText = (L: Lang, s: SeasonView) => L.t(`seasons:status.${s.status}`, { startsAt: when(s.startsAt), endsAt: when(s.endsAt) });

export const createdReply = (L: Lang, s: SeasonView): Reply => ({
  text: L.t(s.status === 'running' ? 'seasons:created.running' : 'seasons:created.scheduled', { id: s.id, name: s.name, startsAt: s.startsAt, endsAt: s.endsAt }),
  ephemeral: true,
});

export function listReply(L: Lang, seasons: SeasonView[]): Reply {
  if (!seasons.length) return { text: L.t('seasons:list.empty'), ephemeral: true };
  return {
    text: [L.t('seasons:list.title'), ...seasons.map((s) => L.t('seasons:list.row', { id: s.id, name: s.name, status: statusText(L, s) }))].join('\n'),
    ephemeral: true,
  };
}

export function showReply(L: Lang, d: { season: SeasonView; top: Standing[]; mine: { points: number; rank: number | null } }): Reply {
  const s = d.season;
  const lines = [L.t('seasons:show.title', { id: s.id, name: s.name }), statusText(L, s), prizesLine(L, s.prizes)];
  if (!d.top.length) lines.push(L.t('seasons:show.empty'));
  else lines.push(...d.top.map((r) => `${medal(r.rank)} ${r.displayName}: ${L.num(r.points)}`));
  lines.push(d.mine.rank ? L.t('seasons:show.you', { rank: d.mine.rank, points: d.mine.points }) : L.t('seasons:show.youNot'));
  return { text: lines.join('\n'), ephemeral: true };
}

export const cancelledReply = (L: Lang, s: SeasonView): Reply => ({ text: L.t('seasons:cancelled', { id: s.id, name: s.name }), ephemeral: true });

export const hereReply = (L: Lang, r: { season: SeasonView; added: boolean }): Reply => ({
  text: L.t(r.added ? 'seasons:here.added' : 'seasons:here.already', { id: r.season.id, name: r.season.name }),
  ephemeral: true,
});

/** A place in a recap: a mention where the adapter turns `<@id>` into one, else the name. */
const who = (p: Placed, platform: string) => (p.userId && (platform === 'discord' || platform === 'slack') ? `<@${p.userId}>` : p.name);

/** Notices: words for what the seasons service announces. */
export const seasonsNotices: NoticeRenderers = {
  'season.started': (L: Lang, n: Notice<'season.started'>): Reply => ({
    text: [
      L.t('seasons:post.started', { id: n.season.id, name: n.season.name }),
      L.t('seasons:post.until', { endsAt: when(n.season.endsAt) }),
      prizesLine(L, n.season.prizes),
      L.t('seasons:post.how', { id: n.season.id }),
    ].join('\n'),
  }),
  'season.ended': (L: Lang, n: Notice<'season.ended'>): Reply => ({
    text: n.placed.length
      ? [
        L.t('seasons:post.ended', { id: n.seasonId, name: n.name }),
        ...n.placed.map((p) => L.t(p.prize ? 'seasons:post.placeWithPrize' : 'seasons:post.place', {
          medal: medal(p.rank), name: who(p, n.platform), points: p.points, prize: p.prize ? prizeText(L, p.prize) : '',
        })),
        L.t('seasons:post.thanks'),
      ].join('\n')
      : L.t('seasons:post.endedEmpty', { id: n.seasonId, name: n.name }),
  }),
  'season.cancelled': (L: Lang, n: Notice<'season.cancelled'>): Reply => ({ text: L.t('seasons:post.cancelled', { id: n.seasonId, name: n.name }) }),
};
