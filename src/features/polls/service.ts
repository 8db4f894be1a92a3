import { txOf, type Scope } from '../../core/scope.js';
import type { Address, Platform } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { occurrence, type Repeat } from '../../core/time.js';
import { channelOf } from '../../core/address.js';
import { npsOf, type NpsGroup, type NpsSummary } from './nps.js';
import { emitEvent } from '../webhooks/service.js';
import { displayNames, dmTarget, lockCommunity, parseTiers, tierIndex } from '../members/service.js';
import { sqlRows, sqlRun } from '../../db/fast.js';
import { dateOf } from '../../db/rows.js';
import { segmentsOf, type NpsSegments } from './segments.js';
import { DETRACTOR_MAX, replyText, type FollowUpKind, type FollowUpState } from './followups.js';
import { randomUUID } from 'node:crypto';
import { labelsOf, YESNO, nextChoices, parseVote, type ChoiceSummary, type PollKind, type VoteMode } from './choices.js';
import { NO_CHALLENGE, type PromoterOffer } from './advocacy.js';
import { MAX_REMINDERS, SEEN_WITHIN_MS, type PollReminder } from './reminders.js';
import { applyPoints, ledgerReason } from '../points/service.js';

export type { Repeat };

export interface NewPoll {
  communityId: string;
  question: string;
  opensAt: Date;
  closesAt: Date;
  repeat: Repeat;
  createdById: string;
  platform: Platform;
  address?: Address;
  kind?: PollKind;
  /** Labels of a choice poll (see choices.parseOptions); null for NPS. */
  options?: string[] | null;
  anonymous?: boolean;
  answerPoints?: number;
  /** Remind members who have not answered this long before the poll closes. */
  remindMs?: number;
  offerReferral?: boolean;
  /** See advocacy.ts: null = the newest open challenge, 0 = none. */
  offerChallengeId?: number | null;
  followUpDetractors?: boolean;
}

/** What a poll's card shows (older stored cards lack the fields after closesAt: an NPS poll). */
export interface PollCard { id: number; question: string; closesAt: Date; kind?: PollKind; options?: string[]; anonymous?: boolean; points?: number }

export interface TrendPoint { pollId: number; opensAt: Date; nps: number | null; responses: number }

/** Notices this feature sends. */
export type PollNotice =
  | { type: 'poll.card'; poll: PollCard }
  | { type: 'poll.results'; poll: { id: number; question: string }; summary: NpsSummary; trend: TrendPoint[] }
  | { type: 'poll.choiceResults'; poll: { id: number; question: string; kind: PollKind; options: string[]; anonymous: boolean }; summary: ChoiceSummary }
  | { type: 'poll.followUp'; community: string; question: string; text: string }
  | PollReminder;

type PollRow = { id: number; question: string; closesAt: Date; kind: string; options: string | null; anonymous: boolean; answerPoints: number };
const cardOf = (p: PollRow): PollCard => ({
  id: p.id, question: p.question, closesAt: p.closesAt, kind: p.kind as PollKind, options: labelsOf(p), anonymous: p.anonymous, points: p.answerPoints,
});

export async function createPoll(s: Scope, p: NewPoll) {
  if (p.closesAt.getTime() <= p.opensAt.getTime()) throw new UserError('polls:error.closeBeforeOpen', {}, 'duration');
  if (p.opensAt.getTime() < s.now.getTime() - 60_000) throw new UserError('polls:error.opensPast', {}, 'opens');
  const remindAt = p.remindMs ? new Date(p.closesAt.getTime() - p.remindMs) : null;
  if (remindAt && remindAt.getTime() <= Math.max(p.opensAt.getTime(), s.now.getTime())) {
    throw new UserError('polls:error.remindTooLong', { length: p.closesAt.getTime() - p.opensAt.getTime() }, 'remind');
  }
  const tx = txOf(s);
  const where = p.address?.kind === 'channel' ? p.address : undefined;
  const poll = await tx.poll.create({
    data: {
      communityId: p.communityId, question: p.question, opensAt: p.opensAt, closesAt: p.closesAt, repeat: p.repeat,
      createdById: p.createdById, platform: p.platform, channelId: where?.channelId ?? null, threadId: where?.threadId ?? null, status: 'scheduled',
      kind: p.kind ?? 'nps', options: p.options ? JSON.stringify(p.options) : null, anonymous: p.anonymous ?? false, answerPoints: p.answerPoints ?? 0,
      remindAt, offerReferral: p.offerReferral ?? true, offerChallengeId: p.offerChallengeId ?? null, followUpDetractors: p.followUpDetractors ?? true,
    },
  });
  if (poll.opensAt.getTime() <= s.now.getTime()) await openPoll(s, poll.id);
  else await s.schedule('poll.open', poll.id, poll.opensAt);
  await s.schedule('poll.close', poll.id, poll.closesAt);
  if (remindAt) await s.schedule('poll.remind', poll.id, remindAt);
  return tx.poll.findUniqueOrThrow({ where: { id: poll.id } });
}

/** Open job (or creation): a scheduled poll opens and its card is posted; a second call does nothing. */
export async function openPoll(s: Scope, id: number): Promise<void> {
  const tx = txOf(s);
  const claimed = await tx.poll.updateMany({ where: { id, status: 'scheduled' }, data: { status: 'open' } });
  if (claimed.count !== 1) return;
  const p = await tx.poll.findUniqueOrThrow({ where: { id } });
  const to = channelOf(p);
  if (p.platform && to) await s.announce({ communityId: p.communityId, platform: p.platform as Platform, to, card: `poll:${p.id}`, notice: { type: 'poll.card', poll: cardOf(p) } });
}

export async function getPoll(s: Scope, communityId: string, id: number) {
  const p = await txOf(s).poll.findUnique({ where: { id } });
  if (!p || p.communityId !== communityId) throw new UserError('polls:error.notFound', { id });
  return p;
}

/**
 * Refuses unless the poll is open, and holds it open until this transaction commits: a conditional update that
 * a racing close waits for on PostgreSQL (and waits for it), so an accepted answer is always in the results.
 */
async function holdOpen(s: Scope, p: { id: number }) {
  const held = await txOf(s).poll.updateMany({ where: { id: p.id, status: 'open', closesAt: { gt: s.now } }, data: { status: 'open' } });
  if (held.count !== 1) throw new UserError('polls:error.closed', { id: p.id });
}

