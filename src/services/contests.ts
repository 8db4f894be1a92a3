import type { Deps } from '../core/context.js';
import type { Platform, Reply } from '../core/types.js';
import { UserError } from '../core/errors.js';
import { formatDate } from '../core/time.js';
import { applyPoints } from './ledger.js';

const DAY = 86_400_000;

export interface NewContest {
  communityId: string;
  prize: string;
  prizePoints: number;
  winnersCount: number;
  endsAt: Date;
  minPoints: number;
  minMemberDays: number;
  createdById: string;
  platform: Platform;
  channelId?: string;
}

type ContestRow = { id: number; prize: string; prizePoints: number; winnersCount: number; endsAt: Date; minPoints: number; minMemberDays: number };

export function requirementsText(c: ContestRow): string {
  const req: string[] = [];
  if (c.minPoints > 0) req.push(`at least ${c.minPoints} points earned`);
  if (c.minMemberDays > 0) req.push(`member for ${c.minMemberDays}+ days`);
  return req.length ? `Requirements: ${req.join(', ')}` : 'Open to everyone';
}

export function contestCard(c: ContestRow): Reply {
  const extra = c.prizePoints ? ` + ${c.prizePoints} points` : '';
  return {
    text: `🎉 **Giveaway #${c.id}: ${c.prize}${extra}**\n${c.winnersCount} winner${c.winnersCount > 1 ? 's' : ''} · Ends ${formatDate(c.endsAt)}\n${requirementsText(c)}\nEnter with the button or /contest enter ${c.id}`,
    buttons: [[{ label: '🎉 Enter', command: 'contest enter', args: { contest: c.id }, style: 'success' }]],
  };
}

export async function createContest(d: Deps, c: NewContest) {
  if (c.endsAt.getTime() <= d.now.getTime()) throw new UserError('The end time must be in the future.');
  const contest = await d.tx.contest.create({
    data: {
      communityId: c.communityId, prize: c.prize, prizePoints: c.prizePoints, winnersCount: c.winnersCount, endsAt: c.endsAt,
      minPoints: c.minPoints, minMemberDays: c.minMemberDays, createdById: c.createdById, platform: c.platform, channelId: c.channelId ?? null,
    },
  });
  await d.schedule('contest.end', contest.id, contest.endsAt);
  if (c.channelId) await d.announce({ communityId: c.communityId, platform: c.platform, channelId: c.channelId, reply: contestCard(contest) });
  return contest;
}

export async function getContest(d: Deps, communityId: string, id: number) {
  const c = await d.tx.contest.findUnique({ where: { id } });
  if (!c || c.communityId !== communityId) throw new UserError(`There is no giveaway #${id}. See /contest list.`);
  return c;
}

export async function enterContest(d: Deps, communityId: string, contestId: number, member: { id: string; lifetimePoints: number; createdAt: Date }) {
  const c = await getContest(d, communityId, contestId);
  if (c.status !== 'open' || c.endsAt.getTime() <= d.now.getTime()) throw new UserError(`Giveaway #${c.id} has ended.`);
  if (member.lifetimePoints < c.minPoints) {
    throw new UserError(`Giveaway #${c.id} needs at least ${c.minPoints} points earned; you have ${member.lifetimePoints}.`);
  }
  const days = (d.now.getTime() - member.createdAt.getTime()) / DAY;
  if (days < c.minMemberDays) {
    throw new UserError(`Giveaway #${c.id} is for members of ${c.minMemberDays}+ days; you joined ${Math.floor(days)} day(s) ago.`);
  }
  const existing = await d.tx.contestEntry.findUnique({ where: { contestId_memberId: { contestId, memberId: member.id } } });
  if (existing) throw new UserError(`You are already entered in giveaway #${c.id}. Good luck!`);
  await d.tx.contestEntry.create({ data: { contestId, memberId: member.id, createdAt: d.now } });
  const entries = await d.tx.contestEntry.count({ where: { contestId } });
  return { contest: c, entries };
}

