import { createServer, type Server } from 'node:http';
import { HttpError, sendJson } from './respond';
import { route, type HttpDeps } from './routes';
import type { LocalSync } from './local-sync';
import type { Logger } from '../log';

/** Starts the edge's local HTTP server (API, health, metrics, local sync). */
export async function startHttp(deps: HttpDeps, sync: LocalSync, port: number, host: string, log: Logger): Promise<{ server: Server; port: number }> {
  // Nagle off (also for the LAN sync WebSockets upgraded from it): small replies leave at once.
  const server = createServer({ noDelay: true }, (req, res) => {
    route(deps, req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) log.error(`http ${req.method} ${req.url}: ${(err as Error).message}`);
      if (!res.headersSent) sendJson(res, status, { error: status === 500 ? 'internal error' : (err as Error).message });
      else res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!sync.handles(req)) return socket.destroy();
    sync.upgrade(req, socket, head);
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr ? addr.port : port };
}
