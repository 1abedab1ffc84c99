import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { CLOSE, SyncRoom, type SyncPeer } from '@cr/shared/sync/sync-room';
import { docAccess, MAX_WS_MESSAGE_BYTES } from '@cr/shared';
import type { Logger } from '../log';
import type { TokenVerifier } from './token-verifier';
import { refuseSocket } from './socket-refusal';
import { lanRefusal } from './lan-auth';

const PREFIX = '/sync/';
/** Frames a y-websocket client sends before its first answer: sync step 1, awareness, a few updates. */
const MAX_EARLY_FRAMES = 64;

/** What an upgrade asks for, read without anything that can throw. */
type SyncTarget = { ok: true; docName: string; token: string | null } | { ok: false; error: string };

/** Parses `/sync/{docName}?token=…`. Threat: `%ZZ` or a cut UTF-8 escape throwing out of the upgrade path. */
export function syncTarget(rawUrl: string | undefined): SyncTarget {
  let url: URL;
  try {
    url = new URL(rawUrl ?? '/', 'http://edge');
  } catch {
    return { ok: false, error: 'malformed request target' };
  }
  if (!url.pathname.startsWith(PREFIX)) return { ok: false, error: 'not a sync path' };
  try {
    return {
      ok: true,
      docName: decodeURIComponent(url.pathname.slice(PREFIX.length)),
      token: url.searchParams.get('token'),
    };
  } catch {
    return { ok: false, error: 'malformed percent-escape in path' };
  }
}

/** ws refuses close reasons over 123 bytes (and bad codes) by throwing; a peer must never make us throw. */
function closeSafely(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(
      code,
      Buffer.from(reason)
        .subarray(0, 120)
        .toString()
        .replace(/\uFFFD+$/, ''),
    );
  } catch {
    ws.terminate();
  }
}

/**
 * Serves the site document to laptops on the site LAN over the y-websocket protocol at
 * `/sync/{docName}?token=…`, to a LAN token naming this site, with the access level docAccess() gives it.
 */
export class LocalSync {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  private readonly room: SyncRoom;

  constructor(
    doc: Y.Doc,
    private readonly docName: string,
    private readonly verifier: TokenVerifier,
    /** this edge's tenant and site: a LAN token must name them */
    private readonly site: { tenantId: string; siteId: string },
  ) {
    // The cloud link announces the gateway under the document's own client id (y-websocket
    // requires it); the LAN room announces it under another.
    this.room = new SyncRoom(doc, { presenceOf: new Y.Doc() });
  }

  /** The gateway's own presence in the room LAN consoles join: where live telemetry is announced. */
  get awareness(): SyncRoom['awareness'] {
    return this.room.awareness;
  }

  get peers(): number {
    return this.room.peerCount;
  }

  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith(PREFIX);
  }

  /** Never throws and never leaves a promise unhandled: a bad upgrade costs its own socket only. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, log: Pick<Logger, 'warn'>): void {
    const target = syncTarget(req.url);
    if (!target.ok) return refuseSocket(socket, 400, target.error);
    // ws answers a bad key or version with its own 400 and destroys the socket.
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // Registered first: an oversized or malformed frame during the token check emits 'error',
      // which without a listener would be thrown and take the gateway down.
      ws.on('error', () => ws.terminate());
      this.accept(ws, req, target).catch((err: unknown) => {
        log.warn(`local sync: ${(err as Error).message?.slice(0, 200)}`);
        ws.terminate();
      });
    });
  }

  private async accept(
    ws: WebSocket,
    req: IncomingMessage,
    target: { docName: string; token: string | null },
  ): Promise<void> {
    // Frames arriving while the token is checked are kept, not lost.
    const early: Buffer[] = [];
    // Threat: a peer flooding frames during the token check to grow this buffer without bound.
    const keep = (d: Buffer): void => void (early.push(d) > MAX_EARLY_FRAMES && ws.terminate());
    ws.on('message', keep);
    const v = await this.verifier.verify(req.headers.authorization, target.token);
    ws.off('message', keep);
    if (ws.readyState !== ws.OPEN) return;
    if (!v.ok) return closeSafely(ws, CLOSE.badToken, v.error);
    if (target.docName !== this.docName)
      return closeSafely(ws, CLOSE.notFound, 'this edge serves only its own site document');
    // Threat: a vendor, or a token not issued for this site, opening this site's document on the LAN.
    const refused = lanRefusal(v.principal, this.site);
    if (refused) return closeSafely(ws, CLOSE.forbidden, refused);
    const access = docAccess(v.principal, target.docName);
    if (access === 'none') return closeSafely(ws, CLOSE.forbidden, 'no access to this document');
    const peer: SyncPeer = {
      access,
      send: (frame) => ws.readyState === ws.OPEN && ws.send(frame),
      close: (code, reason) => closeSafely(ws, code, reason),
    };
    this.room.join(peer);
    ws.on('message', (data: Buffer) => this.room.receive(peer, new Uint8Array(data)));
    ws.on('close', () => this.room.leave(peer));
    for (const d of early) this.room.receive(peer, new Uint8Array(d));
  }

  close(): void {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    this.room.destroy();
  }
}
