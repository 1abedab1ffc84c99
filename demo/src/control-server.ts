import { createServer, type Server } from 'node:http';
import { trigger, isIncident } from './incidents';
import type { LocalSystem } from './system';

/**
 * The running demo listens on loopback for incident requests from `npm run demo -- …`.
 * Loopback only: nothing outside this machine can trigger a fire alarm.
 */
export async function startControlServer(system: LocalSystem): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const [, incident = '', siteId = '', target] = (req.url ?? '').split('/').map(decodeURIComponent);
    const reply = (status: number, message: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
    };
    if (req.method !== 'POST') return reply(405, 'POST /{incident}/{site}[/{target}]');
    if (!isIncident(incident)) return reply(404, `unknown incident ${incident}`);
    trigger(system, incident, siteId, target).then(
      (msg) => reply(200, msg),
      (err: Error) => reply(400, err.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return { server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}
