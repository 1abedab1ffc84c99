import { afterEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { LinkProxy } from './link-proxy';

let echo: Server | undefined;
let proxy: LinkProxy | undefined;

afterEach(async () => {
  await proxy?.close();
  await new Promise<void>((r) => (echo ? echo.close(() => r()) : r()));
});

async function startEcho(): Promise<number> {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo!.listen(0, '127.0.0.1', r));
  return (echo.address() as { port: number }).port;
}

function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect(port, '127.0.0.1', () => s.write(text));
    s.once('data', (d) => {
      resolve(d.toString());
      s.destroy();
    });
    s.once('error', reject);
    s.once('close', () => reject(new Error('closed')));
  });
}

describe('LinkProxy', () => {
  it('forwards traffic, cuts open connections, refuses new ones, and restores', async () => {
    proxy = new LinkProxy('127.0.0.1', await startEcho());
    const port = await proxy.listen();
    expect(await roundTrip(port, 'hello')).toBe('hello');

    const open = connect(port, '127.0.0.1');
    await new Promise((r) => open.once('connect', r));
    const closed = new Promise((r) => open.once('close', r));
    proxy.cut();
    await closed;
    await expect(roundTrip(port, 'while cut')).rejects.toThrow();

    proxy.restore();
    expect(await roundTrip(port, 'again')).toBe('again');
  });
});
