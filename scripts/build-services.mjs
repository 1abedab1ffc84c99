// Builds the cloud and the edge into plain JavaScript (dist/main.js in each package), so that
// production runs `node …/dist/main.js` without a TypeScript loader. The project's own packages
// (@cr/*) are bundled in; every other package stays an import resolved from node_modules.
// `npm run cloud` / `edge` / `sim` build first: each file is written beside its place and renamed
// over it, so instances started together never read a half-written bundle. Output goes to stderr.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const SERVICES = [
  { entry: 'sync-server/src/main.ts', out: 'sync-server/dist/main.js' },
  { entry: 'edge/src/main.ts', out: 'edge/dist/main.js' },
  { entry: 'edge/src/sim/main.ts', out: 'edge/dist/sim.js' },
];

/** Bare imports other than the workspace's own packages are left to Node (native addons, pino transports…). */
const dependenciesStayExternal = {
  name: 'dependencies-stay-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@cr/') || args.kind === 'entry-point') return undefined;
      return { path: args.path, external: true };
    });
  },
};

const started = Date.now();
for (const s of SERVICES) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [s.entry],
    outfile: s.out,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [dependenciesStayExternal],
  });
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`);
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
}
if (!process.argv.includes('--quiet'))
  process.stderr.write(`built ${SERVICES.map((s) => s.out).join(', ')} in ${Date.now() - started} ms\n`);
