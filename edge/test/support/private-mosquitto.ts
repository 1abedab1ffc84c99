import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './test-edge';

/** The ACL an installer copies (edge/deploy/mosquitto/acl). */
export const SHIPPED_ACL = readFileSync(fileURLToPath(new URL('../../deploy/mosquitto/acl', import.meta.url)), 'utf8');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PrivateMosquitto {
  port: number;
  /** mqtt URL with the given login */
  url(user?: string, password?: string): string;
  stop(): Promise<void>;
}

/**
 * A real Mosquitto process of its own (not the machine's shared one) with logins and an ACL, on a
 * free loopback port: what an installer runs on a site.
 */
export async function startPrivateMosquitto(logins: Record<string, string>, acl: string, allowAnonymous = false): Promise<PrivateMosquitto> {
  const dir = tempDir();
  // Started as root, Mosquitto drops to its own user, which must still read its files.
  chmodSync(dir, 0o755);
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  for (const [user, password] of Object.entries(logins)) execFileSync('mosquitto_passwd', ['-b', passwd, user, password]);
  writeFileSync(join(dir, 'acl'), acl);
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, `allow_anonymous ${allowAnonymous}`, `password_file ${passwd}`, `acl_file ${join(dir, 'acl')}`, 'persistence false', ''].join('\n'));
  const proc: ChildProcess = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 5_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited: ${log}`);
    if (/running/.test(log) || (await canConnect(port))) break;
    if (Date.now() > deadline) throw new Error(`mosquitto did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: (user, password) => (user ? `mqtt://${encodeURIComponent(user)}:${encodeURIComponent(password ?? '')}@127.0.0.1:${port}` : `mqtt://127.0.0.1:${port}`),
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
