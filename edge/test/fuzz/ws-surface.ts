import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WsInput } from './ws-inputs';
import { wsFrame } from './ws-frames';
import { preview, type FuzzStats } from './stats';
import type { EdgeTarget } from './target';
import { untilUp } from './up';

/** Everything the server sent on one socket, as latin1 text. */
function collect(socket: Socket): { text: () => string } {
  let text = '';
  socket.on('data', (d: Buffer) => {
    if (text.length < 16_384) text += d.toString('latin1');
  });
  return { text: () => text };
}

/** Writes the upgrade request and resolves with the status line's code (or how the socket ended). */
function upgrade(socket: Socket, request: Buffer, received: () => string): Promise<string> {
  return new Promise((resolve) => {
    const status = (): string => /^HTTP\/1\.1 (\d{3})/.exec(received())?.[1] ?? 'garbled';
    const done = (result: string): void => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve(result);
    };
    const poll = setInterval(() => {
      if (received().includes('\r\n\r\n') || received().length > 8_192) done(status());
    }, 2);
    const timer = setTimeout(() => done('no-answer'), 3_000);
    socket.once('close', () => done(received() ? status() : 'closed-without-answer'));
    socket.once('error', () => undefined);
    socket.write(request);
  });
}

/** What the server did after the 101: its first frame is a sync step 1 (joined) or a close with a code. */
function afterUpgrade(received: string): string {
  const body = received.slice(received.indexOf('\r\n\r\n') + 4);
  if (!body) return 'ws:silent';
  const opcode = body.charCodeAt(0) & 0x0f;
  if (opcode === 2) return 'ws:joined';
  if (opcode === 8) return `ws:closed-${(body.charCodeAt(2) << 8) | body.charCodeAt(3)}`;
  return `ws:opcode-${opcode}`;
}

const write = (socket: Socket, bytes: Buffer): Promise<void> =>
  new Promise((resolve) => {
    if (socket.destroyed || !socket.writable) return resolve();
    socket.write(bytes, () => resolve());
  });

/** One upgrade to `/sync/…`; after a 101 the frames follow, then the client leaves as the input says. */
export async function sendWs(target: EdgeTarget, stats: FuzzStats, input: WsInput): Promise<void> {
  await untilUp(target);
  stats.count('ws', `upgrade:${input.kind}`);
  stats.note('ws', `${preview(input.path, 200)} frames=[${input.frames.map((f) => preview(f, 40)).join(', ')}]`);
  const socket = connect({ port: target.httpPort, host: '127.0.0.1', noDelay: true });
  socket.on('error', () => undefined);
  const connected = await new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
  });
  if (!connected) return stats.outcome('ws', 'refused');
  const received = collect(socket);
  const status = await upgrade(socket, input.request, received.text);
  stats.outcome('ws', status);
  if (/^5\d\d$/.test(status)) stats.find('ws', `upgrade answered ${status}`, preview(input.path, 200));
  if (status === '101') {
    for (const frame of input.frames) {
      if (socket.destroyed) break;
      stats.count('ws', 'frame');
      await write(socket, frame);
    }
    // Stay until the edge gave its verdict (sync step 1, or a close): by then it has applied or
    // dropped the frames, so whether they took effect does not depend on how loaded the edge is.
    for (
      let waited = 0;
      afterUpgrade(received.text()) === 'ws:silent' && !socket.destroyed && waited < 1_000;
      waited += 5
    )
      await sleep(5);
    stats.outcome('ws', afterUpgrade(received.text()));
    if (input.leave === 'close-frame') await write(socket, wsFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe8]) }));
    if (input.leave !== 'abrupt') socket.end();
  }
  socket.destroy();
}
