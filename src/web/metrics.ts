import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Engine } from '../engine.js';

/**
 * Prometheus metrics of one web server: process defaults, commands by name and outcome (from the engine's
 * observer), command latency, activity awards, and the outbox backlog read from the database on each scrape.
 * A registry of its own, so two servers in one process (tests) never clash.
 */
export function createMetrics(engine: Engine): { registry: Registry; detach(): void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commands = new Counter({ name: 'engage_commands_total', help: 'Commands handled', labelNames: ['command', 'outcome'] as const, registers: [registry] });
  const seconds = new Histogram({
    name: 'engage_command_seconds', help: 'Time to answer a command', labelNames: ['command'] as const, registers: [registry],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  const awards = new Counter({ name: 'engage_activity_awards_total', help: 'Activity events that earned points', registers: [registry] });
  new Gauge({
    name: 'engage_outbox_pending', help: 'Announcements waiting to be sent', registers: [registry],
    async collect() { this.set(await engine.outboxPending()); },
  });
  const detach = engine.observe({
    command(command, outcome, s) {
      commands.inc({ command, outcome });
      seconds.observe({ command }, s);
    },
    activityAwarded: (n) => awards.inc(n),
  });
  return { registry, detach };
}
