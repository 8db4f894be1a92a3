import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';

/** The dashboard's polls section (under /c/<community>/). */
export function pollsRoutes(engine: Engine): Hono<DashboardEnv> {
  void engine;
  const app = new Hono<DashboardEnv>();
  return app;
}
