import type { Lang } from '../../i18n/index.js';
import { medal } from '../points/present.js';
import type { Button, Form, Reply } from '../../core/types.js';
import type { NoticeRenderers } from '../notices.js';
import { REASON_MAX } from './rules.js';
import type { Allowance, Thanked, ThanksNotice, ThanksRules, ThanksStanding } from './service.js';

/** The thanks form: a modal on Discord and Slack, asked field by field on Telegram and the console. */
export const thanksForm = (L: Lang): Form => ({
  title: L.t('thanks:form.title'),
  command: 'thanks',
  args: {},
  fields: [
    { name: 'member', label: L.t('thanks:form.member'), required: true, maxLength: 100 },
    { name: 'points', label: L.t('thanks:form.points'), required: false, maxLength: 4 },
    { name: 'reason', label: L.t('thanks:form.reason'), long: true, required: true, maxLength: REASON_MAX },
  ],
});

export const formReply = (L: Lang): Reply => ({ text: L.t('thanks:form.title'), ephemeral: true, form: thanksForm(L) });

const againButton = (L: Lang): Button => ({ label: L.t('thanks:again'), command: 'thanks', args: {}, style: 'secondary', form: thanksForm(L) });

/** Public, in the channel (like HeyTaco): everyone sees who was thanked and why. */
export const thankedReply = (L: Lang, t: Thanked): Reply => ({
  text: L.t('thanks:given', { giver: t.giverName, receiver: t.receiverName, points: t.points, reason: t.reason }),
  buttons: [[againButton(L)]],
});

export function leftReply(L: Lang, a: Allowance): Reply {
  const first = a.left > 0
    ? L.t('thanks:left.some', { count: a.left, daily: a.daily, at: a.resetsAt })
    : L.t('thanks:left.none', { daily: a.daily, at: a.resetsAt });
  return { text: [first, L.t('thanks:left.how')].join('\n'), ephemeral: true };
}

export function topReply(L: Lang, top: ThanksStanding[], mine: { points: number; count: number }): Reply {
  if (!top.length) return { text: L.t('thanks:top.empty'), ephemeral: true };
  const lines = [L.t('thanks:top.title'), ...top.map((s) => L.t('thanks:top.line', { rank: medal(s.rank), name: s.displayName, points: s.points, count: s.count }))];
  lines.push('', mine.count ? L.t('thanks:top.you', { points: mine.points, count: mine.count }) : L.t('thanks:top.youNone'));
  return { text: lines.join('\n'), ephemeral: true };
}

export const rulesReply = (L: Lang, r: ThanksRules): Reply => ({
  text: [
    L.t('thanks:rules.title'),
    L.t('thanks:rules.daily', { count: r.daily }),
    L.t('thanks:rules.pair', { count: r.pairWeekly }),
    L.t('thanks:rules.max', { count: r.max }),
  ].join('\n'),
  ephemeral: true,
});

/** Notices: the receiver's direct message, in their language. */
export const thanksNotices: NoticeRenderers = {
  'thanks.received': (L: Lang, n: ThanksNotice): Reply => ({
    text: [
      L.t('thanks:received.text', { giver: n.giver, community: n.community, count: n.points, reason: n.reason }),
      L.t('thanks:received.balance', { balance: n.balance }),
    ].join('\n'),
  }),
};