/** What a reply after an answer needs to know beyond the score: points paid, the advocacy loop. */
export interface AnswerExtras {
  points: number; anonymous: boolean; offer: PromoterOffer | null; followUp: boolean;
  /** Points an anonymous answer earns, paid to every voter together when the poll closes. */
  pointsAtClose?: number;
}

/**
 * One answer per member: answering again while the poll is open changes the score (and keeps the comment unless
 * a new one is given). `platform` is where it was given (the latest answer's, for the dashboard's segments).
 * An anonymous poll keeps only a count per score and a comment without the member: it cannot be changed.
 */
export async function answerPoll(s: Scope, communityId: string, pollId: number, memberId: string, score: number, comment?: string, platform?: Platform) {
  const tx = txOf(s);
  const p = await getPoll(s, communityId, pollId);
  if (p.kind !== 'nps') throw new UserError('polls:error.useVote', { id: p.id });
  if (p.status === 'scheduled') throw new UserError('polls:error.notOpenYet', { id: p.id, opensAt: p.opensAt });
  await holdOpen(s, p);
  const first = await markVoter(s, pollId, memberId, p.anonymous ? p.opensAt : s.now);
  if (p.anonymous) {
    if (!first) throw new UserError('polls:error.anonymousOnce', { id: p.id });
    await bumpTally(s, pollId, score);
    if (comment) await tx.pollAnonComment.create({ data: { id: randomUUID(), pollId, score, text: comment } });
    const extras = await answerExtras(s, p, memberId, score, true);
    return { pollId, score, changed: false, previous: undefined as number | undefined, commented: !!comment, ...extras };
  }
  const key = { pollId_memberId: { pollId, memberId } };
  const existing = await tx.pollResponse.findUnique({ where: key });
  if (existing) await tx.pollResponse.update({ where: key, data: { score, ...(comment ? { comment } : {}), ...(platform ? { platform } : {}) } });
  else await tx.pollResponse.create({ data: { pollId, memberId, score, comment: comment ?? null, platform: platform ?? null, createdAt: s.now } });
  await emitEvent(s, communityId, 'poll.answered', `poll.answered:${pollId}:${memberId}:${s.now.getTime()}`,
    { pollId, question: p.question, memberId, score, comment: comment ?? existing?.comment ?? null, changed: !!existing });
  const extras = await answerExtras(s, p, memberId, score, first);
  return { pollId, score, changed: !!existing, previous: existing?.score, commented: !!comment, ...extras };
}

/** Points (first answer only) and the advocacy loop: a promoter's offer, whether a detractor's answer is followed up. */
async function answerExtras(s: Scope, p: Awaited<ReturnType<typeof getPoll>>, memberId: string, score: number, first: boolean): Promise<AnswerExtras> {
  // Anonymous: paid at the close to every voter at once, so the ledger's times say nothing about who answered when.
  const points = first && !p.anonymous ? await payForAnswer(s, p, memberId) : 0;
  // Anonymous: no offer either, since the reply is kept for redelivery protection (ProcessedEvent) at the time
  // the PollVoter row is written, and an offer made only to promoters would tell the score.
  const offer = score >= 9 && !p.anonymous ? await promoterOffer(s, p, memberId) : null;
  return {
    points, anonymous: p.anonymous, offer: offer && (offer.referral || offer.challenge) ? offer : null, followUp: score <= DETRACTOR_MAX && p.followUpDetractors && !p.anonymous,
    ...(p.anonymous && first && p.answerPoints > 0 ? { pointsAtClose: p.answerPoints } : {}),
  };
}

/**
 * A comment on one's answer. On an anonymous poll it is kept apart from the member and their score (a random
 * id, no time): the member must have answered, but the comment cannot be traced back to them.
 */
export async function commentPoll(s: Scope, communityId: string, pollId: number, memberId: string, comment: string) {
  const tx = txOf(s);
  const p = await getPoll(s, communityId, pollId);
  await holdOpen(s, p);
  if (p.anonymous) {
    const voted = await tx.pollVoter.findUnique({ where: { pollId_memberId: { pollId, memberId } } });
    if (!voted) throw new UserError('polls:error.answerFirst', { id: pollId });
    await tx.pollAnonComment.create({ data: { id: randomUUID(), pollId, score: null, text: comment } });
    return { pollId };
  }
  const key = { pollId_memberId: { pollId, memberId } };
  const existing = await tx.pollResponse.findUnique({ where: key });
  if (!existing) throw new UserError('polls:error.answerFirst', { id: pollId });
  await tx.pollResponse.update({ where: key, data: { comment } });
  return { pollId };
}

/** What a vote on a choice poll did, for the reply. */
export interface VoteOutcome {
  pollId: number; kind: PollKind; options: string[]; anonymous: boolean;
  choices: number[]; previous: number[]; changed: boolean; points: number;
  /** Anonymous polls: points paid when the poll closes. */
  pointsAtClose?: number;
}

/**
 * A vote on a single, multi, yes/no or emoji poll (buttons, select menus, reactions, `/poll vote`). One answer
 * per member: outside multi a new option replaces the old one; `remove` of the current option clears the
 * answer. Anonymous polls only count (PollTally) and refuse any change.
 */
