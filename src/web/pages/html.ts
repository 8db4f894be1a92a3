import type { Lang } from '../../i18n/index.js';

/* The HTML around every dashboard page. Every interpolated value goes through esc(). */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v: unknown): string => String(v).replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** A complete page in the reader's language; `body` is already-escaped HTML. */
export function page(L: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${esc(L.locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body>
${body}
</body>
</html>`;
}
