import { Hono, type Context } from 'hono';
import type { Engine } from '../engine.js';
import { RateLimiter, type RateLimitOptions } from '../infra/ratelimit.js';
import { csvResponse } from './csv.js';
import { EXPORT_COLUMNS, EXPORT_KINDS, exportFilename, isExportKind, parseRange } from '../features/exports/kinds.js';

/*
 * The REST API (/api/v1): JSON reads of one community, opened by a per-community token sent as
 * `Authorization: Bearer <token>`. No cookies and so no CSRF: browsers never attach a bearer token on their
 * own. Like the dashboard this only carries: the engine authenticates and reads through the services.
 */

type RestEnv = { Variables: { communityId: string; tokenId: number } };

export interface RestOptions {
  /** Per token (per presented bearer value): 60 calls at once, then one a second. */
  rateLimit?: RateLimitOptions;
}

const err = (c: Context, status: 400 | 401 | 404 | 429 | 500, code: string, message: string) =>
  c.json({ error: { code, message } }, status);

export function restRoutes(engine: Engine, opts: RestOptions = {}): Hono<RestEnv> {
  const app = new Hono<RestEnv>();
  const limiter = new RateLimiter({ burst: 60, perSecond: 1, ...opts.rateLimit });

  app.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    const m = /^Bearer\s+(eng_[0-9a-f]{8}_[A-Za-z0-9_-]{43})\s*$/.exec(c.req.header('authorization') ?? '');
    if (!m) return err(c, 401, 'unauthorized', 'Send an API token as "Authorization: Bearer <token>".');
    // Counted per token that exists (a stream of made-up values cannot push a real token's count out);
    // tokens are 256 random bits, so guessing needs no counting.
    const who = await engine.apiAuthenticate(m[1]);
    if (!who) return err(c, 401, 'unauthorized', 'This API token is not valid or was revoked.');
    const wait = limiter.take(`token:${who.tokenId}`);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return err(c, 429, 'rate_limited', 'Too many requests; try again later.');
    }
    c.set('communityId', who.communityId);
    c.set('tokenId', who.tokenId);
    await next();
  });

  app.get('/community', async (c) => c.json({ data: await engine.apiCommunity(c.get('communityId')) }));

  app.get('/members', async (c) => {
    const rawLimit = c.req.query('limit');
    const limit = rawLimit === undefined ? 50 : /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= 200)) return err(c, 400, 'bad_request', 'limit must be a whole number from 1 to 200.');
    const cursor = c.req.query('cursor') || undefined;
    if (cursor && !/^[\w-]{1,64}$/.test(cursor)) return err(c, 400, 'bad_request', 'cursor is not valid.');
    return c.json(await engine.apiMembers(c.get('communityId'), { cursor, limit }));
  });

  app.get('/polls', async (c) => c.json({ data: await engine.apiPolls(c.get('communityId')) }));

  app.get('/polls/:id', async (c) => {
    const id = c.req.param('id');
    const poll = /^\d{1,9}$/.test(id) ? await engine.apiPoll(c.get('communityId'), Number(id)) : null;
    return poll ? c.json({ data: poll }) : err(c, 404, 'not_found', 'No such poll in this community.');
  });

  app.get('/nps', async (c) => {
    const id = (k: string) => (/^\d{1,9}$/.test(c.req.query(k) ?? '') ? Number(c.req.query(k)) : undefined);
    const report = await engine.npsReport(c.get('communityId'), { series: id('series'), run: id('run') });
    return c.json({ data: report });
  });

  app.get('/leaderboard', async (c) => {
    const period = c.req.query('period') ?? 'all';
    if (period !== 'all' && period !== 'week' && period !== 'month') return err(c, 400, 'bad_request', 'period must be all, week or month.');
    return c.json({ data: await engine.apiLeaderboard(c.get('communityId'), period) });
  });

  app.get('/webhooks/deliveries', async (c) => c.json({ data: await engine.webhookDeliveries(c.get('communityId'), 100) }));

  // The dashboard's CSV exports, streamed the same way (see src/web/csv.ts): ?from=&to= are local dates.
  app.get('/exports/:file', async (c) => {
    const kind = /^(.+)\.csv$/.exec(c.req.param('file'))?.[1];
    if (!isExportKind(kind)) return err(c, 404, 'not_found', `No such export; there are ${EXPORT_KINDS.map((k) => `${k}.csv`).join(', ')}.`);
    const parsed = parseRange(c.req.query('from'), c.req.query('to'));
    if (!parsed.ok) return err(c, 400, 'bad_request', 'from and to must be dates (YYYY-MM-DD), from not after to.');
    const communityId = c.get('communityId');
    const o = await engine.exportOverview(communityId);
    return csvResponse(c, {
      filename: exportFilename(o.name, kind, o.today),
      columns: EXPORT_COLUMNS[kind],
      rows: (signal) => engine.exportRows(communityId, kind, { ...parsed.range, signal }),
    });
  });

  // Last: an authenticated call to anything else (the parent app's not-found page is HTML).
  app.all('*', (c) => err(c, 404, 'not_found', 'No such endpoint.'));
  app.onError((e, c) => {
    console.error('[api]', e);
    return err(c, 500, 'internal', 'Something went wrong.');
  });
  return app;
}
