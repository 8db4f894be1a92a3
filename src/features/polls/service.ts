import { txOf, type Scope } from '../../core/scope.js';
import type { Address, Platform } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { occurrence, type Repeat } from '../../core/time.js';
import { channelOf } from '../../core/address.js';
import { npsOf, type NpsGroup, type NpsSummary } from './nps.js';
import { emitEvent } from '../webhooks/service.js';
import { displayNames, dmTarget, lockCommunity, parseTiers, tierIndex } from '../members/service.js';
import { sqlRows } from '../../db/fast.js';
import { dateOf } from '../../db/rows.js';
import { segmentsOf, type NpsSegments } from './segments.js';
import { DETRACTOR_MAX, replyText, type FollowUpKind, type FollowUpState } from './followups.js';

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
}

export interface PollCard { id: number; question: string; closesAt: Date }

export interface TrendPoint { pollId: number; opensAt: Date; nps: number | null; responses: number }

/** Notices this feature sends. */
export type PollNotice =
  | { type: 'poll.card'; poll: PollCard }
  | { type: 'poll.results'; poll: { id: number; question: string }; summary: NpsSummary; trend: TrendPoint[] }
  | { type: 'poll.followUp'; community: string; question: string; text: string };

const cardOf = (p: PollCard): PollCard => ({ id: p.id, question: p.question, closesAt: p.closesAt });

export async function createPoll(s: Scope, p: NewPoll) {
  if (p.closesAt.getTime() <= p.opensAt.getTime()) throw new UserError('polls:error.closeBeforeOpen', {}, 'duration');
  if (p.opensAt.getTime() < s.now.getTime() - 60_000) throw new UserError('polls:error.opensPast', {}, 'opens');
  const tx = txOf(s);
  const where = p.address?.kind === 'channel' ? p.address : undefined;
  const poll = await tx.poll.create({
    data: {
      communityId: p.communityId, question: p.question, opensAt: p.opensAt, closesAt: p.closesAt, repeat: p.repeat,
      createdById: p.createdById, platform: p.platform, channelId: where?.channelId ?? null, threadId: where?.threadId ?? null, status: 'scheduled',
    },
  });
  if (poll.opensAt.getTime() <= s.now.getTime()) await openPoll(s, poll.id);
  else await s.schedule('poll.open', poll.id, poll.opensAt);
  await s.schedule('poll.close', poll.id, poll.closesAt);
  return tx.poll.findUniqueOrThrow({ where: { id: poll.id } });
}

