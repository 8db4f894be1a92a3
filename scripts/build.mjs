// Compiles the bot to dist/ (npm start runs dist/src/main.js). Part of the install step (postinstall), so
// `npm ci && npm start` works on a fresh machine; skipped where TypeScript is not installed (an install
// with --omit=dev of an already built tree, as in the Docker image's last stage).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  console.error('build: TypeScript is not installed; using the dist/ already built');
  process.exit(0);
}
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
