import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { adapterFactory, providerOf, type Provider } from './client.js';

/**
 * Migrations through Prisma's official schema engine, compiled to WASM
 * (@prisma/schema-engine-wasm), driven over the same driver adapter the app uses.
 * `applyMigrations` records rows in `_prisma_migrations` exactly like `prisma migrate deploy`.
 */
// src/db in the sources, dist/src/db once compiled: the project's prisma/ folder is two or three levels up.
const here = dirname(fileURLToPath(import.meta.url));
export const PRISMA_DIR = [join(here, '../../prisma'), join(here, '../../../prisma')].find((d) => existsSync(join(d, 'migrations'))) ?? join(here, '../../prisma');
export const schemaDir = (provider: Provider) => join(PRISMA_DIR, provider);
export const migrationsDir = (provider: Provider) => join(PRISMA_DIR, 'migrations', provider);

// Node's WebAssembly global; the "DOM" lib that types it is not part of this project.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<unknown>;
  instantiate(module: unknown, imports: Record<string, unknown>): Promise<{ exports: Record<string, unknown> }>;
};

/** The `version` of the package.json at or above a resolved module file. */
function packageVersion(moduleUrl: string, name: string): string {
  for (let dir = dirname(fileURLToPath(moduleUrl)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === name && pkg.version) return pkg.version;
  }
  throw new Error(`cannot find the version of ${name}`);
}

/**
 * The migration engine must be the one of the Prisma release the client was generated with
 * (@prisma/schema-engine-wasm 7.10.0-<n>.<engine hash> goes with @prisma/client 7.10.0): a mismatch stops
 * the start with what to do, before any migration runs.
 */
export function checkEngineMatch(): { client: string; engine: string } {
  const client = packageVersion(import.meta.resolve('@prisma/client'), '@prisma/client');
  const engine = packageVersion(import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'), '@prisma/schema-engine-wasm');
  if (!engine.startsWith(`${client}-`)) {
    throw new Error(`Prisma: the migration engine (@prisma/schema-engine-wasm ${engine}) is not the one of @prisma/client ${client}. ` +
      'Install the versions pinned in package.json (npm ci).');
  }
  return { client, engine };
}

let wasmReady: Promise<void> | undefined;
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    checkEngineMatch();
    const url = new URL('./schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const module = await WebAssembly.compile(readFileSync(url));
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports as never);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  })();
  return wasmReady;
}

const filters = { externalTables: [], externalEnums: [] };

async function engineFor(url: string) {
  await loadWasm();
  const provider = providerOf(url);
  const schema = readFileSync(join(schemaDir(provider), 'schema.prisma'), 'utf8');
  // Track every connection the engine opens: engine.free() does not close them, and an open
  // SQLite connection would keep the next migration run waiting for the lock.
  const base = adapterFactory(url);
  const opened: { dispose(): Promise<void> }[] = [];
  const tracked = Object.assign(Object.create(Object.getPrototypeOf(base)), base, {
    connect: async () => { const a = await base.connect(); opened.push(a); return a; },
    connectToShadowDb: async () => {
      const a = await (base as unknown as { connectToShadowDb(): Promise<{ dispose(): Promise<void> }> }).connectToShadowDb();
      opened.push(a);
      return a;
    },
  });
  const factory = bindMigrationAwareSqlAdapterFactory(tracked);
  const logs: string[] = [];
  const engine = await bg.SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, (l: string) => logs.push(l), factory);
  const free = async () => {
    engine.free();
    await Promise.allSettled(opened.map((a) => a.dispose()));
  };
  return { engine, provider, schema, free };
}

export function listMigrations(provider: Provider) {
  const baseDir = migrationsDir(provider);
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lockPath = join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: readFileSync(join(baseDir, name, 'migration.sql'), 'utf8') } },
    })),
  };
}

/** Applies every pending migration under prisma/migrations/<provider>. Returns the names applied. */
export async function migrateDeploy(url: string): Promise<string[]> {
  const { engine, provider, free } = await engineFor(url);
  try {
    const out = await engine.applyMigrations({ migrationsList: listMigrations(provider), filters });
    return out.appliedMigrationNames;
  } finally {
    await free();
  }
}

/** SQL that turns the database described by `fromSchema` (or an empty one) into the current schema. */
export async function diffSql(url: string, fromSchema: string | null): Promise<string> {
  const { engine, schema, free } = await engineFor(url);
  try {
    const r = await engine.diff({
      from: fromSchema === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: fromSchema }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters,
    });
    return String((r as { stdout?: string }).stdout ?? '');
  } finally {
    await free();
  }
}
