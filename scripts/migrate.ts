// npm run migrate            -> apply pending migrations to DATABASE_URL
// npm run migrate:new <name> -> write prisma/migrations/{sqlite,postgres}/<ts>_<name>/migration.sql
//                               from the change in prisma/models.prisma since the last migration.
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { migrateDeploy, diffSql, migrationsDir, schemaDir } from '../src/db/migrate.js';
import { DEFAULT_DATABASE_URL, type Provider } from '../src/db/client.js';

const [cmd, name] = process.argv.slice(2);
if (cmd === 'deploy') {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const applied = await migrateDeploy(url);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} else if (cmd === 'new') {
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: npm run migrate:new <snake_case_name>');
  execFileSync(process.execPath, ['scripts/generate.mjs', '--schemas-only'], { stdio: 'inherit' });
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  // A throwaway URL only selects the engine's SQL dialect: diffing two datamodels never connects.
  // The PostgreSQL engine wants a reachable server (any empty database): set MIGRATE_PG_URL.
  const dialectUrl: Record<Provider, string | undefined> = { sqlite: 'file::memory:', postgres: process.env.MIGRATE_PG_URL };
  for (const provider of ['sqlite', 'postgres'] as Provider[]) {
    const url = dialectUrl[provider];
    if (!url) { console.warn(`${provider}: skipped, set MIGRATE_PG_URL=postgres://... to write its migration too`); continue; }
    const snapshot = join(migrationsDir(provider), 'schema.snapshot.prisma');
    const from = existsSync(snapshot) ? readFileSync(snapshot, 'utf8') : null;
    const sql = await diffSql(url, from);
    if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) { console.log(`${provider}: no changes`); continue; }
    const dir = join(migrationsDir(provider), `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), sql);
    writeFileSync(snapshot, readFileSync(join(schemaDir(provider), 'schema.prisma'), 'utf8'));
    writeFileSync(join(migrationsDir(provider), 'migration_lock.toml'), `provider = "${provider === 'postgres' ? 'postgresql' : 'sqlite'}"\n`);
    console.log(`${provider}: wrote ${dir}/migration.sql`);
  }
} else {
  throw new Error('usage: migrate deploy | migrate new <name>');
}
