import i18next from 'i18next';
import { LOCALES, type Locale } from '../core/types.js';

/** Feature namespaces: each has a `commands` section with the texts of its commands. */
const FEATURES = ['members', 'points', 'challenges', 'contests', 'polls', 'referrals', 'rewards', 'community', 'help', 'activity', 'tiers', 'invites', 'seasons', 'dashboard', 'thanks'] as const;
/** Namespaces of the engine, the adapters and the console. */
const OTHERS = ['common', 'errors', 'adapters', 'discord', 'slack', 'telegram', 'console',
  // dashboard sections (src/web)
  'webPolls', 'webEngagement', 'webModeration', 'webExports', 'webApi'] as const;

type Catalog = Record<string, Record<string, unknown>>;

/**
 * One catalog per locale from `locales/<locale>/<namespace>.ts`. The `commands` namespace gathers every
 * feature's command texts (descriptions, option help, examples) under the command's name, which is where
 * /help and the adapters look them up.
 */
async function loadCatalog(locale: Locale): Promise<Catalog> {
  const out: Catalog = {};
  // The path is built at run time; @vite-ignore leaves it to the test runner to resolve when it runs.
  for (const ns of [...OTHERS, ...FEATURES]) out[ns] = (await import(/* @vite-ignore */ `./locales/${locale}/${ns}.js`)).default;
  out.commands = Object.assign({}, ...FEATURES.map((ns) => out[ns].commands ?? {}));
  return out;
}

/** Every catalog, by locale and namespace (the key-parity test walks this). */
export const catalogs: Record<Locale, Catalog> = { en: await loadCatalog('en'), ko: await loadCatalog('ko'), ja: await loadCatalog('ja') };

const i18n = i18next.createInstance();
void i18n.init({
  resources: catalogs as Record<string, Record<string, object>>,
  lng: 'en',
  fallbackLng: 'en',
  ns: Object.keys(catalogs.en),
  defaultNS: 'common',
  initAsync: false,
  // Command names contain spaces ("challenge create"): without explicit separators i18next would take such
  // keys for natural-language text. Empty strings are real translations (Japanese joins units with '').
  nsSeparator: ':',
  keySeparator: '.',
  returnEmptyString: true,
  // Replies are plain text with **bold**; adapters escape for their platform.
  interpolation: { escapeValue: false },
  returnNull: false,
});
// `{{n, number}}`: i18next caches its formatters by the whole options object, values included, so it would
// build a new Intl.NumberFormat for almost every message.
i18n.services.formatter?.add('number', (value, lng) => numberFormat(lng ?? 'en').format(value));

/** "ko-KR", "ko", "ja-JP", "en-US" -> a catalog locale; anything else -> undefined. */
export function toLocale(raw: string | null | undefined): Locale | undefined {
  const base = raw?.toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(base ?? '') ? (base as Locale) : undefined;
}

/** The reader's language: what their platform reports, else what it last reported, else the community's. */
export const readerLocale = (actorLocale?: string | null, memberLocale?: string | null, communityLocale?: string | null): Locale =>
  toLocale(actorLocale) ?? toLocale(memberLocale) ?? toLocale(communityLocale) ?? 'en';

/** Words, numbers and times for one reader: their language and the community's time zone. */
export interface Lang {
  readonly locale: Locale;
  readonly timeZone: string;
  /** A catalog entry; Date params are shown as dates in the zone, numbers with grouping. */
  t(key: string, params?: Record<string, unknown>): string;
  /** "Thu, Dec 24, 6:00 PM" / "12월 24일 (목) 오후 6:00" / "12月24日(木) 18:00"; the year only when it is not this year. */
  date(d: Date): string;
  /** The date alone: "Dec 24" / "12월 24일" / "12月24日". */
  day(d: Date): string;
  num(n: number): string;
  /** "2d 3h" / "2일 3시간" / "2日3時間". */
  duration(ms: number): string;
  /** "a, b and c" in the reader's language. */
  list(items: string[]): string;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, timeZone: string, withYear: boolean, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withYear}|${withTime}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone, month: 'short', day: 'numeric', ...(withYear ? { year: 'numeric' } : {}),
      ...(withTime ? { weekday: 'short', hour: 'numeric', minute: '2-digit' } : {}),
    });
    formats.set(key, f);
  }
  return f;
}

const yearFormats = new Map<string, Intl.DateTimeFormat>();
function yearFormat(timeZone: string): Intl.DateTimeFormat {
  let f = yearFormats.get(timeZone);
  if (!f) yearFormats.set(timeZone, (f = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' })));
  return f;
}

/** Number formats by locale: building an Intl.NumberFormat costs far more than using one. */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string): Intl.NumberFormat {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale)));
  return f;
}

// CLDR's abbreviated Korean day periods are "AM"/"PM"; chat users write 오전/오후.
const KO_DAY_PERIOD: Record<string, string> = { AM: '오전', PM: '오후' };

function formatDate(locale: Locale, timeZone: string, d: Date, now: Date, withTime: boolean): string {
  const years = yearFormat(timeZone);
  const year = (x: Date) => years.format(x);
  const f = dateFormat(locale, timeZone, year(d) !== year(now), withTime);
  if (locale !== 'ko') return f.format(d);
  return f.formatToParts(d).map((p) => (p.type === 'dayPeriod' ? KO_DAY_PERIOD[p.value] ?? p.value : p.value)).join('');
}

/**
 * t() in one language. Not i18next's getFixedT: its function copies all of i18next's options into a new
 * object on every call, which cost more than the translation itself.
 */
const inLocale = (locale: Locale) => (key: string, opts: Record<string, unknown> = {}): string => String(i18n.t(key, { ...opts, lng: locale } as never));
const fixedTs = new Map<Locale, ReturnType<typeof inLocale>>();

export function lang(locale: Locale, timeZone = 'UTC', now: Date = new Date()): Lang {
  let fixed = fixedTs.get(locale);
  if (!fixed) fixedTs.set(locale, (fixed = inLocale(locale)));
  const num = (n: number) => numberFormat(locale).format(n);
  const self: Lang = {
    locale,
    timeZone,
    t(key, params = {}) {
      const p: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(params)) {
        // Dates in the zone; a platform id ("telegram") by its name in this language.
        p[k] = v instanceof Date ? self.date(v) : k === 'platform' && typeof v === 'string' ? fixed(`common:platforms.${v}`, { defaultValue: v }) : v;
      }
      return fixed(key, p);
    },
    date: (d) => formatDate(locale, timeZone, d, now, true),
    day: (d) => formatDate(locale, timeZone, d, now, false),
    num,
    duration(ms) {
      if (ms <= 0) return fixed('common:duration.now');
      let rest = Math.max(1, Math.round(ms / 60_000));
      const d = Math.floor(rest / 1440); rest -= d * 1440;
      const h = Math.floor(rest / 60); rest -= h * 60;
      const parts: string[] = [];
      if (d) parts.push(fixed('common:duration.days', { count: d }));
      if (h) parts.push(fixed('common:duration.hours', { count: h }));
      if (rest || !parts.length) parts.push(fixed('common:duration.minutes', { count: rest }));
      return parts.join(fixed('common:duration.separator'));
    },
    list: (items) => new Intl.ListFormat(locale, { type: 'conjunction' }).format(items),
  };
  return self;
}
