import type { IncomingMessage } from 'node:http';
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
