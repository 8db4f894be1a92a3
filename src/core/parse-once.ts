import type { z } from 'zod';

/**
 * `parse`, remembered per input text (at most `max` texts): for settings stored as JSON that hot paths read on
 * every event. Results are shared between callers: copy before changing.
 */
export function parsedOnce<T>(parse: (text: string) => T, max = 1000): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    let value = seen.get(text);
    if (value === undefined) {
      value = parse(text);
      if (seen.size >= max) seen.clear();
      seen.set(text, value);
    }
    return value;
  };
}

/** Settings stored as a JSON column, defaults filled in by `schema`; a column that no longer parses reads as the defaults. */
export function settingsParser<S extends z.ZodType>(schema: S): (json: string | null | undefined) => Readonly<z.infer<S>> {
  const parse = parsedOnce((text): z.infer<S> => {
    let raw: unknown = {};
    try { raw = JSON.parse(text); } catch { /* defaults */ }
    const r = schema.safeParse(raw);
    return r.success ? r.data : schema.parse({});
  });
  return (json) => parse(json || '{}');
}
