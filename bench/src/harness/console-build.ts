import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@cr/demo/processes';

export const RENDERER_DIR = join(REPO_ROOT, 'desktop', 'dist', 'renderer');
export const CHROMIUM = '/usr/bin/chromium';

/** The built console, building it once if missing; a reason string when it cannot be had. */
export function ensureConsoleBuilt(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return undefined;
  const r = spawnSync('npm', ['run', 'build', '-w', '@cr/desktop'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 90_000 });
  if (r.status !== 0 || !existsSync(join(RENDERER_DIR, 'index.html'))) {
    const last = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-2).join(' ');
    return `the console does not build yet (npm run build -w @cr/desktop: ${r.error?.message ?? last})`;
  }
  return undefined;
}