export async function voteChoice(s: Scope, communityId: string, pollId: number, memberId: string, raw: string, mode: VoteMode = 'set', how: { publicly?: boolean } = {}): Promise<VoteOutcome> {
  const tx = txOf(s);
  const p = await getPoll(s, communityId, pollId);
  if (p.kind === 'nps') throw new UserError('polls:error.useAnswer', { id: p.id });
  const options = labelsOf(p);
  const picked = parseVote(p.kind as PollKind, options, raw);
  if (p.status === 'scheduled') throw new UserError('polls:error.notOpenYet', { id: p.id, opensAt: p.opensAt });
  await holdOpen(s, p);
  const base = { pollId, kind: p.kind as PollKind, options, anonymous: p.anonymous };
  if (p.anonymous) {
    // A reaction shows everyone who chose what: it is not taken as an anonymous answer.
    if (how.publicly) throw new UserError('polls:error.anonymousReaction', { id: p.id });
    if (mode === 'remove') throw new UserError('polls:error.anonymousFinal', { id: p.id });
    if (!(await markVoter(s, pollId, memberId, p.opensAt))) throw new UserError('polls:error.anonymousOnce', { id: p.id });
    for (const c of picked) await bumpTally(s, pollId, c);
    return { ...base, choices: picked, previous: [], changed: false, points: 0, ...(p.answerPoints > 0 ? { pointsAtClose: p.answerPoints } : {}) };
  }
  const previous = (await tx.pollChoice.findMany({ where: { pollId, memberId }, select: { option: true } })).map((c) => c.option).sort((a, b) => a - b);
  const choices = nextChoices(p.kind as PollKind, previous, picked, mode);
  const same = choices.length === previous.length && choices.every((c, i) => c === previous[i]);
  if (same) return { ...base, choices, previous, changed: false, points: 0 };
  const gone = previous.filter((c) => !choices.includes(c));
  if (gone.length) await tx.pollChoice.deleteMany({ where: { pollId, memberId, option: { in: gone } } });
  for (const c of choices.filter((c) => !previous.includes(c))) {
    await sqlRun(tx, 'INSERT INTO "PollChoice" ("pollId", "memberId", "option") VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [pollId, memberId, c]);
  }
  let points = 0;
  if (choices.length) {
    if (await markVoter(s, pollId, memberId)) points = await payForAnswer(s, p, memberId);
  } else await unmarkVoter(s, pollId, memberId);
  // Named polls only: an anonymous vote is never reported per member.
  await emitEvent(s, communityId, 'poll.voted', `poll.voted:${pollId}:${memberId}:${s.now.getTime()}`,
    { pollId, question: p.question, kind: p.kind, memberId, options: choices.map((c) => ({ number: c + 1, label: (p.kind === 'yesno' ? YESNO : options)[c] ?? null })), changed: previous.length > 0 });
  return { ...base, choices, previous, changed: previous.length > 0, points };
}

/** Open and upcoming polls, with whether this member has answered each. */
export async function listPolls(s: Scope, communityId: string, memberId: string) {
  const tx = txOf(s);
  const polls = await tx.poll.findMany({ where: { communityId, status: { in: ['open', 'scheduled'] } }, orderBy: { opensAt: 'asc' }, take: 20 });
  const ids = polls.map((p) => p.id);
  const [mine, voted] = await Promise.all([
    tx.pollResponse.findMany({ where: { memberId, pollId: { in: ids } }, select: { pollId: true } }),
    tx.pollVoter.findMany({ where: { memberId, pollId: { in: ids } }, select: { pollId: true } }),
  ]);
  const answered = new Set([...mine, ...voted].map((r) => r.pollId));
  return polls.map((p) => ({
    id: p.id, question: p.question, status: p.status as 'open' | 'scheduled', opensAt: p.opensAt, closesAt: p.closesAt,
    repeat: p.repeat as Repeat, answered: answered.has(p.id),
  }));
}

/** Summary, trend and comments (newest first) of one poll, for moderators. */
export async function pollResults(s: Scope, communityId: string, pollId: number) {
  const p = await getPoll(s, communityId, pollId);
  const poll = { id: p.id, question: p.question, status: p.status, kind: p.kind as PollKind, options: labelsOf(p), anonymous: p.anonymous };
  if (p.kind !== 'nps') return { poll, choices: await choiceCounts(s, p, poll.options.length), summary: npsOf([]), comments: [], trend: [] };
  if (p.anonymous) {
    // Anonymous comments have no time: shown in no particular order (the random id), never next to a member.
    const comments = await txOf(s).pollAnonComment.findMany({ where: { pollId }, orderBy: { id: 'asc' }, take: 100 });
    return {
      poll, choices: null, summary: npsOf((await npsScores(s, [p])).get(p.id) ?? []), trend: await seriesTrend(s, p),
      comments: comments.map((c) => ({ score: c.score, comment: c.text })),
    };
  }
  const responses = await txOf(s).pollResponse.findMany({ where: { pollId }, orderBy: { updatedAt: 'desc' }, select: { score: true, comment: true } });
  return {
    poll, choices: null,
    summary: npsOf(responses.map((r) => r.score)),
    comments: responses.filter((r): r is { score: number; comment: string } => !!r.comment) as { score: number | null; comment: string }[],
    trend: await seriesTrend(s, p),
  };
}

/** NPS of the earlier runs of a repeating poll, up to and including this one (at most `max`). */
async function seriesTrend(s: Scope, p: { id: number; seriesId: number | null; opensAt: Date }, max = 6): Promise<TrendPoint[]> {
  const head = p.seriesId ?? p.id;
  const runs = await txOf(s).poll.findMany({
    where: { OR: [{ id: head }, { seriesId: head }], opensAt: { lte: p.opensAt }, status: { not: 'scheduled' } },
    orderBy: { opensAt: 'desc' },
    take: max,
  });
  if (runs.length < 2) return [];
  const scores = await npsScores(s, runs);
  return runs.reverse().map((r) => {
    const sum = npsOf(scores.get(r.id) ?? []);
    return { pollId: r.id, opensAt: r.opensAt, nps: sum.nps, responses: sum.responses };
  });
}

/**
 * The next run of a series after `current`: counted from the series' first opening in the community's zone
 * (so a monthly poll keeps its day of month and a weekly one its local hour across DST). Runs that would
 * already be over are skipped (the bot was down for a while).
 */
function nextRun(anchor: Date, repeat: Repeat, zone: string, current: Date, length: number, now: Date): Date | null {
  for (let n = 1; ; n++) {
    const at = occurrence(anchor, repeat, n, zone);
    if (!at) return null;
    if (at.getTime() > current.getTime() && at.getTime() + length > now.getTime()) return at;
  }
}

/**
 * Closes a poll (the close job, or a moderator with `stopSeries`): posts the results once and schedules a
 * repeating poll's next run. The close is a conditional update, so of two racing calls only one posts;
 * returns false when the poll was already closed (or does not exist).
 */
export async function closePoll(s: Scope, id: number, opts: { stopSeries?: boolean } = {}): Promise<boolean> {
  const tx = txOf(s);
  const claimed = await tx.poll.updateMany({ where: { id, status: { not: 'closed' } }, data: { status: 'closed', ...(opts.stopSeries ? { repeat: 'none' } : {}) } });
  if (claimed.count !== 1) return false;
  await s.unschedule('poll.open', id);
  await s.unschedule('poll.close', id);
  await payAnonymousVoters(s, id);
  await s.unschedule('poll.remind', id);
  // Closed early: closesAt becomes when it really closed (lists, response rates); a late close job keeps the planned time.
  await tx.poll.updateMany({ where: { id, closesAt: { gt: s.now } }, data: { closesAt: s.now } });
  const p = await tx.poll.findUniqueOrThrow({ where: { id } });
  const to = channelOf(p);
  if (p.platform && to) {
    const options = labelsOf(p);
    await s.announce({
      communityId: p.communityId, platform: p.platform as Platform, to,
      notice: p.kind === 'nps'
        ? { type: 'poll.results', poll: { id: p.id, question: p.question }, summary: npsOf((await npsScores(s, [p])).get(p.id) ?? []), trend: await seriesTrend(s, p) }
        : { type: 'poll.choiceResults', poll: { id: p.id, question: p.question, kind: p.kind as PollKind, options, anonymous: p.anonymous }, summary: await choiceCounts(s, p, options.length) },
    });
  }
  const repeat = p.repeat as Repeat;
  if (repeat === 'none') return true;
  const head = p.seriesId ?? p.id;
  const [first, community] = await Promise.all([
    head === p.id ? p : tx.poll.findUnique({ where: { id: head } }),
    tx.community.findUniqueOrThrow({ where: { id: p.communityId }, select: { timezone: true } }),
  ]);
  const length = p.closesAt.getTime() - p.opensAt.getTime();
  const open = nextRun(first?.opensAt ?? p.opensAt, repeat, community.timezone, p.opensAt, length, s.now);
  if (!open) return true;
  // The planned length and reminder lead (closesAt may have moved on an early close, but then the series stopped).
  const lead = p.remindAt ? p.closesAt.getTime() - p.remindAt.getTime() : null;
  const closesAt = new Date(open.getTime() + length);
  const next = await tx.poll.create({
    data: {
      communityId: p.communityId, question: p.question, opensAt: open, closesAt, repeat: p.repeat,
      seriesId: head, createdById: p.createdById, platform: p.platform, channelId: p.channelId, threadId: p.threadId, status: 'scheduled',
      kind: p.kind, options: p.options, anonymous: p.anonymous, answerPoints: p.answerPoints, offerReferral: p.offerReferral,
      offerChallengeId: p.offerChallengeId, followUpDetractors: p.followUpDetractors,
      remindAt: lead !== null && lead < length ? new Date(closesAt.getTime() - lead) : null,
    },
  });
  await s.schedule('poll.open', next.id, next.opensAt);
  await s.schedule('poll.close', next.id, next.closesAt);
  if (next.remindAt) await s.schedule('poll.remind', next.id, next.remindAt);
  return true;
}

/** A moderator closes a poll now; this also stops a repeating poll (to run it again, create a new one). */
export async function closePollNow(s: Scope, communityId: string, id: number) {
  const p = await getPoll(s, communityId, id);
  if (!(await closePoll(s, p.id, { stopSeries: true }))) throw new UserError('polls:error.alreadyClosed', { id: p.id });
  return { id: p.id };
}

/* --- The dashboard's detractor follow-up queue: what moderators did about each low score. --- */

/** One answer to follow up (one member's answer to one run), with what moderators did about it, oldest first. */
export interface FollowUpItem {
  pollId: number; memberId: string; memberName: string; question: string; score: number; comment: string | null;
  platform: string | null; at: Date; followedUpAt: Date | null; followedUpBy: string | null;
  history: { kind: FollowUpKind; text: string | null; author: string; at: Date }[];
}
export interface FollowUpQueue { state: FollowUpState; items: FollowUpItem[]; open: number; done: number }

/** Detractor answers of every run, newest first: those not followed up yet (`open`) or those marked done. */
export async function followUpQueue(s: Scope, communityId: string, state: FollowUpState, limit = 100): Promise<FollowUpQueue> {
  const tx = txOf(s);
  // Only polls that follow detractors up (Poll.followUpDetractors); anonymous polls have no PollResponse rows.
  const base = { poll: { communityId, followUpDetractors: true }, score: { lte: DETRACTOR_MAX } };
  const open = await tx.pollResponse.count({ where: { ...base, followedUpAt: null } });
  const done = await tx.pollResponse.count({ where: { ...base, followedUpAt: { not: null } } });
  const rows = await tx.pollResponse.findMany({
    where: { ...base, followedUpAt: state === 'open' ? null : { not: null } },
    orderBy: [{ createdAt: 'desc' }, { pollId: 'desc' }, { memberId: 'asc' }],
    take: limit,
    include: { poll: { select: { question: true } } },
  });
  const actions = rows.length
    ? await tx.pollFollowUp.findMany({ where: { communityId, OR: rows.map((r) => ({ pollId: r.pollId, memberId: r.memberId })) }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })
    : [];
  const names = await displayNames(s, [...new Set([...rows.map((r) => r.memberId), ...rows.flatMap((r) => r.followedUpById ?? []), ...actions.map((a) => a.authorId)])]);
  const key = (pollId: number, memberId: string) => `${pollId}:${memberId}`;
  const history = new Map<string, FollowUpItem['history']>();
  for (const a of actions) {
    const k = key(a.pollId, a.memberId);
    history.set(k, [...(history.get(k) ?? []), { kind: a.kind as FollowUpKind, text: a.text, author: names.get(a.authorId) ?? '', at: a.createdAt }]);
  }
  return {
    state, open, done,
    items: rows.map((r) => ({
      pollId: r.pollId, memberId: r.memberId, memberName: names.get(r.memberId) ?? '', question: r.poll.question, score: r.score, comment: r.comment,
      platform: r.platform, at: r.createdAt, followedUpAt: r.followedUpAt, followedUpBy: r.followedUpById ? names.get(r.followedUpById) ?? '' : null,
      history: history.get(key(r.pollId, r.memberId)) ?? [],
    })),
  };
}

/** Which answer a follow-up is about. */
export interface AnswerRef { pollId: number; memberId: string }
/** What a follow-up action did (a resubmitted form gets the first submission's outcome back). */
export interface FollowUpOutcome { kind: FollowUpKind; memberName: string }

/** The answer, if it belongs to this community (the same refusal whether it is elsewhere or nowhere). */
async function answerIn(s: Scope, communityId: string, a: AnswerRef) {
  const r = await txOf(s).pollResponse.findUnique({ where: { pollId_memberId: a }, include: { poll: { select: { communityId: true, question: true, followUpDetractors: true } } } });
  // Only detractors' answers are in the queue: moderators cannot message any other respondent through it.
  if (!r || r.poll.communityId !== communityId || r.score > DETRACTOR_MAX || !r.poll.followUpDetractors) throw new UserError('dashboard:nps.followups.error.notFound');
  return r;
}

/** The outcome recorded under a form's one-time key, if that form was already applied. */
async function appliedBefore(s: Scope, onceKey: string): Promise<FollowUpOutcome | null> {
  const seen = await txOf(s).pollFollowUp.findUnique({ where: { onceKey } });
  if (!seen) return null;
  return { kind: seen.kind as FollowUpKind, memberName: (await displayNames(s, [seen.memberId])).get(seen.memberId) ?? '' };
}

/**
 * Marks an answer followed up (`done`) or reopens it: a conditional update on the state the moderator saw, and a
 * PollFollowUp row under the form's one-time key. Of two moderators (or instances) acting at once one wins; the
 * other is told it was already so. `once` is the form's one-time value.
 */
export async function setFollowedUp(s: Scope, communityId: string, a: AnswerRef, authorId: string, once: string, done: boolean): Promise<FollowUpOutcome> {
  const tx = txOf(s);
  const onceKey = `${communityId}:${once}`;
  const before = await appliedBefore(s, onceKey);
  if (before) return before;
  const r = await answerIn(s, communityId, a);
  const claimed = await tx.pollResponse.updateMany({
    where: { pollId: a.pollId, memberId: a.memberId, followedUpAt: done ? null : { not: null } },
    data: done ? { followedUpAt: s.now, followedUpById: authorId } : { followedUpAt: null, followedUpById: null },
  });
  if (claimed.count !== 1) {
    // This very form may have just been applied by a concurrent submission: then it gets that outcome.
    const raced = await appliedBefore(s, onceKey);
    if (raced) return raced;
    throw new UserError(done ? 'dashboard:nps.followups.error.alreadyDone' : 'dashboard:nps.followups.error.notDone');
  }
  const kind: FollowUpKind = done ? 'done' : 'reopened';
  await tx.pollFollowUp.create({ data: { communityId, pollId: a.pollId, memberId: a.memberId, authorId, kind, onceKey, createdAt: s.now } });
  return { kind, memberName: (await displayNames(s, [r.memberId])).get(r.memberId) ?? '' };
}

/**
 * A moderator's reply to an answer, sent to the member by direct message in their language: where they answered
 * if they have an account there, else their most recent account. Recorded as a PollFollowUp row (under the
 * form's one-time key, so a resubmitted form sends once); it does not mark the answer done.
 */
/** Replies one answer may get in a day. */
const MAX_REPLIES_A_DAY = 3;

export async function replyToAnswer(s: Scope, communityId: string, a: AnswerRef, authorId: string, once: string, rawText: unknown): Promise<FollowUpOutcome> {
  const text = replyText(rawText);
  const tx = txOf(s);
  const onceKey = `${communityId}:${once}`;
  const before = await appliedBefore(s, onceKey);
  if (before) return before;
  const r = await answerIn(s, communityId, a);
  const memberName = (await displayNames(s, [r.memberId])).get(r.memberId) ?? '';
  const to = (r.platform ? await dmTarget(s, r.memberId, r.platform) : null) ?? await dmTarget(s, r.memberId);
  if (!to) throw new UserError('dashboard:nps.followups.error.unreachable', { name: memberName });
  // A few replies a day per answer: the bot is not a way to flood a member (counted under the community lock).
  await lockCommunity(s, communityId);
  const recent = await tx.pollFollowUp.count({ where: { pollId: a.pollId, memberId: a.memberId, kind: 'reply', createdAt: { gt: new Date(s.now.getTime() - 86_400_000) } } });
  if (recent >= MAX_REPLIES_A_DAY) throw new UserError('dashboard:nps.followups.error.tooMany', { name: memberName, count: recent });
  await tx.pollFollowUp.create({ data: { communityId, pollId: a.pollId, memberId: a.memberId, authorId, kind: 'reply', text, onceKey, createdAt: s.now } });
  const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { name: true } });
  await s.announce({
    communityId, platform: to.platform as Platform, to: { kind: 'dm', userId: to.platformUserId }, memberId: r.memberId,
    notice: { type: 'poll.followUp', community: community.name, question: r.poll.question, text },
  });
  return { kind: 'reply', memberName };
}

