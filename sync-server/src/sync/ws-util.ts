import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** The bearer token of an upgrade request: `Authorization: Bearer …` or `?token=…` (browsers cannot set headers on WebSockets). */
export function upgradeToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return url.searchParams.get('token') ?? undefined;
}

/** Pings every `intervalMs`; a peer that missed a pong is terminated (dead TCP connections hold memory and docs). */
export function keepAlive(ws: WebSocket, intervalMs = 30_000): void {
  let alive = true;
  ws.on('pong', () => {
    alive = true;
  });
  const timer = setInterval(() => {
    if (!alive) {
      ws.terminate();
      return;
    }
    alive = false;
    try {
      ws.ping();
    } catch {
      ws.terminate();
    }
  }, intervalMs);
  timer.unref();
  ws.on('close', () => clearInterval(timer));
}

/**
 * A send function that coalesces every frame sent to this socket in one turn of the event loop
 * into one write: the underlying TCP socket is corked at the first frame and uncorked once the
 * current work (a commit's whole run of broadcasts) is done. With 100 consoles on a document, a
 * burst of updates then costs each console one syscall and one read instead of one per update.
 */
export function coalescingSend(ws: WebSocket): (frame: Uint8Array) => void {
  // ws keeps its TCP socket in `_socket` (stable across ws 8); without it, frames go out one by one.
  const socket = (ws as unknown as { _socket?: Duplex })._socket;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket?.uncork();
  };
  return (frame) => {
    if (ws.readyState !== ws.OPEN) return;
    if (socket && !corked && typeof socket.cork === 'function') {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    ws.send(frame);
  };
}
