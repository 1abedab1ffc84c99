import { readFileSync } from 'node:fs';

/**
 * `npx tsx bench/src/profile-summary.ts FILE.cpuprofile [N]`: where a process spent its CPU time
 * (self time per function and per package), for the notes on targets a scenario missed. Profiles
 * come from running a scenario with `NODE_OPTIONS=--cpu-prof --cpu-prof-dir=DIR`.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function where(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const ours = /\/work\/main\/([^/]+\/src\/[^?]+)/.exec(url) ?? /main\/([^/]+\/[^?]+)/.exec(url);
  if (ours) return ours[1]!.split('/').slice(0, 2).join('/');
  return url.startsWith('node:') ? url : url ? 'other' : '(native/gc/idle)';
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: profile-summary FILE.cpuprofile [N]\n');
    process.exit(2);
  }
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = (p.endTime - p.startTime) / 1000;
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + us / 1000);
    const w = n.callFrame.functionName === '(idle)' ? '(idle)' : n.callFrame.functionName === '(garbage collector)' ? '(gc)' : where(n.callFrame.url);
    pkg.set(w, (pkg.get(w) ?? 0) + us / 1000);
  }
  const top = Number(topArg ?? 25);
  const print = (title: string, m: Map<string, number>): void => {
    console.log(`\n${title} (ms of ${total.toFixed(0)} ms wall)`);
    for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms.toFixed(1).padStart(10)}  ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
  };
  print('self time by package', pkg);
  print('self time by function', fn);
}

main();
