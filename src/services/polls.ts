import type { Deps } from '../core/context.js';
import type { Platform, Reply } from '../core/types.js';
import { UserError } from '../core/errors.js';
import { formatDate } from '../core/time.js';

export type Repeat = 'none' | 'daily' | 'weekly' | 'monthly';

export interface NewPoll {
  communityId: string;
  question: string;
  opensAt: Date;
  closesAt: Date;
  repeat: Repeat;
  createdById: string;
  platform: Platform;
  channelId?: string;
}

export interface NpsSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** %promoters − %detractors, rounded to a whole number; null with no responses. */
  nps: number | null;
  average: number | null;
  /** Count per score 0..10. */
  histogram: number[];
}

/** Promoters score 9–10, passives 7–8, detractors 0–6; NPS = %promoters − %detractors (−100..100). */
export function npsOf(scores: number[]): NpsSummary {
  const histogram = Array.from({ length: 11 }, () => 0);
  for (const s of scores) histogram[s]++;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const n = scores.length;
  return {
    responses: n,
    promoters,
    passives: n - promoters - detractors,
    detractors,
    nps: n ? Math.round(((promoters - detractors) / n) * 100) : null,
    average: n ? Math.round((scores.reduce((a, b) => a + b, 0) / n) * 10) / 10 : null,
    histogram,
  };
}

export const category = (score: number) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');

export function pollCard(p: { id: number; question: string; closesAt: Date }): Reply {
  const btn = (s: number) => ({ label: String(s), command: 'poll answer', args: { poll: p.id, score: s }, style: (s >= 9 ? 'success' : s >= 7 ? 'secondary' : 'danger') as 'success' | 'secondary' | 'danger' });
  return {
    text: `📊 **Poll #${p.id}: ${p.question}**\n0 = not at all likely, 10 = extremely likely. Closes ${formatDate(p.closesAt)}.\nAnswer with a button or /poll answer ${p.id} <0-10> [comment]`,
    buttons: [[0, 1, 2, 3, 4, 5].map(btn), [6, 7, 8, 9, 10].map(btn)],
  };
}

export function commentButton(pollId: number): Reply['buttons'] {
  return [[{
    label: 'Add a comment', command: 'poll comment', args: { poll: pollId }, style: 'secondary',
    form: { title: `Poll #${pollId}`, command: 'poll comment', args: { poll: pollId }, fields: [{ name: 'comment', label: 'What is the main reason for your score?', long: true, maxLength: 1000 }] },
  }]];
}

export function nextOccurrence(d: Date, repeat: Repeat): Date | null {
  if (repeat === 'none') return null;
  const n = new Date(d);
  if (repeat === 'daily') n.setUTCDate(n.getUTCDate() + 1);
  if (repeat === 'weekly') n.setUTCDate(n.getUTCDate() + 7);
  if (repeat === 'monthly') n.setUTCMonth(n.getUTCMonth() + 1);
  return n;
}

export async function createPoll(d: Deps, p: NewPoll) {
  if (p.closesAt.getTime() <= p.opensAt.getTime()) throw new UserError('The poll must close after it opens.');
  if (p.opensAt.getTime() < d.now.getTime() - 60_000) throw new UserError('The opening time must not be in the past.');
  if (!p.channelId) throw new UserError('Create polls in a channel, so I know where to post them.');
  const poll = await d.tx.poll.create({
    data: {
      communityId: p.communityId, question: p.question, opensAt: p.opensAt, closesAt: p.closesAt, repeat: p.repeat,
      createdById: p.createdById, platform: p.platform, channelId: p.channelId, status: 'scheduled',
    },
  });
  if (poll.opensAt.getTime() <= d.now.getTime()) await openPoll(d, poll.id);
  else await d.schedule('poll.open', poll.id, poll.opensAt);
  await d.schedule('poll.close', poll.id, poll.closesAt);
  return d.tx.poll.findUniqueOrThrow({ where: { id: poll.id } });
}

export async function openPoll(d: Deps, id: number): Promise<void> {
  const p = await d.tx.poll.findUnique({ where: { id } });
  if (!p || p.status !== 'scheduled') return;
  await d.tx.poll.update({ where: { id }, data: { status: 'open' } });
  if (p.platform && p.channelId) await d.announce({ communityId: p.communityId, platform: p.platform as Platform, channelId: p.channelId, reply: pollCard(p) });
}

export async function getPoll(d: Deps, communityId: string, id: number) {
  const p = await d.tx.poll.findUnique({ where: { id } });
  if (!p || p.communityId !== communityId) throw new UserError(`There is no poll #${id}. See /poll list.`);
  return p;
}

/** One answer per member: answering again while the poll is open changes the score (and keeps the comment unless a new one is given). */
export async function answerPoll(d: Deps, communityId: string, pollId: number, memberId: string, score: number, comment?: string) {
  const p = await getPoll(d, communityId, pollId);
  if (p.status === 'scheduled') throw new UserError(`Poll #${p.id} opens ${formatDate(p.opensAt)}.`);
  if (p.status !== 'open' || p.closesAt.getTime() <= d.now.getTime()) throw new UserError(`Poll #${p.id} is closed.`);
  const key = { pollId_memberId: { pollId, memberId } };
  const existing = await d.tx.pollResponse.findUnique({ where: key });
  if (existing) await d.tx.pollResponse.update({ where: key, data: { score, ...(comment ? { comment } : {}) } });
  else await d.tx.pollResponse.create({ data: { pollId, memberId, score, comment: comment ?? null, createdAt: d.now } });
  return { poll: p, changed: !!existing, previous: existing?.score };
}

