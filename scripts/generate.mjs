// Writes the provider-specific schemas from prisma/models.prisma and generates both Prisma clients.
// The Prisma CLI would try to download a native schema engine for `generate`; generation only needs
// the bundled WASM, so PRISMA_SCHEMA_ENGINE_BINARY points at an existing file (see README).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const models = readFileSync(join(root, 'prisma/models.prisma'), 'utf8');
const providers = { sqlite: 'sqlite', postgres: 'postgresql' };
const only = process.argv[2];

for (const [name, provider] of Object.entries(providers)) {
  const header = `// GENERATED from prisma/models.prisma by scripts/generate.mjs. Do not edit.\n` +
    `generator client {\n  provider = "prisma-client"\n  output   = "../../src/generated/${name}"\n  runtime  = "nodejs"\n  moduleFormat = "esm"\n}\n\n` +
    `datasource db {\n  provider = "${provider}"\n}\n\n`;
  const dir = join(root, 'prisma', name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'schema.prisma');
  const text = header + models;
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  if (only === '--schemas-only') continue;
  execFileSync(process.execPath, [join(root, 'node_modules/prisma/build/index.js'), 'generate', '--schema', file], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  });
}
