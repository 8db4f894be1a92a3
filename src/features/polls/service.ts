import { txOf, type Scope } from '../../core/scope.js';
import type { Address, Platform } from '../../core/types.js';
import { UserError } from '../../core/errors.js';
import { occurrence, type Repeat } from '../../core/time.js';
import { channelOf } from '../../core/address.js';
import { npsOf, type NpsGroup, type NpsSummary } from './nps.js';
import { emitEvent } from '../webhooks/events.js';

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
  | { type: 'poll.results'; poll: { id: number; question: string }; summary: NpsSummary; trend: TrendPoint[] };

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

/** One answer per member: answering again while the poll is open changes the score (and keeps the comment unless a new one is given). */
export async function answerPoll(s: Scope, communityId: string, pollId: number, memberId: string, score: number, comment?: string) {
  const tx = txOf(s);
  const p = await getPoll(s, communityId, pollId);
  if (p.status === 'scheduled') throw new UserError('polls:error.notOpenYet', { id: p.id, opensAt: p.opensAt });
  await holdOpen(s, p);
  const key = { pollId_memberId: { pollId, memberId } };
  const existing = await tx.pollResponse.findUnique({ where: key });
  if (existing) await tx.pollResponse.update({ where: key, data: { score, ...(comment ? { comment } : {}) } });
  else await tx.pollResponse.create({ data: { pollId, memberId, score, comment: comment ?? null, createdAt: s.now } });
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

/** One run of a series on the dashboard's NPS chart. */
export interface NpsRun { pollId: number; question: string; status: string; opensAt: Date; closesAt: Date; nps: number | null; responses: number }
/** `at` is when the member answered (updatedAt follows the wall clock, not the engine's). */
export interface NpsComment { score: number; comment: string; at: Date; memberName: string }
export interface NpsReport {
  /** Series with at least one opened run, the most recently opened first (at most `maxSeries`); runs oldest first. */
  series: { id: number; question: string; runs: NpsRun[] }[];
  /** The chosen series (default: the latest) and run (default: its latest), with that run's breakdown and comments. */
  selected: { seriesId: number; run: NpsRun; summary: NpsSummary; comments: NpsComment[] } | null;
}

/**
 * The dashboard's NPS page (read-only): every series' NPS per run, and for one run its breakdown and comments,
 * newest first, optionally only one group's. A one-off poll is a series of its own.
 */
export async function npsReport(
  s: Scope, communityId: string, q: { series?: number; run?: number; group?: NpsGroup } = {}, limits = { maxSeries: 12, maxComments: 200 },
): Promise<NpsReport> {
  const tx = txOf(s);
  const polls = await tx.poll.findMany({ where: { communityId, status: { not: 'scheduled' } }, orderBy: [{ opensAt: 'asc' }, { id: 'asc' }] });
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
  if (!chosen) return { series, selected: null };
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
  return {
    series,
    selected: {
      seriesId: chosen.id, run, summary: summaries.get(run.pollId)!,
      comments: rows.map((r) => ({ score: r.score, comment: r.comment ?? '', at: r.createdAt, memberName: names.get(r.memberId) ?? '' })),
    },
  };
}
