import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';

/** The dashboard's engagement section (under /c/<community>/). */
export function engagementRoutes(engine: Engine): Hono<DashboardEnv> {
  void engine;
  const app = new Hono<DashboardEnv>();
  return app;
}
