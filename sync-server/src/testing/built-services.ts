import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@cr/demo/processes';

/** The built cloud, as production runs it (`node sync-server/dist/main.js`). */
export const BUILT_CLOUD = 'sync-server/dist/main.js';
/** The built edge gateway (`node edge/dist/main.js`). */
export const BUILT_EDGE = 'edge/dist/main.js';

/** Builds the cloud and the edge into JavaScript (`npm run build:services`), as a deployment does before it starts them. */
export function buildServices(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-services.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
    timeout: 60_000,
  });
}
