import { describe, it, expect } from 'vitest';
import { parseTextArgs, tokenize, validateArgs, usage } from '../src/core/command.js';
import { allCommands } from '../commands/index.js';
import { parseDuration, parseMoment } from '../src/core/time.js';
import { UserError } from '../src/core/errors.js';
import { lang } from '../src/i18n/index.js';
import { commandDescription } from '../src/features/help/present.js';

/** The English words of the refusal `f` throws. */
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return lang('en').t(e.code, e.params);
    throw e;
  }
  throw new Error('nothing was refused');
};

const cmd = (name: string) => allCommands.find((c) => c.name === name)!;
const now = new Date('2026-11-25T12:00:00Z');

describe('text arguments', () => {
  it('reads positional, quoted and name:value arguments', () => {
    expect(parseTextArgs(cmd('challenge create'), '"Share a post" 50 3d Post it\n and send the link')).toEqual({
      title: 'Share a post', reward: '50', deadline: '3d', description: 'Post it\n and send the link',
    });
    // A word that looks like an option but names none is refused; quoted, it is plain text.
    expect(parseTextArgs(cmd('contest create'), '"reward:x"')).toEqual({ prize: 'reward:x' });
    expect(() => parseTextArgs(cmd('contest create'), 'reward:x')).toThrow(expect.objectContaining({ code: 'errors:arg.unknownOption', field: 'reward' }));
    expect(parseTextArgs(cmd('contest create'), 'Hoodie 2 ends:"2026-12-24 18:00" min_points:50')).toEqual({ prize: 'Hoodie', winners: '2', ends: '2026-12-24 18:00', min_points: '50' });
    expect(parseTextArgs(cmd('contest create'), 'Hoodie 2 2026-12-24 18:00')).toEqual({ prize: 'Hoodie', winners: '2', ends: '2026-12-24 18:00' });
    expect(parseTextArgs(cmd('poll create'), 'How likely? opens:2026-12-01 09:00 repeat:weekly')).toEqual({ question: 'How likely?', opens: '2026-12-01 09:00', repeat: 'weekly' });
    expect(parseTextArgs(cmd('challenge submit'), '3 see https://example.com/a?b=c')).toEqual({ challenge: '3', proof: 'see https://example.com/a?b=c' });
    expect(tokenize(`a “b c” 'd e'`).map((t) => t.value)).toEqual(['a', 'b c', 'd e']);
  });

  it('explains mistakes with the usage line', () => {
    expect(refusal(() => parseTextArgs(cmd('contest enter'), '1 2'))).toBe('Too many arguments: "2". Usage: /contest enter <contest>');
    expect(refusal(() => parseTextArgs(cmd('give'), 'amount:1 amount:2'))).toBe('amount was given twice.');
    expect(refusal(() => validateArgs(cmd('give'), { member: '@a', amount: '5', bogus: 1 }))).toBe('Unknown option bogus. Usage: /give <member> <amount> [reason] (put text containing ":" in quotes).');
    expect(usage(cmd('leaderboard'))).toBe('/leaderboard [period] [size] [season]');
  });

  it('validates typed values with zod (structured options from Discord too)', () => {
    expect(validateArgs(cmd('give'), { member: '<@123>', amount: 5 })).toEqual({ member: '<@123>', amount: 5 });
    expect(validateArgs(cmd('leaderboard'), { period: ' WEEK ' })).toEqual({ period: 'week' });
    expect(validateArgs(cmd('contest create'), { prize: 'x', winners: '1', ends: '2d' }, now).ends).toEqual(new Date('2026-11-27T12:00:00Z'));
    expect(refusal(() => validateArgs(cmd('give'), { member: '@a', amount: 1.5 }))).toBe('amount: must be a whole number.');
    expect(refusal(() => validateArgs(cmd('challenge create'), { title: 'x'.repeat(101), reward: 1, deadline: '1d' }))).toBe('title: must be at most 100 characters.');
    expect(validateArgs(cmd('redeem'), { reward: 3 })).toEqual({ reward: '3' });
    expect(validateArgs(cmd('settings'), { locale: 'KO', timezone: 'Asia/Seoul' })).toEqual({ locale: 'ko', timezone: 'Asia/Seoul' });
    expect(() => validateArgs(cmd('settings'), { locale: 'fr' })).toThrow(expect.objectContaining({ code: 'errors:arg.choice', field: 'locale' }));
  });

  it('every command is well formed', () => {
    const names = new Set<string>();
    for (const c of allCommands) {
      expect(names.has(c.name), c.name).toBe(false);
      names.add(c.name);
      expect(c.name).toMatch(/^[a-z]+( [a-z]+)?$/);
      expect(commandDescription(lang('en'), c).length, c.name).toBeLessThanOrEqual(100);
      const opts = Object.values(c.options);
      // Required options come first (Discord requires it; positional text parsing relies on it).
      const firstOptional = opts.findIndex((o) => !o.required);
      if (firstOptional >= 0) expect(opts.slice(firstOptional).every((o) => !o.required), c.name).toBe(true);
      // Free text, when present, is the last positional option.
      const textAt = opts.findIndex((o) => o.kind === 'text');
      if (textAt >= 0) expect(opts.slice(textAt + 1).every((o) => !o.required), c.name).toBe(true);
    }
    // A top-level name is either one command or a group of subcommands, never both; except, deliberately, /thanks:
    // "/thanks @mina 2 why" gives, "/thanks left|top|settings" look (Discord names the first "/thanks send").
    const mixed = new Set(['thanks']);
    for (const n of names) if (!n.includes(' ') && !mixed.has(n)) expect([...names].some((m) => m.startsWith(n + ' ')), n).toBe(false);
  });
});

describe('time parsing', () => {
  it('reads durations and moments', () => {
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('soon')).toBeNull();
    expect(parseMoment('in 2h', now)).toEqual(new Date('2026-11-25T14:00:00Z'));
    expect(parseMoment('2026-12-24', now)).toEqual(new Date('2026-12-24T23:59:00Z'));
    expect(parseMoment('2026-12-24T18:00+02:00', now)).toEqual(new Date('2026-12-24T16:00:00Z'));
    expect(parseMoment('2026-02-30 10:00', now)).toBeNull();
    expect(parseMoment('tomorrow', now)).toBeNull();
  });
});
