// Decides whether the console must be (re)built before starting: no output yet, or a source file
// newer than the oldest build output.
import { join } from 'node:path';

function newestMtime(path, fs) {
  if (!fs.existsSync(path)) return 0;
  const st = fs.statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name), fs));
  return newest;
}

/** True when dist lacks the renderer or main bundle, or any source is newer than them. */
export function needsBuild(sources, distDir, fs) {
  const outputs = [join(distDir, 'renderer/index.html'), join(distDir, 'main/main.cjs'), join(distDir, 'main/preload.cjs')];
  if (!outputs.every((o) => fs.existsSync(o))) return true;
  const built = Math.min(...outputs.map((o) => fs.statSync(o).mtimeMs));
  return sources.some((s) => newestMtime(s, fs) > built);
}
