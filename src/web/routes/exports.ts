import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';

/** The dashboard's exports section (under /c/<community>/). */
export function exportsRoutes(engine: Engine): Hono<DashboardEnv> {
  void engine;
  const app = new Hono<DashboardEnv>();
  return app;
}
