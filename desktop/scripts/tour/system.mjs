// Starts a real cloud (demo data), one edge with its embedded broker and the device simulator for
// `gangnam`, as processes on free ports; used by the UI tour. Every child is ended by its own pid.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('../../../', import.meta.url).pathname;
const tsx = join(repo, 'node_modules/.bin/tsx');

function start(name, args, patterns, timeoutMs = 60_000) {
  const child = spawn(tsx, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const found = {};
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out.slice(-2000)}`)), timeoutMs);
    const onData = (d) => {
      out += d;
      for (const [key, re] of Object.entries(patterns)) {
        const m = re.exec(out);
        if (m) found[key] = m[1];
      }
      if (Object.keys(found).length === Object.keys(patterns).length) {
        clearTimeout(timer);
        resolve({ child, ...found, log: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}:\n${out.slice(-2000)}`)));
  });
}

export async function startCloud(dataDir, port = 0) {
  return start('cloud', ['desktop/scripts/tour/tour-cloud.ts', '--port', String(port), '--demo', '--data', dataDir], {
    url: /cloud listening on (http:\S+)/,
    token: /edge token gangnam: (\S+)/,
    hongdae: /edge token hongdae: (\S+)/,
    yeouido: /edge token yeouido: (\S+)/,
  });
}

/** Gateways of other demo sites that only report their devices (tour-edges.ts), for the fleet view. */
export function startFleetEdges(url, links) {
  return start('fleet edges', ['desktop/scripts/tour/tour-edges.ts', url, ...links.map((l) => `${l.site}:${l.token}:${l.mode}`)], { ready: /(fleet edges ready)/ });
}

export async function startSystem() {
  const dir = mkdtempSync(join(tmpdir(), 'cr-tour-'));
  const cloud = await startCloud(join(dir, 'cloud'));
  const edge = await start('edge', ['edge/src/main.ts', '--site', 'gangnam', '--cloud', cloud.url, '--token', cloud.token, '--mqtt-port', '0', '--http-port', '0', '--data', join(dir, 'edge'), '--commissioning'], {
    mqtt: /mqtt on (mqtt:\S+)/,
    http: /http on (http:\S+)/,
  });
  const sim = await start('sim', ['edge/src/sim/main.ts', '--site', 'gangnam', '--mqtt-url', edge.mqtt, '--rate', '2', '--state-ms', '2000'], { control: /control on (http:\S+)/ });
  return { dir, cloud, edge, sim };
}

export function stop(proc) {
  if (proc?.child && proc.child.exitCode === null) proc.child.kill('SIGTERM');
}
