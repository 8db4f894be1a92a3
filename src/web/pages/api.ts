import type { Lang } from '../../i18n/index.js';
import type { Engine } from '../../engine.js';
import { WEBHOOK_EVENTS } from '../../features/webhooks/kinds.js';
import { formGuard } from '../forms.js';
import { esc, nav, page } from './html.js';

/* The "API & webhooks" page: API tokens, webhooks and their recent deliveries. A new token or signing secret is shown once, on the page answering its form. */

type Tokens = Awaited<ReturnType<Engine['apiTokens']>>;
type Hooks = Awaited<ReturnType<Engine['webhooks']>>;
type Deliveries = Awaited<ReturnType<Engine['webhookDeliveries']>>;

export interface ApiView {
  communityId: string;
  csrfToken: string;
  publicUrl: string;
  tokens: Tokens;
  hooks: Hooks;
  deliveries: Deliveries;
  /** What the last form did (or why not), worded already. */
  notice?: { text: string; refused: boolean };
  /** A secret to show this once (a new token or signing secret). */
  secret?: string;
}

const eventLabel = (L: Lang, e: string) => L.t(`webApi:events.${e.replace('.', '_')}`);

export function apiPage(L: Lang, v: ApiView): string {
  const t = (k: string, p?: Record<string, unknown>) => esc(L.t(`webApi:${k}`, p));
  const base = `/c/${encodeURIComponent(v.communityId)}/api`;
  const button = (action: string, label: string) =>
    `<form method="post" action="${esc(base + action)}" style="display:inline">${formGuard(v.csrfToken)}<button type="submit">${label}</button></form>`;
  const when = (d: Date | null) => (d ? esc(L.date(d)) : t('never'));

  const notice = v.notice
    ? `<div class="reply ${v.notice.refused ? 'refused' : 'done'}" role="status">${esc(v.notice.text)}${v.secret ? `<p><code class="secret">${esc(v.secret)}</code></p>` : ''}</div>`
    : '';

  const tokenRows = v.tokens.map((k) => `<tr data-token="${k.id}"><td>${esc(k.name)}</td><td><code>${esc(k.prefix)}</code></td><td>${esc(k.createdBy)}</td><td>${when(k.createdAt)}</td><td>${when(k.lastUsedAt)}</td>`
    + `<td>${k.revokedAt ? t('tokens.status.revoked', { date: L.date(k.revokedAt) }) : t('tokens.status.active')}</td>`
    + `<td>${k.revokedAt ? '' : button(`/tokens/${k.id}/revoke`, t('tokens.revoke'))}</td></tr>`).join('\n');
  const tc = (k: string) => `<th>${t(`tokens.columns.${k}`)}</th>`;
  const tokens = `<section id="tokens"><h2>${t('tokens.title')}</h2>
${v.tokens.length ? `<table><thead><tr>${['name', 'prefix', 'createdBy', 'created', 'lastUsed', 'status'].map(tc).join('')}<th></th></tr></thead><tbody>\n${tokenRows}\n</tbody></table>` : `<p>${t('tokens.none')}</p>`}
<form method="post" action="${esc(base + '/tokens')}">${formGuard(v.csrfToken)}
<label>${t('tokens.name')} <input name="name" required maxlength="80" placeholder="${t('tokens.namePlaceholder')}"></label>
<button type="submit">${t('tokens.create')}</button></form>
<p>${t('docs', { base: v.publicUrl })}</p></section>`;

  const hookRows = v.hooks.map((w) => `<tr data-webhook="${w.id}"><td><code>${esc(w.url)}</code></td><td>${w.events.map((e) => esc(eventLabel(L, e))).join('<br>')}</td>`
    + `<td>${t(`hooks.status.${w.active ? 'on' : 'off'}`)}</td><td>${when(w.createdAt)}</td><td>`
    + [button(`/webhooks/${w.id}/${w.active ? 'disable' : 'enable'}`, t(w.active ? 'hooks.disable' : 'hooks.enable')),
      button(`/webhooks/${w.id}/ping`, t('hooks.test')), button(`/webhooks/${w.id}/delete`, t('hooks.delete'))].join(' ')
    + '</td></tr>').join('\n');
  const hc = (k: string) => `<th>${t(`hooks.columns.${k}`)}</th>`;
  const boxes = WEBHOOK_EVENTS.map((e) => `<label><input type="checkbox" name="events" value="${esc(e)}"> ${esc(eventLabel(L, e))} <code>${esc(e)}</code></label>`).join('<br>');
  const hooks = `<section id="webhooks"><h2>${t('hooks.title')}</h2>
${v.hooks.length ? `<table><thead><tr>${['url', 'events', 'status', 'created', 'actions'].map(hc).join('')}</tr></thead><tbody>\n${hookRows}\n</tbody></table>` : `<p>${t('hooks.none')}</p>`}
<form method="post" action="${esc(base + '/webhooks')}">${formGuard(v.csrfToken)}
<p><label>${t('hooks.url')} <input name="url" type="url" required size="50" placeholder="https://"></label></p>
<fieldset><legend>${t('hooks.events')}</legend>${boxes}</fieldset>
<button type="submit">${t('hooks.create')}</button></form>
<p>${t('hooks.signature')}</p></section>`;

  const dc = (k: string) => `<th>${t(`deliveries.columns.${k}`)}</th>`;
  const deliveryRows = v.deliveries.map((d) => `<tr data-delivery="${d.id}" class="${esc(d.status)}"><td>${when(d.createdAt)}</td><td>${esc(eventLabel(L, d.event))}</td><td><code>${esc(d.url)}</code></td>`
    + `<td>${t(`deliveries.status.${d.status}`)}</td><td>${esc(L.num(d.attempts))}</td><td>${d.lastStatus === null ? '' : esc(d.lastStatus)}</td>`
    + `<td>${d.status === 'pending' ? when(d.nextAt) : ''}</td><td>${esc(d.lastError ?? '')}</td>`
    + `<td>${d.status === 'failed' ? button(`/deliveries/${d.id}/retry`, t('deliveries.retry')) : ''}</td></tr>`).join('\n');
  const deliveries = `<section id="deliveries"><h2>${t('deliveries.title')}</h2>
${v.deliveries.length ? `<table><thead><tr>${['created', 'event', 'url', 'status', 'attempts', 'lastStatus', 'next', 'error'].map(dc).join('')}<th></th></tr></thead><tbody>\n${deliveryRows}\n</tbody></table>` : `<p>${t('deliveries.none')}</p>`}
</section>`;

  return page(L, L.t('webApi:title'), `${nav(L, v.communityId, 'api')}
<h1>${t('title')}</h1>
${notice}
<p>${t('intro')}</p>
${tokens}
${hooks}
${deliveries}`);
}
