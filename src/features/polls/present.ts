import type { Lang } from '../../i18n/index.js';
import type { Button, ButtonStyle, Reply } from '../../core/types.js';
import type { Repeat } from '../../core/time.js';
import { category, type NpsSummary } from './nps.js';
import { tierName } from '../points/present.js';
import type { AnswerExtras, PollCard, PollNotice, TrendPoint, VoteOutcome } from './service.js';
import { percent, YESNO, type ChoiceSummary, type PollKind } from './choices.js';
import type { PromoterOffer } from './advocacy.js';
import type { NpsSegments } from './segments.js';

type Notice<T extends PollNotice['type']> = Extract<PollNotice, { type: T }>;

const scoreStyle = (s: number): ButtonStyle => (s >= 9 ? 'success' : s >= 7 ? 'secondary' : 'danger');

/** An option as the reader reads it: Yes/No in their language, labels as typed. */
export const optionLabel = (L: Lang, kind: PollKind | undefined, label: string) => (kind === 'yesno' && YESNO.includes(label) ? L.t(`polls:yesno.${label}`) : label);

/** Buttons in rows of at most five (Discord's limit per row). */
const rows = (buttons: Button[]): Button[][] => Array.from({ length: Math.ceil(buttons.length / 5) }, (_, i) => buttons.slice(i * 5, i * 5 + 5));

/** What answering looks like: one button per option (or a multi select menu with toggle buttons as fallback), emoji reactions. */
function answerControls(L: Lang, p: PollCard): Pick<Reply, 'buttons' | 'selects' | 'reactions'> {
  const kind = p.kind ?? 'nps';
  if (kind === 'nps') {
    const btn = (s: number): Button => ({ label: L.num(s), command: 'poll answer', args: { poll: p.id, score: s }, style: scoreStyle(s) });
    return { buttons: [[0, 1, 2, 3, 4, 5].map(btn), [6, 7, 8, 9, 10].map(btn)] };
  }
  const options = p.options ?? [];
  const label = (l: string, i: number) => (kind === 'emoji' ? l : `${L.num(i + 1)}. ${optionLabel(L, kind, l)}`);
  const vote = (mode: 'set' | 'toggle') => options.map((l, i): Button => ({
    label: label(l, i), command: 'poll vote', args: { poll: p.id, option: kind === 'emoji' ? l : String(i + 1), mode }, style: 'secondary',
  }));
  if (kind === 'multi') {
    return {
      selects: [{
        placeholder: L.t('polls:card.pick'), command: 'poll vote', args: { poll: p.id, mode: 'set' }, name: 'option',
        options: options.map((l, i) => ({ label: l, value: String(i + 1) })), min: 1, max: options.length, fallback: rows(vote('toggle')),
      }],
    };
  }
  // Reactions are public on every platform: an anonymous emoji poll is answered with its buttons only.
  return { buttons: rows(vote('set')), ...(kind === 'emoji' && !p.anonymous ? { reactions: [...options] } : {}) };
}

/** The lines under the question: how to answer, when it closes, anonymity and points. */
function cardLines(L: Lang, p: PollCard): string[] {
  const kind = p.kind ?? 'nps';
  const lines = kind === 'nps'
    ? [L.t('polls:card.scale', { closesAt: new Date(p.closesAt) }), L.t('polls:card.how', { id: p.id })]
    : [
      ...(kind === 'emoji' ? [] : (p.options ?? []).map((l, i) => L.t('polls:card.option', { n: i + 1, label: optionLabel(L, kind, l) }))),
      L.t(`polls:card.howChoice.${kind}`, { id: p.id, closesAt: new Date(p.closesAt) }),
    ];
  if (p.anonymous) lines.push(L.t('polls:card.anonymous'));
  if (p.points) lines.push(L.t('polls:card.points', { count: p.points }));
  return lines;
}