/** Open job (or creation): a scheduled poll opens and its card is posted; a second call does nothing. */
export async function openPoll(s: Scope, id: number): Promise<void> {
  const tx = txOf(s);
  const claimed = await tx.poll.updateMany({ where: { id, status: 'scheduled' }, data: { status: 'open' } });
  if (claimed.count !== 1) return;
  const p = await tx.poll.findUniqueOrThrow({ where: { id } });
  const to = channelOf(p);
  if (p.platform && to) await s.announce({ communityId: p.communityId, platform: p.platform as Platform, to, notice: { type: 'poll.card', poll: cardOf(p) } });
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

/**
 * One answer per member: answering again while the poll is open changes the score (and keeps the comment unless
 * a new one is given). `platform` is where it was given (the latest answer's, for the dashboard's segments).
 */
export async function answerPoll(s: Scope, communityId: string, pollId: number, memberId: string, score: number, comment?: string, platform?: Platform) {
  const tx = txOf(s);
  const p = await getPoll(s, communityId, pollId);
  if (p.status === 'scheduled') throw new UserError('polls:error.notOpenYet', { id: p.id, opensAt: p.opensAt });
  await holdOpen(s, p);
  const key = { pollId_memberId: { pollId, memberId } };
  const existing = await tx.pollResponse.findUnique({ where: key });
  if (existing) await tx.pollResponse.update({ where: key, data: { score, ...(comment ? { comment } : {}), ...(platform ? { platform } : {}) } });
  else await tx.pollResponse.create({ data: { pollId, memberId, score, comment: comment ?? null, platform: platform ?? null, createdAt: s.now } });
  await emitEvent(s, communityId, 'poll.answered', `poll.answered:${pollId}:${memberId}:${s.now.getTime()}`,
    { pollId, question: p.question, memberId, score, comment: comment ?? existing?.comment ?? null, changed: !!existing });
  return { pollId, score, changed: !!existing, previous: existing?.score, commented: !!comment };
}

export async function commentPoll(s: Scope, communityId: string, pollId: number, memberId: string, comment: string) {
  const tx = txOf(s);
  const p = await getPoll(s, communityId, pollId);
  await holdOpen(s, p);
  const key = { pollId_memberId: { pollId, memberId } };
  const existing = await tx.pollResponse.findUnique({ where: key });
  if (!existing) throw new UserError('polls:error.answerFirst', { id: pollId });
  await tx.pollResponse.update({ where: key, data: { comment } });
  return { pollId };
}

/** Open and upcoming polls, with whether this member has answered each. */
export async function listPolls(s: Scope, communityId: string, memberId: string) {
  const tx = txOf(s);
  const polls = await tx.poll.findMany({ where: { communityId, status: { in: ['open', 'scheduled'] } }, orderBy: { opensAt: 'asc' }, take: 20 });
  const mine = await tx.pollResponse.findMany({ where: { memberId, pollId: { in: polls.map((p) => p.id) } }, select: { pollId: true } });
  const answered = new Set(mine.map((r) => r.pollId));
  return polls.map((p) => ({
    id: p.id, question: p.question, status: p.status as 'open' | 'scheduled', opensAt: p.opensAt, closesAt: p.closesAt,
    repeat: p.repeat as Repeat, answered: answered.has(p.id),
  }));
}

/** Summary, trend and comments (newest first) of one poll, for moderators. */
export async function pollResults(s: Scope, communityId: string, pollId: number) {
  const p = await getPoll(s, communityId, pollId);
  const responses = await txOf(s).pollResponse.findMany({ where: { pollId }, orderBy: { updatedAt: 'desc' }, select: { score: true, comment: true } });
  return {
    poll: { id: p.id, question: p.question, status: p.status },
    summary: npsOf(responses.map((r) => r.score)),
    comments: responses.filter((r): r is { score: number; comment: string } => !!r.comment),
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
    include: { responses: { select: { score: true } } },
  });
  if (runs.length < 2) return [];
  return runs.reverse().map((r) => {
    const sum = npsOf(r.responses.map((x) => x.score));
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
  // Closed early: closesAt becomes when it really closed (lists, response rates); a late close job keeps the planned time.
  await tx.poll.updateMany({ where: { id, closesAt: { gt: s.now } }, data: { closesAt: s.now } });
  const p = await tx.poll.findUniqueOrThrow({ where: { id } });
  const to = channelOf(p);
  if (p.platform && to) {
    const responses = await tx.pollResponse.findMany({ where: { pollId: id }, select: { score: true } });
    await s.announce({
      communityId: p.communityId, platform: p.platform as Platform, to,
      notice: { type: 'poll.results', poll: { id: p.id, question: p.question }, summary: npsOf(responses.map((r) => r.score)), trend: await seriesTrend(s, p) },
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
  const next = await tx.poll.create({
    data: {
      communityId: p.communityId, question: p.question, opensAt: open, closesAt: new Date(open.getTime() + length), repeat: p.repeat,
      seriesId: head, createdById: p.createdById, platform: p.platform, channelId: p.channelId, threadId: p.threadId, status: 'scheduled',
    },
  });
  await s.schedule('poll.open', next.id, next.opensAt);
  await s.schedule('poll.close', next.id, next.closesAt);
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
  const base = { poll: { communityId }, score: { lte: DETRACTOR_MAX } };
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
  const r = await txOf(s).pollResponse.findUnique({ where: { pollId_memberId: a }, include: { poll: { select: { communityId: true, question: true } } } });
  // Only detractors' answers are in the queue: moderators cannot message any other respondent through it.
  if (!r || r.poll.communityId !== communityId || r.score > DETRACTOR_MAX) throw new UserError('dashboard:nps.followups.error.notFound');
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
  selected: { seriesId: number; run: NpsRun; summary: NpsSummary; comments: NpsComment[]; rate: ResponseRate; segments: NpsSegments } | null;
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
  const polls = (await tx.poll.findMany({ where: { communityId, status: { not: 'scheduled' } }, orderBy: [{ opensAt: 'desc' }, { id: 'desc' }], take: limits.maxRuns })).reverse();
  const counts = await tx.pollResponse.groupBy({ by: ['pollId', 'score'], where: { pollId: { in: polls.map((p) => p.id) } }, _count: { _all: true } });
  const scores = new Map<number, number[]>();
  for (const c of counts) scores.set(c.pollId, [...(scores.get(c.pollId) ?? []), ...Array<number>(c._count._all).fill(c.score)]);
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
  const openFollowUps = await tx.pollResponse.count({ where: { poll: { communityId }, score: { lte: DETRACTOR_MAX }, followedUpAt: null } });
  if (!chosen) return { series, selected: null, openFollowUps };
  if (!series.includes(chosen)) series.push(chosen);

  const run = chosen.runs.find((r) => r.pollId === q.run) ?? chosen.runs.at(-1)!;
  const range = { promoters: { gte: 9 }, passives: { gte: 7, lte: 8 }, detractors: { lte: 6 } };
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
      seriesId: chosen.id, run, summary,
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
async function runSegments(s: Scope, communityId: string, pollId: number): Promise<NpsSegments> {
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
  const counts = answered.length
    ? await tx.pollResponse.groupBy({ by: ['pollId', 'score'], where: { pollId: { in: answered } }, _count: { _all: true } })
    : [];
  const scores = new Map<number, number[]>();
  for (const c of counts) scores.set(c.pollId, [...(scores.get(c.pollId) ?? []), ...Array<number>(c._count._all).fill(c.score)]);
  const row = (p: (typeof scheduled)[number]): PollsBoardRow => {
    const sum = npsOf(scores.get(p.id) ?? []);
    return {
      id: p.id, question: p.question, status: p.status as PollsBoardRow['status'], opensAt: p.opensAt, closesAt: p.closesAt, repeat: p.repeat as Repeat,
      seriesId: p.seriesId, platform: p.platform, channelId: p.channelId, threadId: p.threadId, responses: sum.responses, nps: sum.nps,
    };
  };
  return { scheduled: scheduled.map(row), open: open.map(row), closed: closed.map(row) };
}
