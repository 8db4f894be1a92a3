import type { Lang } from '../../i18n/index.js';

/* The HTML around every dashboard page. Every interpolated value goes through esc(). */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v: unknown): string => String(v).replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** The dashboard's sections, in the order of the navigation bar (paths under /c/<community>/). */
export const SECTIONS = ['nps', 'polls', 'engagement', 'giveaways', 'challenges', 'rewards', 'exports', 'api'] as const;
export type Section = (typeof SECTIONS)[number];

/** The navigation bar of a community's pages; `current` is shown as the page you are on. */
export function nav(L: Lang, communityId: string, current?: Section | 'home'): string {
  const base = `/c/${encodeURIComponent(communityId)}/`;
  const link = (path: string, label: string, on: boolean) =>
    (on ? `<strong aria-current="page">${esc(label)}</strong>` : `<a href="${esc(base + path)}">${esc(label)}</a>`);
  const items = [link('', L.t('dashboard:web.nav.home'), current === 'home'), ...SECTIONS.map((s) => link(s, L.t(`dashboard:web.nav.${s}`), current === s))];
  return `<nav class="sections">${items.join(' · ')}</nav>`;
}

/** A complete page in the reader's language; `body` is already-escaped HTML. */
export function page(L: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${esc(L.locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;line-height:1.5}nav.sections{margin-bottom:1rem}table{border-collapse:collapse;margin:.5rem 0}th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}.reply{padding:.5rem .8rem;border-radius:4px;margin:.5rem 0}.reply.done{background:#e8f5e9}.reply.refused{background:#fdecea}</style></head>
<body>
${body}
</body>
</html>`;
}

/** A section's page: the navigation, the reply block of a form just sent (HTML), the title, then `body`. */
export function sectionPage(L: Lang, v: { communityId: string; notice?: string }, section: Section, title: string, body: string): string {
  return page(L, title, `${nav(L, v.communityId, section)}
${v.notice ?? ''}
<h1>${esc(title)}</h1>
${body}`);
}