export async function commentPoll(d: Deps, communityId: string, pollId: number, memberId: string, comment: string) {
  const p = await getPoll(d, communityId, pollId);
  if (p.status !== 'open' || p.closesAt.getTime() <= d.now.getTime()) throw new UserError(`Poll #${p.id} is closed.`);
  const key = { pollId_memberId: { pollId, memberId } };
  const existing = await d.tx.pollResponse.findUnique({ where: key });
  if (!existing) throw new UserError(`Answer poll #${pollId} with a score first: /poll answer ${pollId} <0-10>.`);
  await d.tx.pollResponse.update({ where: key, data: { comment } });
  return p;
}

export async function pollResults(d: Deps, communityId: string, pollId: number) {
  const p = await getPoll(d, communityId, pollId);
  const responses = await d.tx.pollResponse.findMany({ where: { pollId }, orderBy: { updatedAt: 'desc' } });
  return { poll: p, summary: npsOf(responses.map((r) => r.score)), responses, trend: await seriesTrend(d, p) };
}

export interface TrendPoint { pollId: number; opensAt: Date; nps: number | null; responses: number }

/** NPS of the earlier runs of a repeating poll, up to and including this one (at most `max`). */
export async function seriesTrend(d: Deps, p: { id: number; seriesId: number | null; opensAt: Date }, max = 6): Promise<TrendPoint[]> {
  const head = p.seriesId ?? p.id;
  const runs = await d.tx.poll.findMany({
    where: { OR: [{ id: head }, { seriesId: head }], opensAt: { lte: p.opensAt }, status: { not: 'scheduled' } },
    orderBy: { opensAt: 'desc' },
    take: max,
    include: { responses: { select: { score: true } } },
  });
  if (runs.length < 2) return [];
  return runs.reverse().map((r) => {
    const s = npsOf(r.responses.map((x) => x.score));
    return { pollId: r.id, opensAt: r.opensAt, nps: s.nps, responses: s.responses };
  });
}

const signed = (n: number | null) => (n === null ? 'n/a' : `${n > 0 ? '+' : ''}${n}`);

export function trendText(trend: TrendPoint[]): string | null {
  if (trend.length < 2) return null;
  return `Trend: ${trend.map((t) => `${t.opensAt.toISOString().slice(0, 10)} ${signed(t.nps)} (${t.responses})`).join(' → ')}`;
}

export function resultsText(p: { id: number; question: string; status: string }, s: NpsSummary, comments: { score: number; comment: string | null }[], maxComments = 5, trend: TrendPoint[] = []): string {
  const t = trendText(trend);
  if (!s.responses) return `📊 Poll #${p.id} "${p.question}" (${p.status}): no answers yet.${t ? `\n${t}` : ''}`;
  const pct = (n: number) => `${Math.round((n / s.responses) * 100)}%`;
  const lines = [
    `📊 **Poll #${p.id}: ${p.question}** (${p.status})`,
    `NPS **${signed(s.nps)}** from ${s.responses} answer${s.responses === 1 ? '' : 's'} · average ${s.average}`,
    `Promoters (9–10): ${s.promoters} (${pct(s.promoters)}) · Passives (7–8): ${s.passives} (${pct(s.passives)}) · Detractors (0–6): ${s.detractors} (${pct(s.detractors)})`,
  ];
  if (t) lines.push(t);
  const withText = comments.filter((c) => c.comment);
  if (withText.length && maxComments > 0) {
    lines.push('Recent comments:');
    for (const c of withText.slice(0, maxComments)) lines.push(`• [${c.score}, ${category(c.score)}] ${c.comment}`);
  }
  return lines.join('\n');
}

/** Close job: posts the results; a repeating poll schedules its next run. */
export async function closePoll(d: Deps, id: number): Promise<void> {
  const p = await d.tx.poll.findUnique({ where: { id } });
  if (!p || p.status === 'closed') return;
  await d.tx.poll.update({ where: { id }, data: { status: 'closed' } });
  await d.unschedule('poll.open', id);
  const responses = await d.tx.pollResponse.findMany({ where: { pollId: id }, orderBy: { updatedAt: 'desc' } });
  if (p.platform && p.channelId) {
    await d.announce({
      communityId: p.communityId, platform: p.platform as Platform, channelId: p.channelId,
      reply: { text: resultsText({ ...p, status: 'closed' }, npsOf(responses.map((r) => r.score)), [], 0, await seriesTrend(d, p)) },
    });
  }
  const nextOpen = nextOccurrence(p.opensAt, p.repeat as Repeat);
  if (nextOpen) {
    const length = p.closesAt.getTime() - p.opensAt.getTime();
    // Skip occurrences already in the past (the bot was down for a while).
    let open = nextOpen;
    while (open.getTime() + length <= d.now.getTime()) open = nextOccurrence(open, p.repeat as Repeat)!;
    const next = await d.tx.poll.create({
      data: {
        communityId: p.communityId, question: p.question, opensAt: open, closesAt: new Date(open.getTime() + length), repeat: p.repeat,
        seriesId: p.seriesId ?? p.id, createdById: p.createdById, platform: p.platform, channelId: p.channelId, status: 'scheduled',
      },
    });
    await d.schedule('poll.open', next.id, next.opensAt);
    await d.schedule('poll.close', next.id, next.closesAt);
  }
}
