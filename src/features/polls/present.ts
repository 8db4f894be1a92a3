import type { Lang } from '../../i18n/index.js';
import type { Button, ButtonStyle, Reply } from '../../core/types.js';
import type { Repeat } from '../../core/time.js';
import { category, type NpsSummary } from './nps.js';
import type { PollCard, PollNotice, TrendPoint } from './service.js';

type Notice<T extends PollNotice['type']> = Extract<PollNotice, { type: T }>;

const scoreStyle = (s: number): ButtonStyle => (s >= 9 ? 'success' : s >= 7 ? 'secondary' : 'danger');

/** The card posted in the channel: the question, the scale, when it closes and one button per score 0–10. */
export function pollCard(L: Lang, p: PollCard): Reply {
  const btn = (s: number): Button => ({ label: L.num(s), command: 'poll answer', args: { poll: p.id, score: s }, style: scoreStyle(s) });
  return {
    text: [
      L.t('polls:card.title', { id: p.id, question: p.question }),
      L.t('polls:card.scale', { closesAt: new Date(p.closesAt) }),
      L.t('polls:card.how', { id: p.id }),
    ].join('\n'),
    buttons: [[0, 1, 2, 3, 4, 5].map(btn), [6, 7, 8, 9, 10].map(btn)],
  };
}

export function createdReply(L: Lang, p: { id: number; status: string; opensAt: Date; closesAt: Date; repeat: string }): Reply {
  const repeating = p.repeat !== 'none';
  const key = `polls:created.${p.status === 'open' ? 'open' : 'scheduled'}${repeating ? 'Repeating' : ''}`;
  return { text: L.t(key, { id: p.id, opensAt: p.opensAt, closesAt: p.closesAt, repeat: repeating ? L.t(`polls:repeat.${p.repeat}`) : '' }), ephemeral: true };
}

/** The comment button opens a form; text platforms ask for the comment inline. */
function commentButton(L: Lang, pollId: number): Button[][] {
  return [[{
    label: L.t('polls:answer.commentButton'), command: 'poll comment', args: { poll: pollId }, style: 'secondary',
    form: {
      title: L.t('polls:answer.formTitle', { id: pollId }), command: 'poll comment', args: { poll: pollId },
      fields: [{ name: 'comment', label: L.t('polls:answer.commentLabel'), long: true, maxLength: 1000 }],
    },
  }]];
}

/** Thanks for the score; without a comment, asks the follow-up question that fits the score. */
export function answeredReply(L: Lang, r: { pollId: number; score: number; changed: boolean; previous?: number; commented: boolean }): Reply {
  const text = r.changed
    ? L.t('polls:answer.updated', { id: r.pollId, previous: r.previous, score: r.score })
    : L.t('polls:answer.thanks', { id: r.pollId, score: r.score });
  if (r.commented) return { text: `${text} ${L.t('polls:answer.commentSaved')}`, ephemeral: true };
  const ask = L.t(`polls:answer.ask.${category(r.score)}`);
  return { text: `${text} ${ask} ${L.t('polls:answer.addComment', { id: r.pollId })}`, ephemeral: true, buttons: commentButton(L, r.pollId) };
}

export const commentedReply = (L: Lang, r: { pollId: number }): Reply => ({ text: L.t('polls:commented', { id: r.pollId }), ephemeral: true });

export function listReply(L: Lang, polls: { id: number; question: string; status: 'open' | 'scheduled'; opensAt: Date; closesAt: Date; repeat: Repeat; answered: boolean }[], now: Date): Reply {
  if (!polls.length) return { text: L.t('polls:list.empty') };
  const row = (p: (typeof polls)[number]) => (p.status === 'open'
    ? L.t('polls:list.open', { id: p.id, question: p.question, left: L.duration(p.closesAt.getTime() - now.getTime()) }) + (p.answered ? L.t('polls:list.answered') : '')
    : p.repeat !== 'none'
      ? L.t('polls:list.scheduledRepeating', { id: p.id, question: p.question, opensAt: p.opensAt, repeat: L.t(`polls:repeat.${p.repeat}`) })
      : L.t('polls:list.scheduled', { id: p.id, question: p.question, opensAt: p.opensAt }));
  return { text: [L.t('polls:list.title'), ...polls.map(row)].join('\n') };
}

const signed = (L: Lang, n: number | null) => (n === null ? L.t('polls:results.noScore') : `${n > 0 ? '+' : ''}${L.num(n)}`);

function trendLine(L: Lang, trend: TrendPoint[]): string | null {
  if (trend.length < 2) return null;
  const runs = trend.map((t) => L.t('polls:results.trendRun', { day: L.day(new Date(t.opensAt)), nps: signed(L, t.nps), count: t.responses }));
  return L.t('polls:results.trend', { runs: runs.join(' → ') });
}

/**
 * NPS, the promoter/passive/detractor breakdown and the trend of a series; moderators also see up to
 * `maxComments` recent comments (the closing post in the channel shows none).
 */
export function resultsReply(L: Lang, p: { id: number; question: string; status: string }, s: NpsSummary, trend: TrendPoint[], comments: { score: number; comment: string }[] = [], maxComments = 0): Reply {
  const status = L.t(`polls:status.${p.status}`);
  const t = trendLine(L, trend);
  if (!s.responses) return { text: [L.t('polls:results.empty', { id: p.id, question: p.question, status }), ...(t ? [t] : [])].join('\n') };
  const pct = (n: number) => Math.round((n / s.responses) * 100);
  const lines = [
    L.t('polls:results.title', { id: p.id, question: p.question, status }),
    L.t('polls:results.nps', { nps: signed(L, s.nps), count: s.responses, average: s.average }),
    L.t('polls:results.breakdown', {
      promoters: s.promoters, promotersPct: pct(s.promoters), passives: s.passives, passivesPct: pct(s.passives), detractors: s.detractors, detractorsPct: pct(s.detractors),
    }),
  ];
  if (t) lines.push(t);
  const shown = comments.slice(0, maxComments);
  if (shown.length) {
    lines.push(L.t('polls:results.comments'));
    for (const c of shown) lines.push(L.t('polls:results.comment', { score: c.score, category: L.t(`polls:category.${category(c.score)}`), comment: c.comment }));
  }
  return { text: lines.join('\n') };
}

export const closedReply = (L: Lang, r: { id: number }): Reply => ({ text: L.t('polls:closed', { id: r.id }), ephemeral: true });

/** Notices: words for what the polls service announces. */
export const pollNotices = {
  'poll.card': (L: Lang, n: Notice<'poll.card'>) => pollCard(L, n.poll),
  'poll.results': (L: Lang, n: Notice<'poll.results'>) => resultsReply(L, { ...n.poll, status: 'closed' }, n.summary, n.trend),
  /** A moderator's reply (from the dashboard's follow-up queue) to the member's answer, by direct message. */
  'poll.followUp': (L: Lang, n: Notice<'poll.followUp'>): Reply => ({ text: L.t('polls:followUp.dm', { community: n.community, question: n.question, text: n.text }) }),
};
