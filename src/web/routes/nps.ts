import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';
import { sessionLang } from './lang.js';
import { npsPage } from '../pages/nps.js';
import { NPS_GROUPS, type NpsGroup } from '../../features/polls/nps.js';

/** The NPS page: score over time per poll series, a run's breakdown and comments. */
export function npsRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  app.get('/nps', async (c) => {
    const s = c.get('session');
    const id = (k: string) => (/^\d{1,9}$/.test(c.req.query(k) ?? '') ? Number(c.req.query(k)) : undefined);
    const group = NPS_GROUPS.find((g) => g === c.req.query('group')) as NpsGroup | undefined;
    const report = await engine.npsReport(s.communityId, { series: id('series'), run: id('run'), group });
    return c.html(npsPage(sessionLang(engine, s), { communityId: s.communityId, report, group }));
  });

  return app;
}
