import type { Lang } from '../../i18n/index.js';
import type { Role } from '../../core/types.js';
import { esc, nav, page, SECTIONS } from './html.js';

/* Dashboard pages, worded through the `dashboard` catalog. No database, no engine: plain data in, HTML out. */

export interface HomeView { communityId: string; memberName: string; role: Role; expiresAt: Date; csrfToken: string }

/** The community's start page: who is signed in, and a sign-out form carrying the CSRF token. */
export function homePage(L: Lang, v: HomeView): string {
  const title = L.t('dashboard:web.title');
  const signedIn = L.t('dashboard:web.signedIn', { name: v.memberName, role: L.t(`common:roles.${v.role}`), expires: v.expiresAt });
  return page(L, title, `${nav(L, v.communityId, 'home')}
<h1>${esc(title)}</h1>
<p>${esc(signedIn)}</p>
<ul>${SECTIONS.map((s) => `<li><a href="/c/${encodeURIComponent(v.communityId)}/${s}">${esc(L.t(`dashboard:web.nav.${s}`))}</a></li>`).join('')}</ul>
<form method="post" action="/c/${encodeURIComponent(v.communityId)}/signout">
<input type="hidden" name="_csrf" value="${esc(v.csrfToken)}">
<button type="submit">${esc(L.t('dashboard:web.signOut'))}</button>
</form>`);
}

/** A page with one message: refusals, an unusable link, signed out. `key` is under dashboard:web. */
export function messagePage(L: Lang, key: string): string {
  const title = L.t('dashboard:web.title');
  return page(L, title, `<h1>${esc(title)}</h1>\n<p>${esc(L.t(`dashboard:web.${key}`))}</p>`);
}

export interface ConfirmView { action: string; community: string; memberName: string; role: Role }

/** The sign-in link's page: whose dashboard it opens, as whom, and a button that signs in (POST). */
export function confirmPage(L: Lang, v: ConfirmView): string {
  const title = L.t('dashboard:web.title');
  const text = L.t('dashboard:web.confirm', { community: v.community, name: v.memberName, role: L.t(`common:roles.${v.role}`) });
  return page(L, title, `<h1>${esc(title)}</h1>
<p>${esc(text)}</p>
<form method="post" action="${esc(v.action)}"><button type="submit" class="sign-in">${esc(L.t('dashboard:web.signIn'))}</button></form>`);
}