/** One run of a series on the dashboard's NPS chart. */
export interface NpsRun { pollId: number; question: string; status: string; opensAt: Date; closesAt: Date; nps: number | null; responses: number }
/** `at` is when the member answered (updatedAt follows the wall clock, not the engine's). */
export interface NpsComment { score: number; comment: string; at: Date; memberName: string }
export interface NpsReport {
  /** Series with at least one opened run, the most recently opened first (at most `maxSeries`); runs oldest first. */
  series: { id: number; question: string; runs: NpsRun[] }[];
  /** The chosen series (default: the latest) and run (default: its latest), with that run's breakdown, comments, response rate and segments. */
  selected: { seriesId: number; run: NpsRun; summary: NpsSummary; comments: NpsComment[]; rate: ResponseRate; segments: NpsSegments; anonymous?: boolean } | null;
  /** Detractor answers (all runs) nobody has marked followed up yet. */
  openFollowUps: number;
}

/** A run's responses against the members who had joined (Member.createdAt) by its close (by now while it is still open). */
export interface ResponseRate { responses: number; members: number; until: Date }

/**
 * The dashboard's NPS page (read-only): every series' NPS per run, and for one run its breakdown and comments,
 * newest first, optionally only one group's. A one-off poll is a series of its own.
 */
export async function npsReport(
  s: Scope, communityId: string, q: { series?: number; run?: number; group?: NpsGroup } = {}, limits = { maxSeries: 12, maxComments: 200, maxRuns: 500 },
): Promise<NpsReport> {
  const tx = txOf(s);
  // The latest runs (a daily series adds 365 a year); older ones drop off the charts.
  const polls = (await tx.poll.findMany({ where: { communityId, kind: 'nps', status: { not: 'scheduled' } }, orderBy: [{ opensAt: 'desc' }, { id: 'desc' }], take: limits.maxRuns })).reverse();
  const scores = await npsScores(s, polls);
  const summaries = new Map(polls.map((p) => [p.id, npsOf(scores.get(p.id) ?? [])]));

  const bySeries = new Map<number, NpsRun[]>();
  for (const p of polls) {
    const sum = summaries.get(p.id)!;
    const run: NpsRun = { pollId: p.id, question: p.question, status: p.status, opensAt: p.opensAt, closesAt: p.closesAt, nps: sum.nps, responses: sum.responses };
    const head = p.seriesId ?? p.id;
    bySeries.set(head, [...(bySeries.get(head) ?? []), run]);
  }
  const all = [...bySeries].map(([id, runs]) => ({ id, question: runs.at(-1)!.question, runs }))
    .sort((a, b) => b.runs.at(-1)!.opensAt.getTime() - a.runs.at(-1)!.opensAt.getTime());
  const chosen = all.find((x) => x.id === q.series) ?? all[0];
  const series = all.slice(0, limits.maxSeries);
  const openFollowUps = await tx.pollResponse.count({ where: { poll: { communityId, followUpDetractors: true }, score: { lte: DETRACTOR_MAX }, followedUpAt: null } });
  if (!chosen) return { series, selected: null, openFollowUps };
  if (!series.includes(chosen)) series.push(chosen);

  const run = chosen.runs.find((r) => r.pollId === q.run) ?? chosen.runs.at(-1)!;
  const range = { promoters: { gte: 9 }, passives: { gte: 7, lte: 8 }, detractors: { lte: 6 } };
  const anonymous = polls.find((p) => p.id === run.pollId)?.anonymous ?? false;
  if (anonymous) {
    // Counts and comments without members; segments by member are not available (anonymous: true says so).
    const notes = await tx.pollAnonComment.findMany({ where: { pollId: run.pollId, ...(q.group ? { score: range[q.group] } : {}) }, orderBy: { id: 'asc' }, take: limits.maxComments });
    const summary = summaries.get(run.pollId)!;
    const until = new Date(Math.min(run.closesAt.getTime(), s.now.getTime()));
    const joined = await tx.member.count({ where: { communityId, createdAt: { lte: until } } });
    return {
      series, openFollowUps,
      selected: {
        seriesId: chosen.id, run, summary, anonymous: true,
        comments: notes.map((c) => ({ score: c.score ?? -1, comment: c.text, at: run.closesAt, memberName: '' })),
        rate: { responses: summary.responses, members: joined, until },
        segments: { platform: [], tier: [], tenure: [], source: [] },
      },
    };
  }
  const rows = await tx.pollResponse.findMany({
    where: { pollId: run.pollId, comment: { not: null }, ...(q.group ? { score: range[q.group] } : {}) },
    orderBy: [{ createdAt: 'desc' }, { memberId: 'asc' }],
    take: limits.maxComments,
  });
  const members = await tx.member.findMany({ where: { id: { in: rows.map((r) => r.memberId) } }, select: { id: true, displayName: true } });
  const names = new Map(members.map((m) => [m.id, m.displayName]));
  const summary = summaries.get(run.pollId)!;
  const until = new Date(Math.min(run.closesAt.getTime(), s.now.getTime()));
  const joined = await tx.member.count({ where: { communityId, createdAt: { lte: until } } });
  return {
    series,
    openFollowUps,
    selected: {
      seriesId: chosen.id, run, summary, anonymous: false,
      comments: rows.map((r) => ({ score: r.score, comment: r.comment ?? '', at: r.createdAt, memberName: names.get(r.memberId) ?? '' })),
      rate: { responses: summary.responses, members: joined, until },
      segments: await runSegments(s, communityId, run.pollId),
    },
  };
}

