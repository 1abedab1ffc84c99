import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { VerifiedEdge } from '../domain/auth-service';
import type { EdgeLinkDeps } from './edge-link-deps';
import { keepAlive, upgradeToken } from '../sync/ws-util';
import { LinkSession } from './link-session';

export type { EdgeLinkDeps };

export type Accept = (onSocket: (ws: WebSocket) => void) => void;

/** `EDGE_LINK_PATH`: authenticates the site's edge token, then hands the socket to a session. */
export async function handleEdgeLink(
  req: IncomingMessage,
  url: URL,
  accept: Accept,
  deps: EdgeLinkDeps,
): Promise<void> {
  const token = upgradeToken(req, url);
  let edge: VerifiedEdge | undefined;
  let refusal: [number, string] | undefined;
  try {
    if (!token) throw new Error('missing edge token');
    edge = await deps.auth.verifyEdge(token);
    if (!(await deps.tenants.site(edge.tenantId, edge.siteId))) refusal = [4404, 'unknown site'];
  } catch (err) {
    refusal = [4401, (err as Error).message.slice(0, 100)];
  }
  accept((ws) => {
    if (refusal || !edge) return ws.close(refusal?.[0] ?? 4401, refusal?.[1] ?? 'unauthorized');
    keepAlive(ws);
    new LinkSession(ws, edge, deps);
  });
}
