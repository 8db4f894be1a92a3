import { describe, it, expect } from 'vitest';
import { MAX_ARGS_LENGTH, parseTextArgs, validateArgs } from '../src/core/command.js';
import { allCommands } from '../commands/index.js';
import { occurrence, parseMoment, periodStart } from '../src/core/time.js';
import { UserError } from '../src/core/errors.js';

const cmd = (name: string) => allCommands.find((c) => c.name === name)!;
const now = new Date('2026-11-25T12:00:00Z');
const codeOf = (fn: () => unknown) => {
  try { fn(); } catch (e) { return (e as UserError).code; }
  return null;
};

describe('input typed through Korean and Japanese IMEs', () => {
  it('reads full-width colons, digits and 「」『』“” quotes', () => {
    expect(parseTextArgs(cmd('poll create'), '満足度は？ duration：2d')).toEqual({ question: '満足度は?', duration: '2d' });
    expect(parseTextArgs(cmd('contest create'), '「パーカー」 ２ ３d')).toEqual({ prize: 'パーカー', winners: '2', ends: '3d' });
    expect(parseTextArgs(cmd('contest create'), '『후드티 세트』 1 ends：“2026-12-24 18:00”')).toEqual({ prize: '후드티 세트', winners: '1', ends: '2026-12-24 18:00' });
    expect(parseTextArgs(cmd('challenge create'), '“리뷰 쓰기” 50 7d 후기를 남겨 주세요')).toEqual({ title: '리뷰 쓰기', reward: '50', deadline: '7d', description: '후기를 남겨 주세요' });
  });

  it('refuses an option it cannot read instead of folding it into the text', () => {
    expect(codeOf(() => parseTextArgs(cmd('poll create'), 'How are we doing? duraton:2d'))).toBe('errors:arg.unknownOption');
    // Links are text, not options.
    expect(parseTextArgs(cmd('challenge submit'), '3 https://example.com/a')).toEqual({ challenge: '3', proof: 'https://example.com/a' });
  });

  it('bounds the input and parses the longest accepted line quickly', () => {
    expect(codeOf(() => parseTextArgs(cmd('poll create'), 'x '.repeat(MAX_ARGS_LENGTH)))).toBe('errors:arg.tooLong');
    const t0 = performance.now();
    parseTextArgs(cmd('poll create'), '"q" '.repeat(Math.floor(MAX_ARGS_LENGTH / 4)));
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('validation errors carry a catalog code and the field', () => {
    try {
      validateArgs(cmd('give'), { member: '@a', amount: '0' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).code).toBe('errors:arg.min');
      expect((e as UserError).field).toBe('amount');
      expect((e as UserError).params).toMatchObject({ field: 'amount', min: 1 });
    }
  });
});

describe('moments in the community time zone', () => {
  it('reads a typed date in the zone, with or without an offset, with a space or a T', () => {
    expect(parseMoment('2026-12-24 18:00', now, 'Asia/Seoul')).toEqual(new Date('2026-12-24T09:00:00Z'));
    expect(parseMoment('2026-12-24T18:00', now, 'Asia/Tokyo')).toEqual(new Date('2026-12-24T09:00:00Z'));
    expect(parseMoment('2026-12-24 18:00 +09:00', now, 'UTC')).toEqual(new Date('2026-12-24T09:00:00Z'));
    expect(parseMoment('2026-12-24 18:00+0900', now, 'America/New_York')).toEqual(new Date('2026-12-24T09:00:00Z'));
    expect(parseMoment('2026-12-24 18:00Z', now, 'Asia/Seoul')).toEqual(new Date('2026-12-24T18:00:00Z'));
    expect(parseMoment('2026-12-24', now, 'Asia/Seoul')).toEqual(new Date('2026-12-24T14:59:00Z'));
    expect(parseMoment('2026-02-30', now, 'Asia/Seoul')).toBeNull();
    expect(parseMoment('99999999999d', now)).toBeNull();
    expect(validateArgs(cmd('contest create'), { prize: 'x', winners: '1', ends: '2026-12-24 18:00' }, now, 'Asia/Seoul').ends).toEqual(new Date('2026-12-24T09:00:00Z'));
  });

  it('starts weeks and months at local midnight', () => {
    // Monday 2026-11-23 00:00 in Seoul is Sunday 15:00 UTC.
    expect(periodStart('week', now, 'Asia/Seoul')).toEqual(new Date('2026-11-22T15:00:00Z'));
    expect(periodStart('month', now, 'Asia/Tokyo')).toEqual(new Date('2026-10-31T15:00:00Z'));
    expect(periodStart('week', now, 'UTC')).toEqual(new Date('2026-11-23T00:00:00Z'));
    expect(periodStart('all', now, 'UTC')).toBeNull();
  });

  it('repeats monthly on the same day of month, clamped in short months', () => {
    const jan31 = new Date('2027-01-31T00:00:00Z'); // 09:00 in Seoul
    expect(occurrence(jan31, 'monthly', 1, 'Asia/Seoul')).toEqual(new Date('2027-02-28T00:00:00Z'));
    expect(occurrence(jan31, 'monthly', 2, 'Asia/Seoul')).toEqual(new Date('2027-03-31T00:00:00Z'));
    // Weekly keeps the local hour across a DST change.
    const ny = new Date('2026-10-26T13:00:00Z'); // 09:00 EDT
    expect(occurrence(ny, 'weekly', 1, 'America/New_York')).toEqual(new Date('2026-11-02T14:00:00Z')); // 09:00 EST
  });
});

describe('input that used to end in "Something went wrong"', () => {
  const refusal = (fn: () => unknown) => {
    try { fn(); } catch (e) { return { code: (e as UserError).code, field: (e as UserError).field, params: (e as UserError).params }; }
    return null;
  };

  it('refuses relative times too large for a date, as durations and as moments', () => {
    const huge = '99999999999d';
    expect(refusal(() => validateArgs(cmd('poll create'), { question: 'q', duration: huge }, now))).toMatchObject({ code: 'errors:arg.durationRange', field: 'duration' });
    expect(refusal(() => validateArgs(cmd('contest create'), { prize: 'x', winners: '1', ends: huge }, now))).toMatchObject({ code: 'errors:arg.tooFar', field: 'ends', params: { value: huge } });
    expect(refusal(() => validateArgs(cmd('challenge create'), { title: 't', reward: '5', deadline: `in ${huge}` }, now))).toMatchObject({ code: 'errors:arg.tooFar', field: 'deadline' });
    expect(refusal(() => validateArgs(cmd('poll create'), { question: 'q', duration: '2d', opens: '9999999999w' }, now))).toMatchObject({ code: 'errors:arg.tooFar', field: 'opens' });
    // Typed without quotes, "in" and the length make one moment.
    expect(parseTextArgs(cmd('contest create'), 'Mug 1 in 2h')).toEqual({ prize: 'Mug', winners: '1', ends: 'in 2h' });
    expect(validateArgs(cmd('contest create'), parseTextArgs(cmd('contest create'), 'Mug 1 in 2h'), now).ends).toEqual(new Date('2026-11-25T14:00:00Z'));
    expect(refusal(() => validateArgs(cmd('contest create'), parseTextArgs(cmd('contest create'), `Mug 1 ends:in ${huge}`), now))?.code).toBe('errors:arg.tooFar');
    // Past what the pattern reads at all: not a duration or date.
    expect(refusal(() => validateArgs(cmd('contest create'), { prize: 'x', winners: '1', ends: '9'.repeat(40) + 'd' }, now))?.code).toBe('errors:arg.moment');
    expect(refusal(() => validateArgs(cmd('poll create'), { question: 'q', duration: '9'.repeat(40) + 'd' }, now))?.code).toBe('errors:arg.duration');
  });

  it('refuses NUL and other control characters in any text option, keeping tabs and line breaks', () => {
    for (const bad of ['\u0000', 'a\u0000b', 'x\u0007', '\u001B[31mred', 'del\u007F']) {
      expect(refusal(() => validateArgs(cmd('give'), { member: '@a', amount: '5', reason: bad })), JSON.stringify(bad)).toMatchObject({ code: 'errors:arg.control', field: 'reason' });
    }
    expect(refusal(() => validateArgs(cmd('challenge create'), { title: 'A\u0000', reward: '5', deadline: '3d' }, now))?.field).toBe('title');
    expect(refusal(() => validateArgs(cmd('give'), { member: '<@1\u0000>', amount: '5' }))?.field).toBe('member');
    expect(refusal(() => validateArgs(cmd('redeem'), parseTextArgs(cmd('redeem'), 'Mug\u0000')))?.code).toBe('errors:arg.control');
    expect(validateArgs(cmd('challenge submit'), { challenge: '1', proof: 'line one\n\tline two\r\nthree' }).proof).toBe('line one\n\tline two\r\nthree');
  });
});