/**
 * One run's answers by platform, current tier, tenure when answering and referral source. One joined read of a
 * few columns per answer (a run can have many thousands), grouped in memory by the pure segmentsOf.
 */
export async function runSegments(s: Scope, communityId: string, pollId: number): Promise<NpsSegments> {
  const tx = txOf(s);
  const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { tiers: true } });
  const tiers = parseTiers(community.tiers);
  const rows = await sqlRows(tx,
    'SELECT r."score" AS "score", r."platform" AS "platform", r."createdAt" AS "answeredAt", m."createdAt" AS "joinedAt", m."lifetimePoints" AS "lifetime", f."source" AS "source" ' +
    'FROM "PollResponse" r JOIN "Member" m ON m."id" = r."memberId" LEFT JOIN "Referral" f ON f."refereeId" = r."memberId" WHERE r."pollId" = ?', [pollId]);
  return segmentsOf(rows.map((r) => ({
    score: Number(r.score), platform: (r.platform as string | null) ?? null, tier: tierIndex(tiers, Number(r.lifetime)),
    joinedAt: dateOf(r.joinedAt)!, answeredAt: dateOf(r.answeredAt)!, source: (r.source as string | null) ?? null,
  })), tiers.map((t) => t.name));
}

// --- the dashboard's polls page ---

