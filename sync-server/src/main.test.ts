import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

const MAIN = resolve(__dirname, 'main.ts');

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exit, out: () => stdout, err: () => stderr };
}

describe('config', () => {
  it('parses every flag with production defaults', () => {
    const c = parseConfig(['--port', '0', '--demo', '--link-timeout-ms', '500'], '/srv');
    expect(c).toMatchObject({
      port: 0,
      demo: true,
      linkTimeoutMs: 500,
      dataDir: '/srv/.data/cloud',
      retentionDays: 90,
      commandTtlMs: 10_000,
    });
  });

  it.each([[['--port', 'abc']], [['--port', '70000']], [['--frobnicate']], [['--link-timeout-ms', '-1']], [['stray']]])(
    'refuses %j with one clear line',
    (args) => {
      expect(() => parseConfig(args)).toThrow(ConfigError);
    },
  );
});

/** Resolves with the URL of the `cloud listening on …` line. */
function listening(p: ReturnType<typeof run>): Promise<string> {
  return new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line: ${p.err()}`)), 20_000);
    p.child.stdout.on('data', () => {
      const m = /^cloud listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(p.out());
      if (m) {
        clearTimeout(timer);
        resolveLine(m[1]!);
      }
    });
  });
}

describe('cloud CLI', () => {
  it('init creates a tenant (one line, exit 0); the cloud then serves it without any demo login or route', async () => {
    const data = mkdtempSync(join(tmpdir(), 'cloud-cli-'));
    const password = 'first-admin-password';
    const init = run(
      ['init', '--data', data, '--tenant', 'acme', '--tenant-name', 'Acme', '--admin', 'ops@acme.test'],
      {
        CR_ADMIN_PASSWORD: password,
      },
    );
    expect(await init.exit).toBe(0);
    expect(init.out()).toBe('tenant acme ready; admin ops@acme.test\n');
    const again = run([
      'init',
      '--data',
      data,
      '--tenant',
      'acme',
      '--tenant-name',
      'Acme',
      '--admin',
      'other@acme.test',
    ]);
    expect(await again.exit).toBe(2);
    expect(again.out()).toBe('');
    expect(again.err()).toBe('cloud init: tenant acme exists already; nothing changed\n');
    const p = run(['--port', '0', '--data', data, '--ui', join(data, 'console-not-built')]);
    try {
      const url = await listening(p);
      expect(p.out()).not.toMatch(/demo|edge token/);
      const login = (email: string, pw: string) =>
        fetch(`${url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: pw }),
        });
      expect((await login('admin@demo.local', 'demo-pass-1234')).status).toBe(401);
      const res = await login('ops@acme.test', password);
      expect(res.status).toBe(200);
      const { accessToken } = (await res.json()) as { accessToken: string };
      const demo = await fetch(`${url}/api/v1/demo/edge-token/gangnam`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(demo.status).toBe(404);
      const ui = await fetch(`${url}/`);
      expect(await ui.text()).toMatch(/console is not built[\s\S]*npm run build -w @cr\/desktop/);
      p.child.kill('SIGTERM');
      expect(await p.exit).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    }
  }, 40_000);

  it('prints the ready line, serves, and exits 0 on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'cloud-cli-'));
    const p = run(['--port', '0', '--data', data, '--demo']);
    try {
      const line = await listening(p);
      expect(p.out()).toMatch(/^edge token gangnam: ey/m);
      const health = await fetch(`${line}/health`);
      expect(await health.json()).toEqual({ status: 'ok' });
      p.child.kill('SIGTERM');
      expect(await p.exit).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    }
  }, 30_000);

  it('exits 2 with one line on a bad flag', async () => {
    const p = run(['--port', 'nope']);
    expect(await p.exit).toBe(2);
    expect(p.err().trim().split('\n')).toHaveLength(1);
    expect(p.err()).toMatch(/port/);
  }, 30_000);
});
