import type { Lang } from '../../i18n/index.js';
import type { Reply } from '../../core/types.js';
import type { NoticeRenderers } from '../notices.js';
import type { InviteStanding, InviteStats } from './service.js';

const medal = (r: number) => (r === 1 ? '🥇' : r === 2 ? '🥈' : r === 3 ? '🥉' : `${r}.`);

/** A member's invites: how many joined with them, how many are still here, left, or were too-new accounts. */
export function inviteStatsReply(L: Lang, who: { name: string; self: boolean }, s: InviteStats): Reply {
  if (!s.total) return { text: L.t(who.self ? 'invites:stats.noneSelf' : 'invites:stats.none', { name: who.name }), ephemeral: true };
  return {
    text: [
      L.t(who.self ? 'invites:stats.titleSelf' : 'invites:stats.title', { name: who.name }),
      L.t('invites:stats.counts', { total: s.total, real: s.real, left: s.left, fake: s.fake }),
    ].join('\n'),
    ephemeral: true,
  };
}

/** The board of members by real invites (still here, not fake). */
export function inviteBoardReply(L: Lang, top: InviteStanding[]): Reply {
  if (!top.length) return { text: L.t('invites:board.empty') };
  return {
    text: [L.t('invites:board.title'), ...top.map((r) => L.t('invites:board.row', { medal: medal(r.rank), name: r.displayName, count: r.invites }))].join('\n'),
  };
}

/** Notices of this feature, keyed by type (presence announces nothing itself; referrals tell people). */
export const presenceNotices: NoticeRenderers = {};
