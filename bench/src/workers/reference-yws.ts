import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { ready, runMain } from '../harness/worker-io';

/**
 * The reference: `@y/websocket-server` 0.1.1 (the y-websocket project's own server, yjs 13) wired
 * exactly as its `bin/server.js`, but on a free port that it prints. In memory, no persistence.
 */
runMain(async () => {
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('okay');
  });
  wss.on('connection', setupWSConnection);
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  process.on('SIGTERM', () => process.exit(0));
});
