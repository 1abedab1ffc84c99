// Fails when any package's sources import each other in a circle (madge), package by package.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = ['shared/src', 'edge/src', 'sync-server/src', 'desktop/src', 'demo/src', 'e2e', 'bench/src'].filter((d) => existsSync(join(root, d)));
try {
  execFileSync(
    join(root, 'node_modules/.bin/madge'),
    ['--circular', '--extensions', 'ts,tsx', '--exclude', 'node_modules', '--ts-config', 'tsconfig.base.json', ...dirs],
    { stdio: 'inherit', cwd: root },
  );
} catch {
  console.error('circular imports found (see above): break the cycle before committing');
  process.exit(1);
}
