import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot, MIN } from './helpers.js';
import { transaction } from '../src/db/client.js';
import { txScope } from '../src/infra/jobs.js';
import type { Scope } from '../src/core/scope.js';
import type { Address, Reply } from '../src/core/types.js';
import type { SendMeta } from '../src/infra/outbox.js';
import { allCommands } from '../commands/index.js';
import { defineCommand, type CommandDef } from '../src/core/command.js';
import { pollVote } from '../commands/polls.js';

let bot: TestBot;
afterEach(async () => bot?.close());

const inTx = <T>(fn: (s: Scope) => Promise<T>) =>
  transaction(bot.db.prisma, (tx) => fn(txScope(tx, bot.clock.now(), () => 0)), { maxWait: 5_000, timeout: 10_000 });

/** A platform side that numbers what it posts and records edits. */
function port() {
  const posted: { id: string; to: Address; reply: Reply; meta: SendMeta }[] = [];
  const edits: { id: string; reply: Reply }[] = [];
  return {
    posted, edits,
    send: async (to: Address, reply: Reply, meta: SendMeta) => { const id = `m${posted.length + 1}`; posted.push({ id, to, reply, meta }); return id; },
    edit: async (_to: Address, id: string, reply: Reply) => { edits.push({ id, reply }); },
  };
}

const channel: Address = { kind: 'channel', channelId: 'general' };
const notice = (question: string) => ({ type: 'poll.card', poll: { id: 1, question, closesAt: new Date('2026-12-01T00:00:00Z') } });

describe('cards: remembered posts, edits and reactions', () => {
  it('remembers a card by the id the platform returns, edits that message later, and drops an edit of a card never posted there', async () => {
    bot = await testBot();
    await bot.run('alice', '/points');
    const community = (await bot.db.prisma.community.findFirstOrThrow()).id;
    await inTx((s) => s.announce({ communityId: community, platform: 'console', to: channel, notice: notice('first'), card: 'poll:1' }));
    const p = port();
    expect(await bot.engine.deliverOutbox('console', p)).toBe(1);
    expect(p.posted).toHaveLength(1);
    // The community's space on the platform comes along, for adapters that serve many workspaces.
    expect(p.posted[0].meta).toEqual({ communityId: community, space: 'test' });
    expect(await bot.db.prisma.postedMessage.findMany({ select: { key: true, platform: true, channelId: true, messageId: true } }))
      .toEqual([{ key: 'poll:1', platform: 'console', channelId: 'general', messageId: 'm1' }]);

    await inTx(async (s) => {
      await s.announce({ communityId: community, platform: 'console', to: channel, notice: notice('edited'), edit: 'poll:1' });
      // Another channel never had the card: nothing is posted there.
      await s.announce({ communityId: community, platform: 'console', to: { kind: 'channel', channelId: 'random' }, notice: notice('lost'), edit: 'poll:1' });
    });
    expect(await bot.engine.deliverOutbox('console', p)).toBe(2);
    expect(p.posted).toHaveLength(1);
    expect(p.edits.map((e) => e.id)).toEqual(['m1']);
    expect(p.edits[0].reply.text).toContain('edited');
    // A platform that cannot edit leaves its cards as they are (and does not post a second card).
    await inTx((s) => s.announce({ communityId: community, platform: 'console', to: channel, notice: notice('again'), edit: 'poll:1' }));
    const sends: Reply[] = [];
    expect(await bot.engine.deliverOutbox('console', async (_to, r) => { sends.push(r); })).toBe(1);
    expect(sends).toEqual([]);
  });

  it('runs a throttled job once for a burst of requests, and arms it again after it ran', async () => {
    bot = await testBot();
    const at = () => new Date(bot.clock.now().getTime() + 10_000);
    for (let i = 0; i < 5; i++) {
      await inTx((s) => s.scheduleIfIdle('contest.refresh', 7, at()));
      bot.clock.advance(1_000);
    }
    const jobs = await bot.db.prisma.scheduledJob.findMany({ where: { kind: 'contest.refresh' } });
    expect(jobs).toHaveLength(1);
    // The first request's time stands: later ones do not push it back (a steady stream still refreshes).
    expect(jobs[0].runAt.getTime()).toBe(Date.parse('2026-11-25T12:00:10Z'));
    bot.clock.advance(10 * MIN);
    expect(await bot.engine.runDueJobs()).toBe(1);
    expect(await bot.engine.runDueJobs()).toBe(0);
    await inTx((s) => s.scheduleIfIdle('contest.refresh', 7, at()));
    expect(await bot.db.prisma.scheduledJob.findFirstOrThrow({ where: { kind: 'contest.refresh' } })).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('turns a reaction on a remembered poll card into `poll vote` for the person who reacted, and ignores other messages', async () => {
    const seen: unknown[] = [];
    const probe = defineCommand({
      name: 'poll vote', permission: 'member',
      // The real command's options, so the stand-in reads its arguments the same way.
      options: pollVote.options,
      async run(ctx, a) { seen.push({ ...a, user: ctx.inbound.actor.userId }); return { text: 'ok', ephemeral: true }; },
    }) as unknown as CommandDef;
    bot = await testBot({ commands: [...allCommands.filter((c) => c.name !== 'poll vote'), probe] });
    await bot.run('alice', '/points');
    const community = (await bot.db.prisma.community.findFirstOrThrow()).id;
    await inTx((s) => s.announce({ communityId: community, platform: 'console', to: { kind: 'channel', channelId: 'general', threadId: 't1' }, notice: notice('q'), card: 'poll:1' }));
    await bot.engine.deliverOutbox('console', port());
    const actor = { platform: 'console' as const, userId: 'bob', displayName: 'bob' };
    const base = { platform: 'console' as const, communityKey: 'test', channelId: 'general', emoji: '👍', actor };
    expect(await bot.engine.reaction({ ...base, messageId: 'm1', kind: 'add', eventKey: 'r1' })).toMatchObject({ text: 'ok' });
    expect(await bot.engine.reaction({ ...base, messageId: 'm1', kind: 'remove', eventKey: 'r2' })).toMatchObject({ text: 'ok' });
    expect(await bot.engine.reaction({ ...base, messageId: 'm999', kind: 'add' })).toBeNull();
    expect(await bot.engine.reaction({ ...base, channelId: 'other', messageId: 'm1', kind: 'add' })).toBeNull();
    expect(seen).toEqual([
      { poll: 1, option: '👍', mode: 'add', via: 'reaction', user: 'bob' },
      { poll: 1, option: '👍', mode: 'remove', via: 'reaction', user: 'bob' },
    ]);
    // Telegram numbers messages per chat: the same message id in many chats still finds the right card.
    for (let chat = 1; chat <= 8; chat++) {
      await inTx((s) => s.announce({ communityId: community, platform: 'console', to: { kind: 'channel', channelId: `chat${chat}` }, notice: notice('q'), card: `poll:${chat + 1}` }));
    }
    await bot.engine.deliverOutbox('console', async () => 'same-id');
    seen.length = 0;
    await bot.engine.reaction({ ...base, channelId: 'chat7', messageId: 'same-id', kind: 'add' });
    expect(seen).toEqual([{ poll: 8, option: '👍', mode: 'add', via: 'reaction', user: 'bob' }]);
  });
});