/** One poll (a one-off or one run of a series) as the dashboard lists it. */
export interface PollsBoardRow {
  id: number; question: string; status: 'scheduled' | 'open' | 'closed'; opensAt: Date; closesAt: Date; repeat: Repeat;
  /** The series' first run when this is a later run of a repeating poll. */
  seriesId: number | null;
  platform: string | null; channelId: string | null; threadId: string | null;
  responses: number; nps: number | null;
}
export interface PollsBoard { scheduled: PollsBoardRow[]; open: PollsBoardRow[]; closed: PollsBoardRow[] }

/** Scheduled (next first), open (closing first) and the last `limits.closed` closed polls of a community, with their responses so far. */
export async function pollsBoard(s: Scope, communityId: string, limits = { upcoming: 100, closed: 20 }): Promise<PollsBoard> {
  const tx = txOf(s);
  const [scheduled, open, closed] = await Promise.all([
    tx.poll.findMany({ where: { communityId, status: 'scheduled' }, orderBy: [{ opensAt: 'asc' }, { id: 'asc' }], take: limits.upcoming }),
    tx.poll.findMany({ where: { communityId, status: 'open' }, orderBy: [{ closesAt: 'asc' }, { id: 'asc' }], take: limits.upcoming }),
    tx.poll.findMany({ where: { communityId, status: 'closed' }, orderBy: [{ closesAt: 'desc' }, { id: 'desc' }], take: limits.closed }),
  ]);
  const answered = [...open, ...closed].map((p) => p.id);
  const seen = [...open, ...closed];
  const scores = answered.length ? await npsScores(s, seen.filter((p) => p.kind === 'nps')) : new Map<number, number[]>();
  // Choice polls: members who answered (NPS polls count their answers, which older runs kept without PollVoter rows).
  const voters = answered.length
    ? await tx.pollVoter.groupBy({ by: ['pollId'], where: { pollId: { in: seen.filter((p) => p.kind !== 'nps').map((p) => p.id) } }, _count: { _all: true } })
    : [];
  const voterCount = new Map(voters.map((v) => [v.pollId, v._count._all]));
  const row = (p: (typeof scheduled)[number]): PollsBoardRow => {
    const sum = p.kind === 'nps' ? npsOf(scores.get(p.id) ?? []) : { responses: voterCount.get(p.id) ?? 0, nps: null };
    return {
      id: p.id, question: p.question, status: p.status as PollsBoardRow['status'], opensAt: p.opensAt, closesAt: p.closesAt, repeat: p.repeat as Repeat,
      seriesId: p.seriesId, platform: p.platform, channelId: p.channelId, threadId: p.threadId, responses: sum.responses, nps: sum.nps,
    };
  };
  return { scheduled: scheduled.map(row), open: open.map(row), closed: closed.map(row) };
}

