import type { Lang } from '../../i18n/index.js';
import type { Button, Reply } from '../../core/types.js';
import type { ChallengeCard, ChallengeNotice } from './service.js';

type Notice<T extends ChallengeNotice['type']> = Extract<ChallengeNotice, { type: T }>;

/** The card posted in the channel: what to do, reward, deadline and a button that opens the proof form. */
export function challengeCard(L: Lang, c: ChallengeCard): Reply {
  const deadline = new Date(c.deadline);
  return {
    text: [
      L.t('challenges:card.title', { id: c.id, title: c.title }),
      ...(c.description ? [c.description] : []),
      L.t('challenges:card.terms', { reward: c.reward, deadline }),
      L.t('challenges:card.how', { id: c.id }),
    ].join('\n'),
    buttons: [[{
      label: L.t('challenges:card.submit'), command: 'challenge submit', args: { challenge: c.id }, style: 'primary',
      form: {
        title: L.t('challenges:card.formTitle', { id: c.id }), command: 'challenge submit', args: { challenge: c.id },
        fields: [{ name: 'proof', label: L.t('challenges:card.proofLabel'), long: true, maxLength: 1000 }],
      },
    }]],
  };
}

export const createdReply = (L: Lang, ch: { id: number; title: string; deadline: Date }, now: Date): Reply =>
  ({ text: L.t('challenges:created', { id: ch.id, title: ch.title, deadline: ch.deadline, left: L.duration(ch.deadline.getTime() - now.getTime()) }), ephemeral: true });

export function listReply(L: Lang, open: { id: number; title: string; reward: number; deadline: Date; mine?: string }[], now: Date): Reply {
  if (!open.length) return { text: L.t('challenges:list.empty') };
  return {
    text: [L.t('challenges:list.title'), ...open.map((c) => L.t('challenges:list.row', { id: c.id, title: c.title, reward: c.reward, left: L.duration(c.deadline.getTime() - now.getTime()) })
      + (c.mine ? L.t('challenges:list.mine', { status: L.t(`challenges:status.${c.mine}`) }) : ''))].join('\n'),
  };
}

export const showReply = (L: Lang, ch: ChallengeCard & { status: string }): Reply =>
  ch.status !== 'open' ? { text: L.t('challenges:closedNotice', { id: ch.id, title: ch.title }) } : { ...challengeCard(L, ch), ephemeral: true };

export const submittedReply = (L: Lang, ch: { id: number; title: string; reward: number }, submissionId: number): Reply =>
  ({ text: L.t('challenges:submitted', { submission: submissionId, id: ch.id, title: ch.title, reward: ch.reward }), ephemeral: true });

export function reviewQueueReply(L: Lang, pending: { id: number; challengeId: number; title: string; proof: string; name: string }[]): Reply {
  if (!pending.length) return { text: L.t('challenges:review.empty'), ephemeral: true };
  const buttons: Button[][] = pending.slice(0, 5).map((s) => [
    { label: L.t('challenges:review.approve', { id: s.id }), command: 'challenge approve', args: { submission: s.id }, style: 'success' },
    { label: L.t('challenges:review.reject', { id: s.id }), command: 'challenge reject', args: { submission: s.id }, style: 'danger' },
  ]);
  return {
    text: [L.t('challenges:review.title'), ...pending.map((s) => L.t('challenges:review.row', { id: s.id, challenge: s.challengeId, title: s.title, name: s.name, proof: s.proof }))].join('\n'),
    buttons,
    ephemeral: true,
  };
}

export const approvedReply = (L: Lang, r: { submissionId: number; name: string; reward: number; balance?: number }): Reply =>
  ({ text: L.t('challenges:approved', { submission: r.submissionId, name: r.name, reward: r.reward, balance: r.balance }) });

export const rejectedReply = (L: Lang, r: { submissionId: number; name: string }, note?: string): Reply =>
  ({ text: L.t(note ? 'challenges:rejectedWithNote' : 'challenges:rejected', { submission: r.submissionId, name: r.name, note }) });

export const closedReply = (L: Lang, r: { id: number; pending: number }): Reply =>
  ({ text: L.t('challenges:closed', { id: r.id }) + (r.pending ? ' ' + L.t('challenges:stillToReview', { count: r.pending, id: r.id }) : ''), ephemeral: true });

/** Notices: words for what the challenges service announces. */
export const challengeNotices = {
  'challenge.card': (L: Lang, n: Notice<'challenge.card'>) => challengeCard(L, n.challenge),
  'challenge.reviewed': (L: Lang, n: Notice<'challenge.reviewed'>): Reply => ({
    text: n.approved
      ? L.t('challenges:dm.approved', { id: n.challengeId, title: n.title, reward: n.reward, balance: n.balance })
      : L.t(n.note ? 'challenges:dm.rejectedWithNote' : 'challenges:dm.rejected', { id: n.challengeId, title: n.title, note: n.note }),
  }),
  'challenge.closed': (L: Lang, n: Notice<'challenge.closed'>): Reply => ({
    text: L.t(n.pending ? 'challenges:closedPostPending' : 'challenges:closedPost', { id: n.challengeId, title: n.title, approved: n.approved, pending: n.pending }),
  }),
};
