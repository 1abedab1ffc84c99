// Type-checks every workspace that has TypeScript sources, one `tsc -p` per package.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(root, 'package.json'), 'utf8')));
const hasSources = (dir) =>
  existsSync(dir) &&
  readdirSync(dir, { recursive: true }).some((f) => /\.(ts|tsx)$/.test(String(f)) && !String(f).includes('node_modules'));

let failed = false;
for (const ws of pkg.workspaces) {
  const dir = join(root, ws);
  if (!existsSync(join(dir, 'tsconfig.json')) || !hasSources(dir)) continue;
  process.stdout.write(`typecheck ${ws}\n`);
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', dir], { stdio: 'inherit' });
  } catch {
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
