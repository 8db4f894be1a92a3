import { Hono, type Context } from 'hono';
import type { Engine } from '../../engine.js';
import { UserError } from '../../core/errors.js';
import type { DashboardEnv } from '../dashboard.js';
import { sessionLang } from './lang.js';
import { apiPage, type ApiView } from '../pages/api.js';
import { onceOf } from '../forms.js';

/**
 * The dashboard's "API & webhooks" section (under /c/<community>/): API tokens and webhooks. These are not chat
 * commands, so the forms call engine methods directly; each acts once (a token or webhook form by its `_once`
 * value, the rest by conditional updates).
 */
export function apiRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();

  const render = async (c: Context<DashboardEnv>, notice?: ApiView['notice'], secret?: string) => {
    const s = c.get('session');
    const [tokens, hooks, deliveries] = await Promise.all([engine.apiTokens(s.communityId), engine.webhooks(s.communityId), engine.webhookDeliveries(s.communityId)]);
    const html = apiPage(sessionLang(engine, s), { communityId: s.communityId, csrfToken: s.csrfToken, publicUrl: engine.publicUrl, tokens, hooks, deliveries, notice, secret });
    return c.html(html, notice?.refused ? 400 : 200);
  };
  /** Renders the page with a catalog message on top (refused: status 400). */
  const say = (c: Context<DashboardEnv>, key: string, refused = false, params: Record<string, unknown> = {}, secret?: string) =>
    render(c, { text: sessionLang(engine, c.get('session')).t(`webApi:${key}`, params), refused }, secret);
  const fields = async (c: Context<DashboardEnv>) => (await c.req.parseBody({ all: true })) as Record<string, string | string[] | File | File[]>;
  const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
  const idOf = (c: Context<DashboardEnv>) => (/^\d{1,9}$/.test(c.req.param('id') ?? '') ? Number(c.req.param('id')) : 0);

  app.get('/api', (c) => render(c));

  // Tokens and webhooks send the whole community's data out, like /settings changes it: admins only.
  app.post('/api/*', async (c, next) => {
    if (c.get('session').role !== 'admin') return say(c, 'adminOnly', true);
    await next();
  });

  app.post('/api/tokens', async (c) => {
    const s = c.get('session');
    const f = await fields(c);
    const name = str(f.name).trim();
    if (!name || name.length > 80) return say(c, 'error.name', true);
    const r = await engine.createApiToken(s, name, onceOf(str(f._once)));
    return r.ok ? say(c, 'tokens.created', false, { name }, r.token) : say(c, 'tokens.repeat');
  });

  app.post('/api/tokens/:id/revoke', async (c) =>
    ((await engine.revokeApiToken(c.get('session').communityId, idOf(c))) ? say(c, 'tokens.revoked') : say(c, 'tokens.alreadyRevoked')));

  app.post('/api/webhooks', async (c) => {
    const s = c.get('session');
    const f = await fields(c);
    const events = (Array.isArray(f.events) ? f.events : [f.events]).filter((e): e is string => typeof e === 'string');
    try {
      const r = await engine.createWebhook(s, { url: str(f.url), events }, onceOf(str(f._once)));
      return r.ok ? say(c, 'hooks.created', false, {}, r.secret) : say(c, 'hooks.repeat');
    } catch (err) {
      if (err instanceof UserError) return render(c, { text: sessionLang(engine, s).t(err.code, err.params), refused: true });
      throw err;
    }
  });

  const toggle = (active: boolean) => async (c: Context<DashboardEnv>) =>
    ((await engine.setWebhookActive(c.get('session').communityId, idOf(c), active)) ? say(c, active ? 'hooks.enabled' : 'hooks.disabled') : say(c, 'hooks.unchanged'));
  app.post('/api/webhooks/:id/enable', toggle(true));
  app.post('/api/webhooks/:id/disable', toggle(false));

  app.post('/api/webhooks/:id/delete', async (c) =>
    ((await engine.deleteWebhook(c.get('session').communityId, idOf(c))) ? say(c, 'hooks.deleted') : say(c, 'notFound', true)));

  app.post('/api/webhooks/:id/ping', async (c) => {
    const f = await fields(c);
    return (await engine.pingWebhook(c.get('session').communityId, idOf(c), onceOf(str(f._once)))) ? say(c, 'hooks.pinged') : say(c, 'notFound', true);
  });

  app.post('/api/deliveries/:id/retry', async (c) =>
    ((await engine.retryWebhookDelivery(c.get('session').communityId, idOf(c))) ? say(c, 'deliveries.retried') : say(c, 'deliveries.notRetried', true)));

  return app;
}
