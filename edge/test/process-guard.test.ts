import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProcessGuard, type FaultOrigin } from '../src/process-guard';
import { tempDir } from './support/test-edge';

function harness() {
  const lines: string[] = [];
  const counted: FaultOrigin[] = [];
  const exits: number[] = [];
  const log = { info: () => undefined, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
  const guard = createProcessGuard(log, { count: (o) => counted.push(o), exit: (c) => void exits.push(c) });
  return { guard, lines, counted, exits };
}

describe('process guard policy', () => {
  it('keeps a started gateway alive, counts the fault and logs one line with the stack head', () => {
    const h = harness();
    h.guard.started();
    h.guard.handle(new TypeError('cannot read x of undefined'), 'uncaughtException');
    h.guard.handle('a string rejection', 'unhandledRejection');
    expect(h.exits).toEqual([]);
    expect(h.counted).toEqual(['uncaughtException', 'unhandledRejection']);
    expect(h.lines).toHaveLength(2);
    expect(h.lines[0]).toMatch(
      /^uncaughtException \(gateway kept running\) TypeError: cannot read x of undefined: at .*process-guard\.test\.ts/,
    );
    expect(h.lines[0]).not.toContain('\n');
    expect(h.lines[1]).toMatch(/non-error value: a string rejection/);
  });

  it('folds a loop of the same fault into one line per window, but counts every one', () => {
    const h = harness();
    h.guard.started();
    for (let i = 0; i < 1000; i++) h.guard.handle(new Error('timer keeps failing'), 'uncaughtException');
    expect(h.counted).toHaveLength(1000);
    expect(h.lines).toHaveLength(1);
  });

  it('exits 2 for a fault during startup and 1 when the runtime is failing', () => {
    const early = harness();
    early.guard.handle(new Error('broker socket died while starting'), 'uncaughtException');
    expect(early.exits).toEqual([2]);
    const broken = harness();
    broken.guard.started();
    broken.guard.handle(Object.assign(new Error('assertion'), { code: 'ERR_INTERNAL_ASSERTION' }), 'uncaughtException');
    broken.guard.handle(new RangeError('Array buffer allocation failed'), 'unhandledRejection');
    expect(broken.exits).toEqual([1, 1]);
    expect(broken.counted).toEqual([]);
  });
});

describe('process guard installed on a real process', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const run = (body: string) => {
    const script = join(tempDir(), 'guarded.ts');
    writeFileSync(
      script,
      `import { installProcessGuard } from ${JSON.stringify(join(root, 'edge/src/process-guard.ts'))};\n` +
        `import { uncaughtErrorsTotal } from ${JSON.stringify(join(root, 'edge/src/metrics.ts'))};\n` +
        `const log = { info() {}, warn() {}, error: (m: string) => process.stderr.write(m + '\\n') };\n${body}\n`,
    );
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const proc = spawn(join(root, 'node_modules/.bin/tsx'), [script], { cwd: root });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  };

  it('survives a throw in a timer and an unhandled rejection, then keeps working', async () => {
    const r = await run(`
      const guard = installProcessGuard(log);
      guard.started();
      setTimeout(() => { throw new Error('boom in a timer'); }, 5);
      setTimeout(() => void Promise.reject(new Error('nobody awaited me')), 10);
      setTimeout(async () => {
        const m = await uncaughtErrorsTotal.get();
        process.stdout.write('alive ' + m.values.map((v) => v.labels.origin + '=' + v.value).sort().join(',') + '\\n');
        process.exit(0);
      }, 200);`);
    expect(r.stdout).toBe('alive uncaughtException=1,unhandledRejection=1\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/uncaughtException \(gateway kept running\) Error: boom in a timer/);
    expect(r.stderr).toMatch(/unhandledRejection \(gateway kept running\) Error: nobody awaited me/);
  });

  it('still stops a process that fails while starting', async () => {
    const r = await run(`
      installProcessGuard(log);
      setTimeout(() => { throw new Error('failed before ready'); }, 5);
      setTimeout(() => { process.stdout.write('alive\\n'); }, 200);`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/uncaughtException during startup, exiting: Error: failed before ready/);
  });
});
