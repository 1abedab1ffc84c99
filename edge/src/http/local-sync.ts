import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type * as Y from 'yjs';
import { CLOSE, SyncRoom, type SyncPeer } from '@cr/shared/sync/sync-room';
import { docAccess, MAX_WS_MESSAGE_BYTES } from '@cr/shared';
import type { TokenVerifier } from './token-verifier';

/**
 * Serves the site document to laptops on the site LAN over the y-websocket protocol at
 * `/sync/{docName}?token=…`, with the access level docAccess() gives the verified token.
 */
export class LocalSync {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  private readonly room: SyncRoom;

  constructor(
    doc: Y.Doc,
    private readonly docName: string,
    private readonly verifier: TokenVerifier,
  ) {
    this.room = new SyncRoom(doc);
  }

  get peers(): number {
    return this.room.peerCount;
  }

  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith('/sync/');
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, req));
  }

  private async accept(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://edge');
    const docName = decodeURIComponent(url.pathname.slice('/sync/'.length));
    // Frames arriving while the token is checked are kept, not lost.
    const early: Buffer[] = [];
    const keep = (d: Buffer): number => early.push(d);
    ws.on('message', keep);
    const v = await this.verifier.verify(req.headers.authorization, url.searchParams.get('token'));
    ws.off('message', keep);
    if (!v.ok) return ws.close(CLOSE.badToken, v.error.slice(0, 100));
    if (docName !== this.docName) return ws.close(CLOSE.notFound, 'this edge serves only its own site document');
    const access = docAccess(v.principal, docName);
    // Threat: a vendor or another site's manager opening this site's document on the LAN.
    if (access === 'none') return ws.close(CLOSE.forbidden, 'no access to this document');
    const peer: SyncPeer = {
      access,
      send: (frame) => ws.readyState === ws.OPEN && ws.send(frame),
      close: (code, reason) => ws.close(code, reason),
    };
    this.room.join(peer);
    ws.on('message', (data: Buffer) => this.room.receive(peer, new Uint8Array(data)));
    ws.on('close', () => this.room.leave(peer));
    ws.on('error', () => ws.terminate());
    for (const d of early) this.room.receive(peer, new Uint8Array(d));
  }

  close(): void {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    this.room.destroy();
  }
}
