import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import type { Engine } from '../engine.js';
import type { PlatformAdapter } from '../runtime.js';
import { createMetrics } from './metrics.js';
import { dashboardRoutes } from './dashboard.js';
import { restRoutes } from './rest.js';
import { drawRoutes } from './routes/draw.js';

/** The web server in the bot process (one port): health, readiness, metrics and the dashboard. */
export interface WebServerOptions {
  engine: Engine;
  /** The running adapters: /readyz asks each whether it is connected (an adapter that cannot tell counts as connected). */
  adapters?: readonly Pick<PlatformAdapter, 'platform' | 'connected'>[];
  /** PUBLIC_URL, where members reach the dashboard; default http://localhost:<port> once listening. */
  publicUrl?: string;
}

export interface WebServer {
  app: Hono;
  /** Listens (0 = any free port) and resolves with the bound port. */
  start(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
  readonly port: number | undefined;
}

export function createWebServer(opts: WebServerOptions): WebServer {
  const { engine } = opts;
  if (opts.publicUrl) engine.publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const metrics = createMetrics(engine);
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
  });
  app.get('/healthz', (c) => c.text('ok'));
  app.get('/readyz', async (c) => {
    try {
      await engine.ping();
    } catch {
      return c.text('database unreachable', 503);
    }
    const down = (opts.adapters ?? []).filter((a) => a.connected && !a.connected()).map((a) => a.platform);
    return down.length ? c.text(`not connected: ${down.join(', ')}`, 503) : c.text('ready');
  });
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }));
  app.route('/api/v1', restRoutes(engine));
  // Public, no login: a giveaway's draw record (before the dashboard, whose routes all need a session).
  app.route('/', drawRoutes(engine));
  app.route('/', dashboardRoutes(engine));

  let server: Server | undefined;
  return {
    app,
    get port() {
      const a = server?.address();
      return a && typeof a === 'object' ? (a as AddressInfo).port : undefined;
    },
    async start(port, host) {
      const s = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => { s.off('error', reject); resolve(); });
      });
      server = s;
      const bound = (s.address() as AddressInfo).port;
      if (!opts.publicUrl) engine.publicUrl = `http://localhost:${bound}`;
      return bound;
    },
    async stop() {
      metrics.detach();
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => { s.close(() => resolve()); s.closeAllConnections?.(); });
    },
  };
}
