import { createServer, type Server } from 'node:http';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { Logger } from '../log';
import { localApi, type HttpDeps } from './routes';
import type { LocalSync } from './local-sync';
import { refuseMalformedRequest, refuseSocket } from './socket-refusal';

const json = (status: number, error: string): Response =>
  new Response(JSON.stringify({ error }), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

/** Starts the edge's local HTTP server (API, health, metrics, local sync). */
export async function startHttp(
  deps: HttpDeps,
  sync: LocalSync,
  port: number,
  host: string,
  log: Logger,
): Promise<{ server: Server; port: number }> {
  const app = localApi(deps, log);
  const listener = getRequestListener(app.fetch, {
    // A Host header or request target Node accepts but no URL can be built from (`Host: a b`).
    errorHandler: (err) => {
      if (err instanceof RequestError) return json(400, `malformed request: ${err.message}`);
      log.error(`http: ${(err as Error).stack?.split('\n', 3).join(' | ') ?? String(err)}`);
      return json(500, 'internal error');
    },
  });
  // Nagle off (also for the LAN sync WebSockets upgraded from it): small replies leave at once.
  // Threat: slowloris — a LAN peer trickling headers or a body to hold sockets open; Node drops them after these.
  const server = createServer({ noDelay: true, headersTimeout: 10_000, requestTimeout: 30_000 }, listener);
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (!sync.handles(req)) return refuseSocket(socket, 404, 'no WebSocket endpoint here');
    try {
      sync.upgrade(req, socket, head, log);
    } catch (err) {
      log.warn(`sync upgrade refused: ${(err as Error).message}`);
      refuseSocket(socket, 400, 'upgrade refused');
    }
  });
  server.on('clientError', refuseMalformedRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr ? addr.port : port };
}
