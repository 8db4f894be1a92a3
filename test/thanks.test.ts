import { describe, it, expect, afterEach } from 'vitest';
import { testBot, drain, Clock, type TestBot, DAY } from './helpers.js';
import { reasonText } from '../src/features/points/present.js';
import { lang } from '../src/i18n/index.js';

let bot: TestBot;
afterEach(async () => bot?.close());

const admin = { role: 'admin' as const };
const ledger = () => bot.db.prisma.ledgerEntry.findMany({ where: { kind: 'thanks' }, orderBy: { id: 'asc' } });
const meet = async (...users: string[]) => { for (const u of users) await bot.run(u, '/points'); };

describe('peer thanks', () => {
  it('gives points from the allowance, not the balance, through the ledger, in public, with a DM to the receiver', async () => {
    bot = await testBot();
    await meet('jun', 'mina');
    await bot.run('mod', '/give @jun 20', admin);
    const r = await bot.run('jun', '/thanks @mina 2 for the great onboarding guide');
    expect(r.error).toBeUndefined();
    expect(r.ephemeral).toBeFalsy();
    expect(r.text).toBe('🙌 **jun** thanked **mina** +2: for the great onboarding guide');
    expect(r.buttons?.[0][0]).toMatchObject({ label: 'Thank someone too', command: 'thanks', form: { command: 'thanks' } });
    expect((await bot.memberOf('mina')).balance).toBe(2);
    expect((await bot.memberOf('mina')).lifetimePoints).toBe(2);
    expect((await bot.memberOf('jun')).balance).toBe(20);
    const rows = await ledger();
    expect(rows.map((l) => [l.delta, l.balanceAfter])).toEqual([[2, 2]]);
    expect(rows[0].actorId).toBe((await bot.memberOf('jun')).id);
    expect(reasonText(lang('en'), rows[0].reason)).toBe('Thanks from jun: for the great onboarding guide');
    expect(reasonText(lang('ko'), rows[0].reason)).toBe('jun 님의 감사: for the great onboarding guide');
    const thanks = await bot.db.prisma.thanks.findMany();
    expect(thanks.map((t) => [t.points, t.reason])).toEqual([[2, 'for the great onboarding guide']]);
    // Points default to 1; a word where the points go starts the reason.
    expect((await bot.run('jun', '/thanks @mina for answering my question')).text).toBe('🙌 **jun** thanked **mina** +1: for answering my question');
    const dms = await drain(bot);
    expect(dms.map((d) => d.to)).toEqual([{ kind: 'dm', userId: 'mina' }, { kind: 'dm', userId: 'mina' }]);
    expect(dms[0].reply.text).toBe('🙌 jun thanked you in console test +2 points: for the great onboarding guide\nYour balance: 2 points.');
    // Counts as earned: on the weekly board.
    expect((await bot.run('mina', '/leaderboard week')).text).toContain('mina');
    expect((await bot.run('jun', '/thanks left')).text).toMatch(/^You can give \*\*2 more points\*\* today \(of 5\)\. It resets Thu, Nov 26, 12:00 AM/);
  });

  it('opens a form with no arguments and asks for what is missing', async () => {
    bot = await testBot();
    await meet('jun', 'mina');
    const f = await bot.run('jun', '/thanks');
    expect(f.form?.command).toBe('thanks');
    expect(f.form?.fields.map((x) => [x.name, !!x.required])).toEqual([['member', true], ['points', false], ['reason', true]]);
    // A submitted form comes back as structured args.
    const r = await bot.run('jun', 'thanks', { args: { member: '@mina', points: '3', reason: 'great demo' } });
    expect(r.text).toBe('🙌 **jun** thanked **mina** +3: great demo');
    const bad = await bot.run('jun', 'thanks', { args: { member: '@mina', points: 'two', reason: 'great demo' } });
    expect(bad.error?.field).toBe('points');
    expect((await bot.memberOf('mina')).balance).toBe(3);
  });

  it('resets the allowance at local midnight and never carries it over', async () => {
    const clock = new Clock('2026-11-25T14:00:00Z'); // 23:00 in Seoul
    bot = await testBot({ clock });
    await bot.run('boss', '/settings timezone:Asia/Seoul', admin);
    await meet('jun', 'mina', 'leo');
    expect((await bot.run('jun', '/thanks @mina 3 thanks for the review')).error).toBeUndefined();
    const over = await bot.run('jun', '/thanks @leo 3 thanks for the help');
    expect(over.error?.code).toBe('thanks:error.allowance');
    expect(over.text).toBe('You have 2 points left today (of 5); it resets Thu, Nov 26, 12:00 AM.');
    expect((await bot.run('jun', '/thanks @leo 2 thanks for the help')).error).toBeUndefined();
    const gone = await bot.run('jun', '/thanks @leo 1 and for the coffee');
    expect(gone.text).toBe('You\'ve given all 5 of today\'s points; it resets Thu, Nov 26, 12:00 AM.');
    // 00:30 in Seoul (still Nov 25 in UTC): a new local day with a fresh 5, not 5 + what was unused.
    clock.advance(90 * 60_000);
    expect((await bot.run('jun', '/thanks left')).text).toContain('**5 more points**');
    expect((await bot.run('jun', '/thanks @leo 5 for the coffee yesterday')).error).toBeUndefined();
    clock.advance(DAY);
    // A day without giving: still 5, not 10.
    clock.advance(DAY);
    expect((await bot.run('jun', '/thanks @mina 6 for everything')).error?.code).toBe('thanks:error.max');
    await bot.run('boss', '/thanks settings max:10', admin);
    expect((await bot.run('jun', '/thanks @mina 6 for everything')).error?.code).toBe('thanks:error.allowance');
    expect((await bot.memberOf('leo')).balance).toBe(7);
    const days = await bot.db.prisma.thanksAllowance.findMany({ orderBy: { day: 'asc' } });
    expect(days.map((d) => [d.day, d.spent])).toEqual([['2026-11-25', 5], ['2026-11-26', 5]]);
    // Refused thanks leave no trace (their transaction rolled back).
  });

  it('refuses thanking yourself, also from a linked account, and shares the allowance across linked accounts', async () => {
    bot = await testBot();
    const d = { platform: 'discord' as const, communityKey: 'guild-1' };
    const t = { platform: 'telegram' as const, communityKey: '-100200' };
    const as = (platform: 'discord' | 'telegram', id: string) => ({ actor: { platform, userId: id, displayName: `${platform}-${id}` } });
    const dAdmin = { ...d, actor: { platform: 'discord' as const, userId: '999', displayName: 'admin', platformRole: 'admin' as const } };
    await bot.run('x', '/points', { ...d, ...as('discord', '111') });
    await bot.run('x', '/points', { ...d, ...as('discord', '222') });
    const code = (await bot.run('x', '/community bind', dAdmin)).text.match(/\*\*(\w+)\*\*/)![1];
    await bot.run('x', `/community bind ${code}`, { ...t, actor: { platform: 'telegram', userId: '5', displayName: 'tg-admin', platformRole: 'admin' } });
    await bot.run('x', '/points', { ...t, ...as('telegram', '77') });
    const link = (await bot.run('x', '/link', { ...d, ...as('discord', '111') })).text.match(/\*\*(\w+)\*\*/)![1];
    await bot.run('x', `/link ${link}`, { ...t, ...as('telegram', '77') });

    const self = await bot.run('x', '/thanks <@111> 1 for being me', { ...d, ...as('discord', '111') });
    expect(self.error?.code).toBe('thanks:error.self');
    expect(self.text).toBe('You can\'t thank yourself (or your own linked accounts).');
    // The Telegram account is the same member now.
    expect((await bot.run('x', '/thanks 77 1 for being me', { ...t, ...as('telegram', '77') })).error?.code).toBe('thanks:error.self');
    // One allowance for the member, whichever account gives.
    expect((await bot.run('x', '/thanks <@222> 4 for the help', { ...d, ...as('discord', '111') })).error).toBeUndefined();
    await bot.run('x', '/points', { ...t, ...as('telegram', '88') });
    const tg = await bot.run('x', '/thanks 88 2 for the sticker pack', { ...t, ...as('telegram', '77') });
    expect(tg.error?.code).toBe('thanks:error.allowance');
    expect(tg.text).toContain('You have 1 point left today');
    expect(await bot.db.prisma.ledgerEntry.count({ where: { kind: 'thanks' } })).toBe(1);
  });

  it('caps what one member gives another a week, and the cap resets on Monday', async () => {
    const clock = new Clock('2026-11-27T10:00:00Z'); // a Friday
    bot = await testBot({ clock });
    await meet('jun', 'mina', 'leo');
    await bot.run('jun', '/thanks @mina 5 for the guide');
    clock.advance(DAY); // Saturday
    await bot.run('jun', '/thanks @mina 3 for the review');
    clock.advance(DAY); // Sunday
    const left = await bot.run('jun', '/thanks @mina 3 for the demo');
    expect(left.error?.code).toBe('thanks:error.pairLeft');
    expect(left.text).toBe('You can give mina only 2 more points this week (10 at most from one person to another).');
    await bot.run('jun', '/thanks @mina 2 for the demo');
    const full = await bot.run('jun', '/thanks @mina 1 for the notes');
    expect(full.text).toBe('You\'ve given mina 10 points this week: that\'s the weekly limit from one member to another.');
    // Someone else is not capped by it.
    expect((await bot.run('jun', '/thanks @leo 1 for the notes')).error).toBeUndefined();
    // Nothing of the refused thanks was spent from the allowance.
    expect((await bot.run('jun', '/thanks left')).text).toContain('**2 more points**');
    clock.advance(DAY); // Monday: a new week
    expect((await bot.run('jun', '/thanks @mina 5 for the notes')).error).toBeUndefined();
    expect((await bot.memberOf('mina')).balance).toBe(15);
    const pairs = await bot.db.prisma.thanksPair.findMany({ where: { receiverId: (await bot.memberOf('mina')).id }, orderBy: { week: 'asc' } });
    expect(pairs.map((p) => [p.week, p.points])).toEqual([['2026-11-23', 10], ['2026-11-30', 5]]);
  });

  it('applies a redelivered thanks once', async () => {
    bot = await testBot();
    await meet('jun', 'mina');
    const first = await bot.run('jun', '/thanks @mina 2 for the guide', { eventKey: 'evt-1' });
    const again = await bot.run('jun', '/thanks @mina 2 for the guide', { eventKey: 'evt-1' });
    expect(again).toEqual(first);
    const both = await Promise.all([1, 2, 3].map(() => bot.run('jun', '/thanks @mina 1 for the slides', { eventKey: 'evt-2' })));
    expect(new Set(both.map((r) => r.text)).size).toBe(1);
    expect((await ledger()).map((l) => l.delta)).toEqual([2, 1]);
    expect((await bot.memberOf('mina')).balance).toBe(3);
    expect((await bot.db.prisma.thanksAllowance.findFirstOrThrow()).spent).toBe(3);
    expect(await bot.db.prisma.thanks.count()).toBe(2);
  });

  it('refuses bad input and changes nothing', async () => {
    bot = await testBot();
    await meet('jun', 'mina');
    const cases: [string, RegExp][] = [
      ['/thanks @mina 0 for nothing', /points: must be at least 1/],
      ['/thanks @mina -2 for nothing', /points: must be at least 1/],
      ['/thanks @mina 6 for a lot', /at most 5 points in one thanks/],
      ['/thanks @mina 2000 for a lot', /points: must be at most 1,000/],
      ['/thanks @mina 2', /Add a reason: say what you're thanking mina for/],
      ['/thanks @mina', /Add a reason/],
      ['/thanks @mina ok', /The reason must be 3 to 200 characters long/],
      [`/thanks @mina 1 ${'x'.repeat(201)}`, /The reason must be 3 to 200 characters long/],
      ['/thanks @nobody 1 for the help', /I don't know @nobody yet/],
      ['/thanks @jun 1 for being me', /can't thank yourself/],
      ['/thanks settings daily:0', /daily: must be at least 1/],
    ];
    for (const [line, msg] of cases) {
      const r = await bot.run('jun', line, line.includes('settings') ? admin : {});
      expect(r.error, line).toBeTruthy();
      expect(r.text, line).toMatch(msg);
    }
    expect((await bot.run('jun', '/thanks settings daily:3')).error?.code).toBe('errors:precondition.admin');
    expect(await bot.db.prisma.ledgerEntry.count()).toBe(0);
    expect(await bot.db.prisma.thanks.count()).toBe(0);
    expect(await bot.db.prisma.thanksAllowance.count({ where: { spent: { gt: 0 } } })).toBe(0);
    expect(await bot.db.prisma.thanksPair.count({ where: { points: { gt: 0 } } })).toBe(0);
    expect(await bot.db.prisma.member.count()).toBe(2);
  });

  it('keeps a long reason readable in the ledger', async () => {
    bot = await testBot();
    await meet('jun', 'mina');
    const long = '\\'.repeat(200);
    expect((await bot.run('jun', `/thanks @mina 1 ${long}`)).error).toBeUndefined();
    const [row] = await ledger();
    expect(row.reason.length).toBeLessThanOrEqual(300);
    expect(reasonText(lang('en'), row.reason)).toMatch(/^Thanks from jun: \\+…$/);
    expect((await bot.db.prisma.thanks.findFirstOrThrow()).reason).toBe(long);
  });

  it('is explained by /help', async () => {
    bot = await testBot();
    const h = await bot.run('jun', '/help thanks');
    expect(h.text).toContain('member (optional): Who to thank (run /thanks alone for a form)');
    expect(h.text).toContain('/thanks');
    expect(h.text).toContain('/thanks left');
    expect(h.text).toContain('/thanks top');
  });

  it('shows and changes the rules (admins)', async () => {
    bot = await testBot();
    expect((await bot.run('boss', '/thanks settings', admin)).text).toBe([
      '**Thanks rules**',
      'Each member can give 5 points a day (days start at midnight in the community\'s time zone); unused points don\'t carry over.',
      'One member can give another at most 10 points a week (weeks start on Monday).',
      'At most 5 points in one thanks.',
    ].join('\n'));
    const r = await bot.run('boss', '/thanks settings daily:2 pair_weekly:3 max:2', admin);
    expect(r.text).toContain('give 2 points a day');
    expect(r.text).toContain('at most 3 points a week');
    expect(JSON.parse((await bot.db.prisma.community.findFirstOrThrow()).thanksRules)).toEqual({ daily: 2, pairWeekly: 3, max: 2 });
    await meet('jun', 'mina');
    await bot.run('jun', '/thanks @mina 2 for the guide');
    expect((await bot.run('jun', '/thanks @mina 1 for the guide')).error?.code).toBe('thanks:error.allowanceGone');
  });

  it('lists this week\'s most thanked with the member\'s own count', async () => {
    const clock = new Clock('2026-11-25T12:00:00Z');
    bot = await testBot({ clock });
    await meet('jun', 'mina', 'leo', 'ann');
    expect((await bot.run('ann', '/thanks top')).text).toBe('🙌 No thanks given this week yet. Be the first: /thanks @member reason');
    await bot.run('jun', '/thanks @mina 3 for the guide');
    await bot.run('leo', '/thanks @mina 1 for the demo');
    await bot.run('mina', '/thanks @leo 2 for the review');
    await bot.run('ann', '/thanks @jun 2 for the review');
    const top = await bot.run('mina', '/thanks top');
    expect(top.ephemeral).toBe(true);
    expect(top.text).toBe([
      '🙌 **Most thanked this week**',
      '🥇 mina: 4 points (thanked 2 times)',
      '🥈 jun: 2 points (thanked once)',
      '🥈 leo: 2 points (thanked once)',
      '',
      'You: 4 points this week, thanked 2 times.',
    ].join('\n'));
    expect((await bot.run('ann', '/thanks top')).text).toContain('You haven\'t been thanked this week yet.');
    clock.advance(7 * DAY);
    expect((await bot.run('ann', '/thanks top')).text).toContain('No thanks given this week yet');
  });

  it('answers in Korean and Japanese, and DMs the receiver in their language', async () => {
    bot = await testBot();
    const ko = { actor: { platform: 'console' as const, userId: 'jun', displayName: '준', username: 'jun', locale: 'ko' } };
    const ja = { actor: { platform: 'console' as const, userId: 'mina', displayName: 'ミナ', username: 'mina', locale: 'ja' } };
    await bot.run('x', '/points', ko);
    await bot.run('x', '/points', ja);
    expect((await bot.run('x', '/thanks @mina 2 온보딩 가이드 고마워요', ko)).text).toBe('🙌 **준** 님이 **ミナ** 님에게 감사를 전했어요 (+2 포인트): 온보딩 가이드 고마워요');
    expect((await bot.run('x', '/thanks left', ko)).text).toMatch(/^오늘 감사 포인트를 \*\*3 포인트\*\* 더 보낼 수 있어요 \(하루 5 포인트\)\. 11월 26일 \(목\) 오전 12:00에 다시 채워지고/);
    expect((await bot.run('x', '/thanks @jun 1 レビューありがとう', ja)).text).toBe('🙌 **ミナ**さんが**준**さんにありがとうを送りました（+1ポイント）：レビューありがとう');
    expect((await bot.run('x', '/thanks @jun 1 ども', ja)).text).toBe('理由は3〜200文字で書いてください。');
    expect((await bot.run('x', '/thanks @jun 5 いつもありがとう', ja)).text).toMatch(/^今日の送信枠は残り4ポイントです（1日5ポイント）。11月26日\(木\) 0:00にリセットされます。$/);
    expect((await bot.run('x', '/thanks @jun 1 for being me', ko)).text).toBe('나 자신(연결된 내 다른 계정 포함)에게는 감사를 전할 수 없어요.');
    const dms = await drain(bot);
    const toMina = dms.find((d) => d.to.kind === 'dm' && d.to.userId === 'mina')!;
    expect(toMina.reply.text).toBe('🙌 console testで준さんからありがとうが届きました（+2ポイント）：온보딩 가이드 고마워요\n現在の残高：2ポイント');
    const toJun = dms.find((d) => d.to.kind === 'dm' && d.to.userId === 'jun')!;
    expect(toJun.reply.text).toBe('🙌 console test에서 ミナ 님이 감사를 전했어요 (+1 포인트): レビューありがとう\n내 잔액: 1 포인트');
  });
});
