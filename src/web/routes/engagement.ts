import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';
import { sessionLang } from './lang.js';
import { engagementPage } from '../pages/engagement.js';
import { rangeOf } from '../../features/insights/report.js';

/** The dashboard's engagement section (under /c/<community>/): points, active members, leaderboards, newcomer funnel. */
export function engagementRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  app.get('/engagement', async (c) => {
    const s = c.get('session');
    // Days are the report's local days: word them in the zone it used (the session's may predate a change).
    const report = await engine.engagementReport(s.communityId, rangeOf(c.req.query('days')));
    return c.html(engagementPage(sessionLang(engine, { locale: s.locale, timezone: report.zone }), { communityId: s.communityId, report }));
  });
  return app;
}
