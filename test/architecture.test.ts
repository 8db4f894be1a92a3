import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The house rules, checked on the source: commands translate, services decide, presenters word, adapters carry. */
const ROOT = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const p = join(dir, name);
    if (statSync(join(ROOT, p)).isDirectory()) { if (name !== 'generated') out.push(...files(p)); }
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}
const src = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const all = [...files('src'), ...files('commands'), ...files('adapters')];
const offenders = (pick: (f: string) => boolean, bad: RegExp) => all.filter(pick).filter((f) => bad.test(src(f))).map((f) => relative(ROOT, join(ROOT, f)));

describe('architecture', () => {
  it('only feature services (and the engine infrastructure) open the sealed transaction', () => {
    const allowed = (f: string) => /^src\/features\/[^/]+\/service\.ts$/.test(f) || /^src\/(infra|core)\//.test(f) || f === 'src/engine.ts';
    expect(offenders((f) => !allowed(f), /\btxOf\b/)).toEqual([]);
  });

  it('commands and presenters never see the database', () => {
    expect(offenders((f) => f.startsWith('commands/') || /present\.ts$/.test(f), /\bctx\.tx\b|\.prisma\b|db\/client|generated\//)).toEqual([]);
  });

  it('adapters (and the web server, an adapter for browsers) never query the database', () => {
    expect(offenders((f) => f.startsWith('adapters/') || f.startsWith('src/web/'), /\.prisma\b|\btxOf\b|db\/client|features\/[^/]+\/service/)).toEqual([]);
  });

  it('the core never imports a platform SDK, and the engine does not import the commands', () => {
    expect(offenders((f) => f.startsWith('src/') || f.startsWith('commands/'), /from '(discord\.js|@slack\/|grammy)/)).toEqual([]);
    expect(offenders((f) => f === 'src/engine.ts', /from '[^']*commands\//)).toEqual([]);
  });

  it('presenters word through the catalogs and services return data, not text', () => {
    // A reply built in a service or a command would carry a literal `text:`.
    expect(offenders((f) => /service\.ts$/.test(f) || f.startsWith('commands/'), /\btext:\s*[`'"]/)).toEqual([]);
  });

  it('no platform address strings ("user:<id>") are built or parsed', () => {
    // The outbox alone still reads rows queued by versions before typed addresses.
    expect(offenders((f) => f !== 'src/infra/outbox.ts', /['`]user:/)).toEqual([]);
  });
});
