import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'edge/src/main.ts');
const sim = join(root, 'edge/src/sim/main.ts');

export interface ChildEdge {
  proc: ChildProcess;
  mqttUrl: string;
  httpUrl: string;
  stderr: string[];
  /** resolves with the exit code (or signal) */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `edge/src/main.ts` as a real process and waits for both ready lines. */
export async function spawnEdge(args: string[], timeoutMs = 20_000): Promise<ChildEdge> {
  // Tests admit their devices as they announce themselves (commissioning window), like the demo.
  const proc = spawn(tsx, [main, '--commissioning', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  proc.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = await new Promise<{ mqttUrl: string; httpUrl: string }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`edge not ready: ${stderr.join('')}`)), timeoutMs);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const mqtt = /edge \S+ mqtt on (mqtt:\/\/\S+)/.exec(out);
      const http = /edge \S+ http on (http:\/\/\S+)/.exec(out);
      if (mqtt && http) {
        clearTimeout(timer);
        resolve({ mqttUrl: mqtt[1]!, httpUrl: http[1]! });
      }
    });
    void exited.then(({ code }) => reject(new Error(`edge exited ${code}: ${stderr.join('')}`)));
  });
  return { proc, stderr, exited, ...ready };
}

/** Runs the edge (or simulator) CLI to completion (for flag errors and --help). */
export function runEdgeCli(args: string[], cli: 'edge' | 'sim' = 'edge'): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const proc = spawn(tsx, [cli === 'edge' ? main : sim, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.once('exit', (code) => resolve({ code, stderr, stdout }));
  });
}