/** The card posted in the channel: the question, how to answer and when it closes, and the answer controls. */
export function pollCard(L: Lang, p: PollCard): Reply {
  return { text: [L.t('polls:card.title', { id: p.id, question: p.question }), ...cardLines(L, p)].join('\n'), ...answerControls(L, p) };
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

/** A promoter's offer: their referral code and what it pays both sides, an open challenge with a button to it. */
function offerParts(L: Lang, o: PromoterOffer | null): { lines: string[]; buttons: Button[][] } {
  if (!o) return { lines: [], buttons: [] };
  const lines = [L.t('polls:advocacy.intro')];
  if (o.referral) {
    lines.push(L.t('referrals:code.yours', { code: o.referral.code }));
    lines.push(L.t('referrals:code.how', { code: o.referral.code, refereeReward: o.referral.refereeReward, referrerReward: o.referral.referrerReward }));
  }
  const buttons: Button[][] = [];
  if (o.challenge) {
    lines.push(L.t('polls:advocacy.challenge', { id: o.challenge.id, title: o.challenge.title, count: o.challenge.reward, deadline: new Date(o.challenge.deadline) }));
    buttons.push([{ label: L.t('polls:advocacy.challengeButton', { id: o.challenge.id }), command: 'challenge show', args: { challenge: o.challenge.id }, style: 'primary' }]);
  }
  return { lines, buttons };
}

const pointsLine = (L: Lang, points: number, atClose = 0) => (points
  ? [L.t('polls:answer.points', { count: points })]
  : atClose ? [L.t('polls:answer.pointsAtClose', { count: atClose })] : []);

/**
 * Thanks for the score; without a comment, asks the follow-up question that fits the score. Promoters are
 * offered their referral code and a challenge; a detractor is told a moderator may follow up.
 */
export function answeredReply(L: Lang, r: { pollId: number; score: number; changed: boolean; previous?: number; commented: boolean } & Partial<AnswerExtras>): Reply {
  // An anonymous answer's reply never repeats the answer: replies are kept for redelivery protection.
  const head = r.anonymous
    ? L.t('polls:answer.anonymous', { id: r.pollId })
    : r.changed
      ? L.t('polls:answer.updated', { id: r.pollId, previous: r.previous, score: r.score })
      : L.t('polls:answer.thanks', { id: r.pollId, score: r.score });
  const offer = offerParts(L, r.offer ?? null);
  const extra = [...pointsLine(L, r.points ?? 0, r.pointsAtClose), ...offer.lines];
  const more = extra.length ? `\n${extra.join('\n')}` : '';
  if (r.commented) return { text: `${head} ${L.t('polls:answer.commentSaved')}${more}`, ephemeral: true, ...(offer.buttons.length ? { buttons: offer.buttons } : {}) };
  const ask = L.t(`polls:answer.ask.${r.anonymous ? 'anonymous' : category(r.score)}`) + (r.followUp ? ` ${L.t('polls:answer.followUp')}` : '');
  return { text: `${head} ${ask} ${L.t('polls:answer.addComment', { id: r.pollId })}${more}`, ephemeral: true, buttons: [...commentButton(L, r.pollId), ...offer.buttons] };
}

/** What a vote on a choice poll did: the member's choices now (or that they cleared them), points paid. */
export function votedReply(L: Lang, r: VoteOutcome): Reply {
  const names = (xs: number[]) => xs.map((i) => optionLabel(L, r.kind, r.options[i] ?? '?')).join(', ');
  const head = r.anonymous
    ? L.t('polls:vote.anonymous', { id: r.pollId })
    : !r.choices.length
      ? L.t('polls:vote.cleared', { id: r.pollId })
      : r.changed
        ? L.t('polls:vote.changed', { id: r.pollId, previous: names(r.previous), choices: names(r.choices) })
        : L.t('polls:vote.thanks', { id: r.pollId, choices: names(r.choices) });
  return { text: [head, ...pointsLine(L, r.points, r.pointsAtClose)].join('\n'), ephemeral: true };
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
export function resultsReply(L: Lang, p: { id: number; question: string; status: string; anonymous?: boolean }, s: NpsSummary, trend: TrendPoint[], comments: { score: number | null; comment: string }[] = [], maxComments = 0): Reply {
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
  if (p.anonymous && maxComments) lines.push(L.t('polls:results.anonymousNote'));
  const shown = comments.slice(0, maxComments);
  if (shown.length) {
    lines.push(L.t('polls:results.comments'));
    for (const c of shown) {
      lines.push(c.score === null
        ? L.t('polls:results.commentNoScore', { comment: c.comment })
        : L.t('polls:results.comment', { score: c.score, category: L.t(`polls:category.${category(c.score)}`), comment: c.comment }));
    }
  }
  return { text: lines.join('\n') };
}

/** A choice poll's counts: each option's votes and share of the members who answered (a bar for the eye). */
export function choiceResultsReply(L: Lang, p: { id: number; question: string; status: string; kind: PollKind; options: string[]; anonymous: boolean }, s: ChoiceSummary): Reply {
  const status = L.t(`polls:status.${p.status}`);
  if (!s.voters) return { text: L.t('polls:results.empty', { id: p.id, question: p.question, status }) };
  const bar = (pct: number) => '█'.repeat(Math.round(pct / 10)) + '░'.repeat(10 - Math.round(pct / 10));
  const lines = [
    L.t('polls:results.title', { id: p.id, question: p.question, status }),
    L.t(p.kind === 'multi' ? 'polls:results.votersMulti' : 'polls:results.voters', { count: s.voters }),
    ...p.options.map((o, i) => {
      const pct = percent(s.counts[i] ?? 0, s.voters);
      return L.t('polls:results.option', { label: optionLabel(L, p.kind, o), bar: bar(pct), count: s.counts[i] ?? 0, pct });
    }),
  ];
  if (p.anonymous) lines.push(L.t('polls:results.anonymous'));
  return { text: lines.join('\n') };
}

/** `poll report`: one run's NPS by referral source and by tier (segments.ts). */
export function reportReply(L: Lang, p: { id: number; question: string; status: string }, seg: NpsSegments): Reply {
  const row = (label: string, s: NpsSummary) => L.t('polls:report.row', { label, nps: signed(L, s.nps), count: s.responses });
  const lines = [L.t('polls:report.title', { id: p.id, question: p.question, status: L.t(`polls:status.${p.status}`) })];
  if (!seg.source.length) return { text: [...lines, L.t('polls:report.empty')].join('\n'), ephemeral: true };
  lines.push(L.t('polls:report.bySource'), ...seg.source.map((r) => row(L.t(`polls:report.source.${r.key}`), r.summary)));
  lines.push(L.t('polls:report.byTier'), ...seg.tier.map((r) => row(tierName(L, r.key), r.summary)));
  return { text: lines.join('\n'), ephemeral: true };
}

/** A reminder by direct message: the question, time left and how to answer (buttons only where they reach the community). */
function reminderReply(L: Lang, n: Notice<'poll.reminder'>): Reply {
  const card: PollCard = { id: n.poll.id, question: n.poll.question, closesAt: n.poll.closesAt, kind: n.poll.kind, options: n.poll.options, anonymous: n.poll.anonymous, points: n.poll.points };
  const how = n.poll.kind === 'nps' ? L.t('polls:reminder.howNps', { id: n.poll.id }) : L.t('polls:reminder.howChoice', { id: n.poll.id });
  const lines = [
    L.t('polls:reminder.title', { community: n.community, left: L.duration(n.leftMs) }),
    L.t('polls:card.title', { id: n.poll.id, question: n.poll.question }),
    ...(n.poll.kind !== 'nps' && n.poll.kind !== 'emoji' ? n.poll.options.map((l, i) => L.t('polls:card.option', { n: i + 1, label: optionLabel(L, n.poll.kind, l) })) : []),
    n.buttons ? L.t('polls:reminder.buttons') : L.t('polls:reminder.inCommunity', { community: n.community }),
    how,
    ...(n.poll.anonymous ? [L.t('polls:card.anonymous')] : []),
    ...(n.poll.points ? [L.t('polls:card.points', { count: n.poll.points })] : []),
  ];
  const controls = n.buttons ? answerControls(L, card) : {};
  return { text: lines.join('\n'), ...(controls.buttons ? { buttons: controls.buttons } : {}), ...(controls.selects ? { selects: controls.selects } : {}) };
}

export const closedReply = (L: Lang, r: { id: number }): Reply => ({ text: L.t('polls:closed', { id: r.id }), ephemeral: true });

/** Notices: words for what the polls service announces. */
export const pollNotices = {
  'poll.card': (L: Lang, n: Notice<'poll.card'>) => pollCard(L, n.poll),
  'poll.results': (L: Lang, n: Notice<'poll.results'>) => resultsReply(L, { ...n.poll, status: 'closed' }, n.summary, n.trend),
  'poll.choiceResults': (L: Lang, n: Notice<'poll.choiceResults'>) => choiceResultsReply(L, { ...n.poll, status: 'closed' }, n.summary),
  'poll.reminder': reminderReply,
  /** A moderator's reply (from the dashboard's follow-up queue) to the member's answer, by direct message. */
  'poll.followUp': (L: Lang, n: Notice<'poll.followUp'>): Reply => ({ text: L.t('polls:followUp.dm', { community: n.community, question: n.question, text: n.text }) }),
};