/** Draws `count` distinct members uniformly from `pool` (partial Fisher–Yates). */
export function draw<T>(pool: T[], count: number, random: (n: number) => number): T[] {
  const a = [...pool];
  const n = Math.min(count, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + random(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

async function winnerNames(d: Deps, memberIds: string[]) {
  const members = await d.tx.member.findMany({ where: { id: { in: memberIds } }, include: { identities: true } });
  return memberIds.map((id) => members.find((m) => m.id === id)!);
}

/** Mentions a member on the platform the contest runs on, or names them. */
function mention(m: { displayName: string; identities: { platform: string; platformUserId: string }[] }, platform: string | null) {
  const id = m.identities.find((i) => i.platform === platform);
  return id && (platform === 'discord' || platform === 'slack') ? `<@${id.platformUserId}>` : m.displayName;
}

async function awardPrizePoints(d: Deps, c: { id: number; communityId: string; prize: string; prizePoints: number }, memberIds: string[]) {
  if (c.prizePoints <= 0) return;
  for (const memberId of memberIds) {
    await applyPoints(d, {
      communityId: c.communityId, memberId, delta: c.prizePoints, kind: 'contest',
      reason: `Won giveaway #${c.id}: ${c.prize}`, idempotencyKey: `contest:${c.id}:${memberId}`,
    });
  }
}

/** Ends an open contest and draws its winners fairly. Safe to call twice (the job and a moderator). */
export async function endContest(d: Deps, id: number): Promise<{ winners: string[]; entries: number } | null> {
  const c = await d.tx.contest.findUnique({ where: { id } });
  if (!c || c.status !== 'open') return null;
  const claimed = await d.tx.contest.updateMany({ where: { id, status: 'open' }, data: { status: 'ended', endedAt: d.now } });
  if (claimed.count !== 1) return null;
  const entries = await d.tx.contestEntry.findMany({ where: { contestId: id }, orderBy: { memberId: 'asc' } });
  const winners = draw(entries.map((e) => e.memberId), c.winnersCount, d.random);
  if (winners.length) await d.tx.contestWinner.createMany({ data: winners.map((memberId) => ({ contestId: id, memberId, round: 1, createdAt: d.now })) });
  await awardPrizePoints(d, c, winners);
  const names = await winnerNames(d, winners);
  if (c.platform && c.channelId) {
    const text = winners.length
      ? `🎉 **Giveaway #${id} ended: ${c.prize}**\nWinner${winners.length > 1 ? 's' : ''}: ${names.map((m) => mention(m, c.platform)).join(', ')} (from ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}). Congratulations!`
      : `Giveaway #${id} (${c.prize}) ended with no entries, so there is no winner.`;
    await d.announce({ communityId: c.communityId, platform: c.platform as Platform, channelId: c.channelId, reply: { text } });
  }
  return { winners: names.map((m) => m.displayName), entries: entries.length };
}

/** Draws `count` new winners among entrants who have not won yet; optionally replaces one winner first. */
export async function rerollContest(d: Deps, communityId: string, id: number, count: number, replaceMemberId?: string) {
  const c = await getContest(d, communityId, id);
  if (c.status !== 'ended') throw new UserError(`Giveaway #${id} has not ended yet; end it first with /contest end ${id}.`);
  const prior = await d.tx.contestWinner.findMany({ where: { contestId: id } });
  if (replaceMemberId) {
    const w = prior.find((p) => p.memberId === replaceMemberId && !p.replaced);
    if (!w) throw new UserError(`That member is not a current winner of giveaway #${id}.`);
    await d.tx.contestWinner.update({ where: { contestId_memberId: { contestId: id, memberId: replaceMemberId } }, data: { replaced: true } });
  }
  const won = new Set(prior.map((p) => p.memberId));
  const entries = await d.tx.contestEntry.findMany({ where: { contestId: id }, orderBy: { memberId: 'asc' } });
  const pool = entries.map((e) => e.memberId).filter((m) => !won.has(m));
  if (!pool.length) throw new UserError(`Everyone who entered giveaway #${id} has already won; nobody is left to draw.`);
  const round = Math.max(0, ...prior.map((p) => p.round)) + 1;
  const winners = draw(pool, count, d.random);
  await d.tx.contestWinner.createMany({ data: winners.map((memberId) => ({ contestId: id, memberId, round, createdAt: d.now })) });
  await awardPrizePoints(d, c, winners);
  const names = await winnerNames(d, winners);
  if (c.platform && c.channelId) {
    await d.announce({
      communityId, platform: c.platform as Platform, channelId: c.channelId,
      reply: { text: `🔁 Giveaway #${id} (${c.prize}) reroll: new winner${winners.length > 1 ? 's' : ''} ${names.map((m) => mention(m, c.platform)).join(', ')}. Congratulations!` },
    });
  }
  return names.map((m) => m.displayName);
}

export async function cancelContest(d: Deps, communityId: string, id: number) {
  const c = await getContest(d, communityId, id);
  if (c.status !== 'open') throw new UserError(`Giveaway #${id} is already ${c.status}.`);
  await d.tx.contest.update({ where: { id }, data: { status: 'cancelled', endedAt: d.now } });
  await d.unschedule('contest.end', id);
  if (c.platform && c.channelId) {
    await d.announce({ communityId, platform: c.platform as Platform, channelId: c.channelId, reply: { text: `Giveaway #${id} (${c.prize}) was cancelled.` } });
  }
  return c;
}
