import type { IncomingMessage } from 'node:http';
import { CLOSE, parseDocName, type Principal, type SyncPeer } from '@cr/shared';
import type { WebSocket } from 'ws';
import type { AuthService } from '../domain/auth-service';
import type { VendorViews } from '../domain/vendor-view';
import type { CloudMetrics } from '../metrics';
import type { DocRegistry, LiveDoc } from './doc-registry';
import type { UserSockets } from './user-sockets';
import { coalescingSend, keepAlive, upgradeToken } from './ws-util';
import { ThrottledInbox } from './sync-throttle';
import { syncAccess } from './write-scope';
import type { Accept } from '../edge-link/edge-link-server';
import type { TenantsPort } from '../store/ports';
import type { CloudLog } from '../log';

export interface SyncDeps {
  auth: AuthService;
  docs: DocRegistry;
  tenants: TenantsPort;
  vendors: VendorViews;
  metrics: CloudMetrics;
  userSockets: UserSockets;
  log: CloudLog;
}

type Admission =
  | { ok: true; docName: string; access: 'read' | 'write'; principal: Principal }
  | { ok: false; code: number; reason: string };

/** Decides whether a principal may open a document, and how (docAccess of shared, narrowed by authorize). */
export async function admit(principal: Principal, docName: string, deps: Pick<SyncDeps, 'tenants'>): Promise<Admission> {
  const access = syncAccess(principal, docName);
  if (access === 'none') return { ok: false, code: CLOSE.forbidden, reason: 'no access to this document' };
  const doc = parseDocName(docName)!;
  // Threat: creating documents for sites that do not exist (storage exhaustion, confusion).
  if (doc.kind === 'site' && !(await deps.tenants.site(doc.tenantId, doc.siteId)))
    return { ok: false, code: CLOSE.notFound, reason: 'unknown site' };
  return { ok: true, docName, access, principal };
}

async function authenticate(req: IncomingMessage, url: URL, docName: string, deps: SyncDeps): Promise<Admission> {
  const token = upgradeToken(req, url);
  if (!token) return { ok: false, code: CLOSE.badToken, reason: 'missing token' };
  try {
    const { principal } = await deps.auth.verify(token);
    const admission = await admit(principal, docName, deps);
    if (admission.ok && principal.kind === 'user' && principal.role === 'vendor')
      await deps.vendors.rebuild(principal.tenantId, principal.userId);
    return admission;
  } catch (err) {
    return { ok: false, code: CLOSE.badToken, reason: (err as Error).message.slice(0, 100) };
  }
}

/** `/sync/{docName}?token=…`: the y-websocket protocol over the shared SyncRoom. */
export async function handleSync(req: IncomingMessage, url: URL, accept: Accept, deps: SyncDeps): Promise<void> {
  const docName = decodeURIComponent(url.pathname.slice('/sync/'.length));
  const admission = await authenticate(req, url, docName, deps);
  accept((ws) => {
    if (!admission.ok) {
      deps.metrics.syncRefused.inc({ code: String(admission.code) });
      return ws.close(admission.code, admission.reason);
    }
    const { principal } = admission;
    if (principal.kind === 'user' && !deps.userSockets.add(principal.userId, ws)) return;
    // Frames that arrive while the document loads wait for it, in order.
    const early: Array<[Buffer, boolean]> = [];
    const hold = (data: Buffer, isBinary: boolean) => void early.push([data, isBinary]);
    ws.on('message', hold);
    deps.docs.open(docName).then(
      (live) => {
        ws.off('message', hold);
        if (ws.readyState !== ws.OPEN) return;
        serve(ws, live, admission, deps);
        for (const [data, isBinary] of early) ws.emit('message', data, isBinary);
      },
      (err: Error) => {
        deps.log.error({ doc: docName }, `sync: ${docName} could not be loaded: ${err.message}`);
        ws.close(CLOSE.serverError, 'the document could not be loaded; reconnect');
      },
    );
  });
}

function serve(ws: WebSocket, live: LiveDoc, admission: Extract<Admission, { ok: true }>, deps: SyncDeps): void {
  const { access, principal } = admission;
  // Loaded completely before the peer joins: nobody is served a half-loaded document.
  live.holds++;
  // The peer is the origin of every change it applies: the audit log credits the authenticated
  // principal, and the room gives the site's gateway the document's reserved headroom.
  const peer: SyncPeer = {
    access,
    principal,
    send: coalescingSend(ws),
    close: (code, reason) => ws.close(code, reason),
  };
  // People draw on their user's budget; the gateway is never queued behind anyone.
  const budget = principal.kind === 'user' ? deps.userSockets.budget(principal.userId) : undefined;
  const inbox = new ThrottledInbox(budget, ws, (frame) => {
    live.room.receive(peer, frame);
    live.lastActiveAt = Date.now();
  });
  deps.metrics.syncConnections.inc();
  keepAlive(ws);
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) return ws.close(CLOSE.malformed, 'sync frames are binary');
    inbox.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });
  ws.on('close', () => {
    inbox.close();
    live.room.leave(peer);
    live.holds--;
    live.lastActiveAt = Date.now();
    deps.metrics.syncConnections.dec();
  });
  live.room.join(peer);
}
