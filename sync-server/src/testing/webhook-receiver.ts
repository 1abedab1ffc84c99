import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers one request: a status, a dropped connection, or no answer at all. */
export type WebhookAnswer = number | 'reset' | 'hang';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** the body exactly as it arrived */
  raw: string;
  /** how it was answered */
  answer: WebhookAnswer;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** answers for the next requests, in order; 200 once they are used up (or `fallback`) */
  script: WebhookAnswer[];
  fallback: WebhookAnswer;
  close(): Promise<void>;
}

/** A real HTTP endpoint on port 0 that records every request and answers as scripted (a stand-in for a customer's webhook or a provider API). */
export async function startWebhookReceiver(script: WebhookAnswer[] = [], fallback: WebhookAnswer = 200): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const receiver: WebhookReceiver = { url: '', requests, script, fallback, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = receiver.script.shift() ?? receiver.fallback;
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), answer, at: Date.now() });
      if (answer === 'reset') return void req.socket.destroy();
      if (answer === 'hang') return void hanging.add(res);
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((r) => {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return receiver;
}
