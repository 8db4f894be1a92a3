import type { Lang } from '../../i18n/index.js';
import type { Engine } from '../../engine.js';
import type { Role } from '../../core/types.js';
import { formGuard } from '../forms.js';
import { esc, sectionPage } from './html.js';

/* The rewards queue: pending redemptions (fulfil, refund) and the catalogue (add, remove: admins, as in chat). */

type RewardsBoard = Awaited<ReturnType<Engine['rewardsBoard']>>;
export interface RewardsView { communityId: string; csrfToken: string; role: Role; board: RewardsBoard; notice?: string }

const k = (key: string) => `webModeration:rewards.${key}`;

const table = (cls: string, head: string[], rows: string[][]) =>
  `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/** A form posting to /c/<community>/rewards/<path>. */
const form = (v: RewardsView, path: string, label: string, inner = '') =>
  `<form method="post" action="/c/${esc(encodeURIComponent(v.communityId))}/rewards/${path}">${formGuard(v.csrfToken)}${inner}<button type="submit">${esc(label)}</button></form>`;

function pendingTable(L: Lang, v: RewardsView): string {
  if (!v.board.pending.length) return `<p>${esc(L.t(k('noPending')))}</p>`;
  const head = ['id', 'member', 'reward', 'cost', 'requestedAt'].map((c) => L.t(k(`columns.${c}`)));
  return table('pending-redemptions', [...head, L.t('webModeration:actions')], v.board.pending.map((r) => [
    esc(`#${r.id}`), esc(r.member), esc(r.reward), esc(L.t(k('cost'), { count: r.cost })), esc(L.date(r.requestedAt)),
    form(v, `redemptions/${r.id}/fulfill`, L.t(k('fulfill'))) + form(v, `redemptions/${r.id}/refund`, L.t(k('refund'))),
  ]));
}

function catalogue(L: Lang, v: RewardsView): string {
  const admin = v.role === 'admin';
  const head = ['id', 'name', 'cost', 'stock', 'active'].map((c) => L.t(k(`columns.${c}`)));
  const rows = v.board.catalogue.map((r) => [
    esc(`#${r.id}`), esc(r.name), esc(L.t(k('cost'), { count: r.cost })), esc(r.stock === null ? L.t(k('unlimited')) : L.num(r.stock)),
    esc(L.t(k(r.active ? 'yes' : 'no'))),
    ...(admin ? [r.active ? form(v, `${r.id}/remove`, L.t(k('remove'))) : ''] : []),
  ]);
  const list = rows.length ? table('reward-catalogue', admin ? [...head, L.t('webModeration:actions')] : head, rows) : `<p>${esc(L.t(k('noCatalogue')))}</p>`;
  const add = admin
    ? form(v, 'add', L.t(k('add')), `<label>${esc(L.t(k('name')))} <input type="text" name="name" maxlength="100" required></label> `
      + `<label>${esc(L.t(k('columns.cost')))} <input type="number" name="cost" min="1" max="10000000" required></label> `
      + `<label>${esc(L.t(k('stock')))} <input type="number" name="stock" min="1" max="1000000"></label> `)
    : `<p>${esc(L.t(k('adminOnly')))}</p>`;
  return list + add;
}

/** `notice` is a command's reply block (already HTML) shown above everything after a form was sent. */
export function rewardsPage(L: Lang, v: RewardsView): string {
  const title = L.t(k('title'));
  return sectionPage(L, v, 'rewards', title, `<h2>${esc(L.t(k('pending')))}</h2>
${pendingTable(L, v)}
<h2>${esc(L.t(k('catalogue')))}</h2>
${catalogue(L, v)}`);
}
