import { existsSync } from 'node:fs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './processes';

export const RENDERER_DIR = join(REPO_ROOT, 'desktop', 'dist', 'renderer');

/** Builds the console once (first run of a fresh clone); later runs reuse the build. */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return;
  console.log('Building the console (first run only)…');
  const r = spawnSync('npm', ['run', 'build', '-w', '@cr/desktop'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the console failed (see above)');
}

/** The Electron binary, if this machine has it (it is fetched by `npm run desktop` on first use). */
export function electronPresent(): boolean {
  const pathFile = join(REPO_ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(REPO_ROOT, 'node_modules', 'electron', 'dist'));
}

/** Opens the desktop app against the demo cloud, when Electron is present. */
export function openDesktop(cloudUrl: string): ChildProcess {
  return spawn('npm', ['run', 'desktop', '--', '--cloud', cloudUrl], { cwd: REPO_ROOT, stdio: 'ignore' });
}
