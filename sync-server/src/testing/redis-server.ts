import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

const REDIS_SERVER = process.env.CR_REDIS_SERVER ?? '/usr/bin/redis-server';

/** A Redis of its own, without persistence, that a suite may stop, kill and start again. */
export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** SIGKILL: gone at once, as in a crash */
  kill9(): void;
  /** Starts it again on the same port, empty (as after a crash); kills it first if it still runs. */
  restart(): Promise<void>;
}

/** Starts a redis-server on a free local port and resolves once it answers PING. */
export async function startRedisServer(): Promise<PrivateRedis> {
  const port = await freePort();
  let child = await launch(port);
  const running = new Set<ChildProcess>([child]);
  const killAll = () => {
    for (const c of running) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const exited = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r()));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      process.off('exit', killAll);
      for (const c of running) c.kill('SIGTERM');
      await Promise.all([...running].map(exited));
      running.clear();
    },
    kill9() {
      child.kill('SIGKILL');
    },
    async restart() {
      child.kill('SIGKILL');
      await exited(child);
      running.delete(child);
      child = await launch(port);
      running.add(child);
    },
  };
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on port ${port} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return child;
}

/** Whether a Redis on `port` answers PING. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
  });
}

/** A port nothing listens on now: the system picks one, and it is released at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
