// `npm run desktop`: builds the console if needed, makes sure the Electron binary is there
// (running Electron's own install script on first use), then starts it. Never a stack trace:
// when Electron cannot be fetched it says what to do and where the same UI runs in a browser.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsBuild } from './build-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const cloudArg = args.indexOf('--cloud');
const cloudUrl = (cloudArg >= 0 ? args[cloudArg + 1] : undefined) ?? process.env.CR_CLOUD_URL ?? 'http://127.0.0.1:8080';

function fail(lines) {
  for (const line of lines) console.error(line);
  process.exit(1);
}

function run(cmd, cmdArgs, opts = {}) {
  return spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts }).status === 0;
}

function electronDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The binary path from electron's path.txt, or undefined when it was never downloaded. */
function electronBinary(dir) {
  const pathTxt = join(dir, 'path.txt');
  if (!existsSync(pathTxt)) return undefined;
  const bin = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

/** Runs electron's install script quietly; returns its first error line (no stack) on failure. */
function fetchElectron(dir) {
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  if (r.status === 0) return undefined;
  const text = `${r.stderr ?? ''}\n${r.stdout ?? ''}`;
  const line = text.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at ') && !l.startsWith('node:'));
  return line ?? (r.error ? r.error.message : `exit code ${r.status}`);
}

const sources = ['src', 'vite.config.ts', 'scripts/build-main.mjs'].map((p) => join(root, p));
if (needsBuild(sources, join(root, 'dist'), { readdirSync, statSync, existsSync })) {
  console.log('desktop: building the console…');
  if (!run('npm', ['run', 'build'])) fail(['desktop: the build failed (see above).']);
}

const dir = electronDir();
if (!dir) fail(['desktop: the electron package is not installed. Run `npm ci` at the repository root.']);
let bin = electronBinary(dir);
if (!bin) {
  console.log('desktop: fetching the Electron binary (first start)…');
  const why = fetchElectron(dir);
  bin = electronBinary(dir);
  if (!bin && why) console.error(`desktop: download failed: ${why.slice(0, 300)}`);
}
if (!bin) {
  fail([
    'desktop: the Electron binary is not available and could not be downloaded.',
    '  To fix: allow the download (network access to github.com, or set ELECTRON_MIRROR to a mirror),',
    `  then run: node ${join(dir, 'install.js')}`,
    `  Meanwhile the same console runs in a browser: start the cloud (npm run cloud -- --demo) and open ${cloudUrl}/`,
  ]);
}

const child = spawn(bin, [join(root, 'dist/main/main.cjs'), '--cloud', cloudUrl], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
