import { describe, it, expect, afterEach } from 'vitest';
import { testBot, type TestBot } from './helpers.js';
import { RateLimiter } from '../src/infra/ratelimit.js';

let bot: TestBot;
afterEach(async () => bot?.close());

/** A hand-moved millisecond clock for the buckets. */
const fakeTime = () => {
  const t = { ms: 0, now: () => t.ms };
  return t;
};

describe('flood control', () => {
  it('slows one member sending 50 commands at once, with a clear message, and nobody else', async () => {
    const time = fakeTime();
    bot = await testBot({ rateLimit: { burst: 10, perSecond: 5, now: time.now } });
    await bot.run('ann', '/points');
    await bot.run('bob', '/points');
    time.ms += 10_000;
    const before = await bot.db.prisma.ledgerEntry.count();
    // 50 at once: /give is a write, so every accepted one leaves a ledger row.
    const flood = Array.from({ length: 50 }, (_, i) => bot.run('mod', '/give @ann 1', { role: 'admin', eventKey: `flood-${i}` }));
    const other = bot.run('bob', '/points');
    const replies = await Promise.all(flood);
    const refused = replies.filter((r) => r.error?.code === 'errors:slowDown');
    expect(replies.length - refused.length).toBe(10);
    expect(refused).toHaveLength(40);
    expect(refused[0]).toEqual({ text: 'You are going a little fast: please wait 1 second and try again.', error: { code: 'errors:slowDown' }, ephemeral: true });
    expect((await other).error).toBeUndefined();
    // Refused commands wrote nothing: no ledger rows, no redelivery records.
    expect(await bot.db.prisma.ledgerEntry.count()).toBe(before + 10);
    expect((await bot.memberOf('ann')).balance).toBe(10);
    expect(await bot.db.prisma.processedEvent.count({ where: { key: { startsWith: 'console:flood-' } } })).toBe(10);
    // The same member elsewhere (another community) has a bucket of its own.
    expect((await bot.run('mod', '/points', { role: 'admin', communityKey: 'elsewhere' })).error).toBeUndefined();
    // A redelivery of a command that went through still gets its answer while the member is slowed.
    const done = replies.findIndex((r) => !r.error);
    expect(await bot.run('mod', '/give @ann 1', { role: 'admin', eventKey: `flood-${done}` })).toEqual(replies[done]);
    // After a pause the member can act again: 5 commands a second come back.
    time.ms += 1000;
    const later = await Promise.all(Array.from({ length: 6 }, () => bot.run('mod', '/points', { role: 'admin' })));
    expect(later.map((r) => r.error?.code ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'errors:slowDown']);
    time.ms += 60_000;
    expect((await bot.run('mod', '/give @ann 1', { role: 'admin' })).error).toBeUndefined();
    expect((await bot.memberOf('ann')).balance).toBe(11);
  });

  it('words the refusal in the member\'s language and says how long to wait', async () => {
    const time = fakeTime();
    bot = await testBot({ rateLimit: { burst: 1, perSecond: 0.25, now: time.now } });
    const ko = { actor: { platform: 'console' as const, userId: 'min', displayName: 'min', locale: 'ko-KR' } };
    const ja = { actor: { platform: 'console' as const, userId: 'yui', displayName: 'yui', locale: 'ja' } };
    await bot.run('min', '/points', ko);
    await bot.run('yui', '/points', ja);
    expect((await bot.run('min', '/points', ko)).text).toBe('조금 천천히 해 주세요. 4초 후에 다시 시도해 주세요.');
    expect((await bot.run('yui', '/points', ja)).text).toBe('少し操作が速すぎます。4秒ほど待ってからもう一度お試しください。');
    time.ms += 2000;
    expect((await bot.run('yui', '/leaderboard')).text).toBe('You are going a little fast: please wait 2 seconds and try again.');
  });

  it('is off unless asked for', async () => {
    bot = await testBot();
    const replies = await Promise.all(Array.from({ length: 30 }, () => bot.run('ann', '/points')));
    expect(replies.filter((r) => r.error)).toHaveLength(0);
  });
});

describe('token buckets', () => {
  it('refill at the set rate up to the burst', () => {
    const time = fakeTime();
    const rl = new RateLimiter({ burst: 3, perSecond: 2, now: time.now });
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([0, 0, 0]);
    expect(rl.take('a')).toBe(500);
    time.ms += 250;
    expect(rl.take('a')).toBe(250);
    time.ms += 250;
    expect(rl.take('a')).toBe(0);
    time.ms += 60_000;
    expect([rl.take('a'), rl.take('a'), rl.take('a'), rl.take('a')].map((w) => w === 0)).toEqual([true, true, true, false]);
  });

  it('keep memory bounded: idle buckets are forgotten, and never more than maxBuckets are kept', () => {
    const time = fakeTime();
    const rl = new RateLimiter({ burst: 2, perSecond: 1, maxBuckets: 100, now: time.now });
    for (let i = 0; i < 1000; i++) rl.take(`m${i}`);
    expect(rl.size).toBeLessThanOrEqual(100);
    // Once full again a bucket is the same as none.
    time.ms += 2000;
    rl.take('late');
    expect(rl.size).toBe(1);
    // A member who keeps sending stays tracked while a crowd passes through.
    const busy = new RateLimiter({ burst: 5, perSecond: 1, maxBuckets: 50, now: time.now });
    for (let i = 0; i < 5; i++) busy.take('busy');
    for (let i = 0; i < 30; i++) { busy.take(`p${i}`); busy.take('busy'); }
    expect(busy.take('busy')).toBeGreaterThan(0);
  });
});
