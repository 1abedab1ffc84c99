import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Where tests find NATS with JetStream: `CR_TEST_NATS_URL`, else the local server's standard address. */
export const TEST_NATS_URL = process.env.CR_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** The server binary for private servers: `CR_NATS_SERVER`, else the system's. */
const NATS_SERVER = process.env.CR_NATS_SERVER ?? '/usr/sbin/nats-server';

/** Whether private servers can be started here (suites that need one say plainly when not). */
export function natsServerInstalled(): boolean {
  const found = existsSync(NATS_SERVER);
  if (!found) console.warn(`[services] ${NATS_SERVER} is not installed: suites that start their own NATS did not run`);
  return found;
}

/** A NATS server of a test's own, JetStream on disk in a directory of its own. */
export interface NatsServer {
  url: string;
  /** ends it and removes its store */
  stop(): Promise<void>;
  /** kill -9, as a crash or a power cut would; the store stays */
  kill9(): Promise<void>;
  /** starts it again on the same port and store (stopping it first if it runs) */
  restart(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the server and resolves once it says it is ready (JetStream's store read). */
function spawnServer(port: number, storeDir: string): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('not ready within 10 s')), 10_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`nats-server on port ${port}: ${err.message}\n${lines.join('\n')}`));
    };
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`exited (${code ?? signal}) before it was ready`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (lines.length < 200) lines.push(line);
      if (line.includes('Server is ready')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
  });
}

function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A private `nats-server -js` on a free port of 127.0.0.1, its store in a fresh temporary directory. */
export async function startNatsServer(): Promise<NatsServer> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'cr-nats-'));
  let child: ChildProcess | undefined = await spawnServer(port, storeDir);
  // A test run that dies leaves no server behind.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (!child) return;
    const c = child;
    child = undefined;
    const done = ended(c);
    c.kill(signal);
    await done;
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      process.off('exit', killOnExit);
      await end('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
    kill9: () => end('SIGKILL'),
    async restart() {
      await end('SIGTERM');
      child = await spawnServer(port, storeDir);
    },
  };
}
