import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';
import { sessionLang } from './lang.js';
import { exportsPage } from '../pages/exports.js';
import { csvResponse } from '../csv.js';
import { EXPORT_COLUMNS, exportFilename, isExportKind, parseRange } from '../../features/exports/kinds.js';

/**
 * The exports section (under /c/<community>/): the page with row counts, and the CSV downloads. Downloads are
 * GETs (they change nothing) behind the same session gate, streamed page by page (see csvResponse).
 */
export function exportsRoutes(engine: Engine): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();

  app.get('/exports', async (c) => {
    const s = c.get('session');
    const L = sessionLang(engine, s);
    const raw = { from: c.req.query('from'), to: c.req.query('to') };
    const parsed = parseRange(raw.from, raw.to);
    if (!parsed.ok) {
      return c.html(exportsPage(L, { communityId: s.communityId, timezone: s.timezone, range: {}, raw, error: `webExports:errors.${parsed.bad}` }), 400);
    }
    const o = await engine.exportOverview(s.communityId, { ...parsed.range, counts: true });
    return c.html(exportsPage(L, { communityId: s.communityId, timezone: o.timezone, range: parsed.range, counts: o.counts }));
  });

  app.get('/exports/:file', async (c) => {
    const s = c.get('session');
    const L = sessionLang(engine, s);
    const kind = /^(.+)\.csv$/.exec(c.req.param('file'))?.[1];
    if (!isExportKind(kind)) {
      return c.html(exportsPage(L, { communityId: s.communityId, timezone: s.timezone, range: {}, error: 'webExports:errors.kind' }), 404);
    }
    const parsed = parseRange(c.req.query('from'), c.req.query('to'));
    if (!parsed.ok) {
      return c.html(exportsPage(L, { communityId: s.communityId, timezone: s.timezone, range: {}, raw: { from: c.req.query('from'), to: c.req.query('to') }, error: `webExports:errors.${parsed.bad}` }), 400);
    }
    const o = await engine.exportOverview(s.communityId);
    return csvResponse(c, {
      filename: exportFilename(o.name, kind, o.today),
      columns: EXPORT_COLUMNS[kind],
      rows: (signal) => engine.exportRows(s.communityId, kind, { ...parsed.range, signal }),
    });
  });

  return app;
}