/** `poll report`: one NPS run by referral source and tier. Not for anonymous polls: answers there have no member. */
export async function pollReport(s: Scope, communityId: string, pollId: number) {
  const p = await getPoll(s, communityId, pollId);
  if (p.kind !== 'nps') throw new UserError('polls:error.reportNps', { id: p.id });
  if (p.anonymous) throw new UserError('polls:error.anonymousReport', { id: p.id });
  return { poll: { id: p.id, question: p.question, status: p.status }, segments: await runSegments(s, communityId, p.id) };
}

/* --- answers of every kind: voters, anonymous tallies, points --- */

/*
 * What every kind of answer shares: who answered (PollVoter: one answer per member, reminders, points), the
 * anonymous counts (PollTally) and the points for answering. Raw inserts with ON CONFLICT, because on
 * PostgreSQL a failed insert would abort the whole transaction, and two answers may arrive at once.
 */

/** Records that the member answered this poll; true only for the first answer (the one that pays). */
export async function markVoter(s: Scope, pollId: number, memberId: string, at: Date = s.now): Promise<boolean> {
  // An anonymous poll's voters all get its opening time: when each answered would line up with the counts.
  const n = await sqlRun(txOf(s), 'INSERT INTO "PollVoter" ("pollId", "memberId", "createdAt") VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [pollId, memberId, at]);
  return n === 1;
}

/** A member took back their whole answer (non-anonymous choice polls): they can be reminded again; points stay paid once. */
export async function unmarkVoter(s: Scope, pollId: number, memberId: string): Promise<void> {
  await txOf(s).pollVoter.deleteMany({ where: { pollId, memberId } });
}

/** One more for `option` (the score for NPS): one statement, so concurrent answers never lose a count. */
export async function bumpTally(s: Scope, pollId: number, option: number): Promise<void> {
  await sqlRun(txOf(s),
    'INSERT INTO "PollTally" ("pollId", "option", "count") VALUES (?, ?, 1) ON CONFLICT ("pollId", "option") DO UPDATE SET "count" = "PollTally"."count" + 1',
    [pollId, option]);
}

/**
 * Points for answering, once per member and poll (the idempotency key), whatever they answered: the ledger
 * reason names the poll only, never the answer. Returns the points paid now (0 when none or paid before).
 */
export async function payForAnswer(s: Scope, p: { id: number; communityId: string; answerPoints: number }, memberId: string): Promise<number> {
  if (p.answerPoints <= 0) return 0;
  const r = await applyPoints(s, {
    communityId: p.communityId, memberId, delta: p.answerPoints, kind: 'poll',
    reason: ledgerReason('poll', { id: p.id }), idempotencyKey: `poll:${p.id}:${memberId}`,
  });
  return r.applied ? p.answerPoints : 0;
}

/** NPS scores of each poll: answers of named polls, tallies of anonymous ones. */
export async function npsScores(s: Scope, polls: { id: number; anonymous: boolean }[]): Promise<Map<number, number[]>> {
  const tx = txOf(s);
  const named = polls.filter((p) => !p.anonymous).map((p) => p.id);
  const anon = polls.filter((p) => p.anonymous).map((p) => p.id);
  const out = new Map<number, number[]>();
  const add = (pollId: number, score: number, n: number) => {
    let list = out.get(pollId);
    if (!list) out.set(pollId, (list = []));
    for (let i = 0; i < n; i++) list.push(score);
  };
  if (named.length) {
    const counts = await tx.pollResponse.groupBy({ by: ['pollId', 'score'], where: { pollId: { in: named } }, _count: { _all: true } });
    for (const c of counts) add(c.pollId, c.score, c._count._all);
  }
  if (anon.length) {
    const tallies = await tx.pollTally.findMany({ where: { pollId: { in: anon } } });
    for (const t of tallies) add(t.pollId, t.option, t.count);
  }
  return out;
}

/** How many chose each option and how many members answered a choice poll. */
export async function choiceCounts(s: Scope, p: { id: number; anonymous: boolean }, n: number): Promise<{ counts: number[]; voters: number }> {
  const tx = txOf(s);
  const counts = Array.from({ length: n }, () => 0);
  const rows = p.anonymous
    ? (await tx.pollTally.findMany({ where: { pollId: p.id } })).map((t) => ({ option: t.option, count: t.count }))
    : (await tx.pollChoice.groupBy({ by: ['option'], where: { pollId: p.id }, _count: { _all: true } })).map((c) => ({ option: c.option, count: c._count._all }));
  for (const r of rows) if (r.option >= 0 && r.option < n) counts[r.option] += r.count;
  return { counts, voters: await tx.pollVoter.count({ where: { pollId: p.id } }) };
}

/* --- the advocacy loop (advocacy.ts) --- */

const openWhere = (s: Scope, communityId: string) => ({ communityId, status: 'open', deadline: { gt: s.now } });

/** `challenge:` of poll create: an open challenge of this community, or none/off. Returns what Poll.offerChallengeId stores. */
export async function challengeToOffer(s: Scope, communityId: string, raw: string | undefined): Promise<number | null> {
  if (raw === undefined) return null;
  if (/^(none|off|no)$/i.test(raw)) return NO_CHALLENGE;
  const id = Number(raw.replace(/^#/, ''));
  const ch = Number.isSafeInteger(id) && id > 0 ? await txOf(s).challenge.findFirst({ where: { id, ...openWhere(s, communityId) } }) : null;
  if (!ch) throw new UserError('polls:error.challengeNotOpen', { value: raw.slice(0, 20) }, 'challenge');
  return ch.id;
}

export async function promoterOffer(
  s: Scope, p: { communityId: string; offerReferral: boolean; offerChallengeId: number | null }, memberId: string,
): Promise<PromoterOffer> {
  const tx = txOf(s);
  let referral: PromoterOffer['referral'] = null;
  if (p.offerReferral) {
    const [m, c] = await Promise.all([
      tx.member.findUnique({ where: { id: memberId }, select: { referralCode: true } }),
      tx.community.findUniqueOrThrow({ where: { id: p.communityId }, select: { referrerReward: true, refereeReward: true } }),
    ]);
    if (m?.referralCode) referral = { code: m.referralCode, referrerReward: c.referrerReward, refereeReward: c.refereeReward };
  }
  let challenge: PromoterOffer['challenge'] = null;
  if (p.offerChallengeId !== NO_CHALLENGE) {
    const ch = await tx.challenge.findFirst({
      where: { ...openWhere(s, p.communityId), ...(p.offerChallengeId ? { id: p.offerChallengeId } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    if (ch) challenge = { id: ch.id, title: ch.title, reward: ch.reward, deadline: ch.deadline };
  }
  return { referral, challenge };
}

/* --- reminders (reminders.ts): the poll.remind job --- */

/** Sends the reminders once (remindedAt null → now); nothing after the poll closed. Returns how many were sent. */
export async function remindPoll(s: Scope, id: number): Promise<number> {
  const tx = txOf(s);
  const claimed = await tx.poll.updateMany({ where: { id, status: 'open', remindedAt: null, closesAt: { gt: s.now } }, data: { remindedAt: s.now } });
  if (claimed.count !== 1) return 0;
  const p = await tx.poll.findUniqueOrThrow({ where: { id } });
  const community = await tx.community.findUniqueOrThrow({ where: { id: p.communityId }, select: { name: true } });
  // Accounts seen recently of members who have not answered (left out in the query itself, so answerers never use
  // up the cap), most recent first: a member's first account here is the one they use now.
  const accounts = await sqlRows<{ memberId: string; platform: string; platformUserId: string }>(tx,
    'SELECT i."memberId" AS "memberId", i."platform" AS "platform", i."platformUserId" AS "platformUserId" FROM "Identity" i ' +
    'WHERE i."communityId" = ? AND i."lastSeenAt" >= ? ' +
    'AND NOT EXISTS (SELECT 1 FROM "PollVoter" v WHERE v."pollId" = ? AND v."memberId" = i."memberId") ' +
    'AND NOT EXISTS (SELECT 1 FROM "PollResponse" r WHERE r."pollId" = ? AND r."memberId" = i."memberId") ' +
    'ORDER BY i."lastSeenAt" DESC LIMIT ?',
    [p.communityId, new Date(s.now.getTime() - SEEN_WITHIN_MS), id, id, MAX_REMINDERS * 3]);
  const reached = new Set<string>();
  for (const a of accounts) {
    if (reached.size >= MAX_REMINDERS) break;
    if (reached.has(a.memberId)) continue;
    reached.add(a.memberId);
    await s.announce({
      communityId: p.communityId, platform: a.platform as Platform, to: { kind: 'dm', userId: a.platformUserId }, memberId: a.memberId,
      notice: {
        type: 'poll.reminder', community: community.name, leftMs: p.closesAt.getTime() - s.now.getTime(), buttons: a.platform === 'slack',
        poll: { id: p.id, question: p.question, kind: p.kind as PollKind, options: labelsOf(p), anonymous: p.anonymous, points: p.answerPoints, closesAt: p.closesAt },
      },
    });
  }
  return reached.size;
}

/* --- linking a member's other account (src/features/link) --- */

/**
 * One person, one answer: the linked account's answers to polls still open become the member's, unless the member
 * answered too (then the member's answer stands and the account's goes). Anonymous answers cannot be told apart:
 * only who answered moves. Closed polls keep their results as they were.
 */
export async function mergeOpenAnswers(s: Scope, fromId: string, toId: string): Promise<void> {
  const tx = txOf(s);
  const voted = await tx.pollVoter.findMany({ where: { memberId: fromId }, select: { pollId: true } });
  const responded = await tx.pollResponse.findMany({ where: { memberId: fromId }, select: { pollId: true } });
  const ids = [...new Set([...voted, ...responded].map((v) => v.pollId))];
  if (!ids.length) return;
  const open = await tx.poll.findMany({ where: { id: { in: ids }, status: 'open' }, select: { id: true } });
  for (const { id: pollId } of open) {
    const mine = await tx.pollVoter.findUnique({ where: { pollId_memberId: { pollId, memberId: toId } } })
      ?? await tx.pollResponse.findUnique({ where: { pollId_memberId: { pollId, memberId: toId } } });
    if (mine) {
      await tx.pollChoice.deleteMany({ where: { pollId, memberId: fromId } });
      await tx.pollResponse.deleteMany({ where: { pollId, memberId: fromId } });
      await tx.pollVoter.deleteMany({ where: { pollId, memberId: fromId } });
      continue;
    }
    await tx.pollChoice.updateMany({ where: { pollId, memberId: fromId }, data: { memberId: toId } });
    await tx.pollResponse.updateMany({ where: { pollId, memberId: fromId }, data: { memberId: toId } });
    await tx.pollVoter.updateMany({ where: { pollId, memberId: fromId }, data: { memberId: toId } });
  }
}

/** An anonymous poll's points for answering, paid to every voter at its close (the same key as a named answer's). */
async function payAnonymousVoters(s: Scope, pollId: number): Promise<void> {
  const p = await txOf(s).poll.findUniqueOrThrow({ where: { id: pollId }, select: { id: true, communityId: true, answerPoints: true, anonymous: true } });
  if (!p.anonymous || p.answerPoints <= 0) return;
  const voters = await txOf(s).pollVoter.findMany({ where: { pollId }, select: { memberId: true }, orderBy: { memberId: 'asc' } });
  for (const v of voters) await payForAnswer(s, p, v.memberId);
}

