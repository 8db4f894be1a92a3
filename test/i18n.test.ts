import { describe, it, expect } from 'vitest';
import { catalogs, lang, toLocale } from '../src/i18n/index.js';
import { allCommands } from '../commands/index.js';
import { commandDescription, optionDescription } from '../src/features/help/present.js';

/** Every leaf of a catalog as "ns:path" -> text. */
function leaves(obj: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
/** Keys with i18next plural suffixes folded: Korean and Japanese have only `_other` where English has `_one` too. */
const base = (key: string) => key.replace(PLURAL, '');
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

const byBase = (m: Map<string, string>) => {
  const out = new Map<string, string[]>();
  for (const [k, v] of m) out.set(base(k), [...(out.get(base(k)) ?? []), v]);
  return out;
};

describe('catalogs', () => {
  const en = byBase(leaves(catalogs.en));
  for (const locale of ['ko', 'ja'] as const) {
    const other = byBase(leaves(catalogs[locale]));
    it(`${locale} has every key of en and no others`, () => {
      expect([...en.keys()].filter((k) => !other.has(k))).toEqual([]);
      expect([...other.keys()].filter((k) => !en.has(k))).toEqual([]);
    });
    it(`${locale} uses the same placeholders as en`, () => {
      const diffs: string[] = [];
      for (const [k, texts] of en) {
        const want = new Set(texts.flatMap(placeholders));
        for (const t of other.get(k) ?? []) {
          const got = new Set(placeholders(t));
          // Plural forms may leave out {{count}} ("a point" / "한 개"), but never name anything English does not.
          for (const p of got) if (!want.has(p)) diffs.push(`${k}: unknown {{${p}}}`);
          for (const p of want) if (!got.has(p) && p !== 'count') diffs.push(`${k}: missing {{${p}}}`);
        }
      }
      expect(diffs).toEqual([]);
    });
  }

  it('describes every command and option in every language', () => {
    const missing: string[] = [];
    for (const locale of ['en', 'ko', 'ja'] as const) {
      const L = lang(locale);
      for (const def of allCommands) {
        const d = commandDescription(L, def);
        if (!d || d.includes(def.name + '.description')) missing.push(`${locale} ${def.name}`);
        else expect(d.length, `${locale} ${def.name}`).toBeLessThanOrEqual(100);
        for (const o of Object.keys(def.options)) {
          const od = optionDescription(L, def, o);
          if (!od || od.endsWith(`options.${o}`)) missing.push(`${locale} ${def.name} ${o}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('maps platform locales onto catalogs', () => {
    expect(toLocale('ko-KR')).toBe('ko');
    expect(toLocale('ja')).toBe('ja');
    expect(toLocale('en-GB')).toBe('en');
    expect(toLocale('fr')).toBeUndefined();
    expect(toLocale(undefined)).toBeUndefined();
  });

  it('shows dates and numbers as each language writes them, in the community zone', () => {
    const now = new Date('2026-11-25T00:00:00Z');
    const at = new Date('2026-12-24T09:00:00Z');
    expect(lang('ko', 'Asia/Seoul', now).date(at)).toBe('12월 24일 (목) 오후 6:00');
    expect(lang('ja', 'Asia/Tokyo', now).date(at)).toBe('12月24日(木) 18:00');
    expect(lang('en', 'UTC', now).date(at)).toBe('Thu, Dec 24, 9:00 AM');
    expect(lang('en', 'UTC', now).date(new Date('2027-01-02T03:04:00Z'))).toBe('Sat, Jan 2, 2027, 3:04 AM');
    expect(lang('ko', 'UTC', now).t('common:points', { count: 1500 })).toBe(lang('ko').t('common:points', { count: 1500 }));
    expect(lang('en').t('common:points', { count: 1500 })).toBe('1,500 points');
  });
});
