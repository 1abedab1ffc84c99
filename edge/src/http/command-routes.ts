import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { COMMAND_TTL_MS, type RemoteCommand, type UserPrincipal } from '@cr/shared';
import type { HttpDeps } from './http-deps';
import { mustAllow, requirePerson } from './lan-auth';
import { bearer, errors, lanRouter } from './lan-env';
import { commandAccepted, doorCommandBody, idParam, json, modeCommandBody } from './lan-schemas';
import { HttpError } from './respond';

type Deps = Pick<HttpDeps, 'siteId' | 'tenantId' | 'verifier' | 'runCommand' | 'book'>;

/** Builds a command like the cloud does, so the edge executes (and audits) both the same way. */
function localCommand(deps: Deps, who: UserPrincipal, target: RemoteCommand['target'], reason: string): RemoteCommand {
  const now = Date.now();
  return {
    id: randomUUID(),
    siteId: deps.siteId,
    target,
    reason,
    // The account id, as the cloud issues it: names change and two people may share one. The name
    // travels beside it for the door's reason and the audit record's actorName.
    issuedBy: who.userId,
    ...(who.name ? { issuerName: who.name } : {}),
    issuerRole: who.role,
    issuedAt: now,
    expiresAt: now + COMMAND_TTL_MS,
  };
}

function issue(deps: Deps, who: UserPrincipal, target: RemoteCommand['target'], reason: string) {
  const cmd = localCommand(deps, who, target, reason);
  deps.runCommand(cmd, who);
  return { id: cmd.id, status: deps.book.get(cmd.id)?.status ?? ('pending' as const) };
}

function onThisEdge(deps: Deps, siteId: string): void {
  if (siteId !== deps.siteId) throw new HttpError(404, 'no such site on this edge');
}

/** Door and mode commands on the LAN: same paths and bodies as the cloud, executed here even with the cloud gone. */
export function commandRoutes(deps: Deps) {
  const person = requirePerson(deps);
  const accepted = { 202: { description: 'accepted; poll GET /api/v1/commands/{id}', ...json(commandAccepted) } };
  const door = createRoute({
    method: 'post',
    path: '/api/v1/sites/{siteId}/doors/{doorId}/commands',
    tags: ['commands'],
    summary: 'Unlock, lock or pulse-unlock a door of this site',
    security: bearer,
    middleware: [person] as const,
    request: {
      params: z.object({ siteId: idParam('siteId'), doorId: idParam('doorId') }),
      body: { ...json(doorCommandBody), required: true },
    },
    responses: { ...accepted, ...errors(400, 401, 403, 404, 413, 415, 503) },
  });
  const mode = createRoute({
    method: 'post',
    path: '/api/v1/sites/{siteId}/mode',
    tags: ['commands'],
    summary: "Change this site's mode (normal, secure, lockdown, emergency-unlock)",
    security: bearer,
    middleware: [person] as const,
    request: { params: z.object({ siteId: idParam('siteId') }), body: { ...json(modeCommandBody), required: true } },
    responses: { ...accepted, ...errors(400, 401, 403, 404, 413, 415, 503) },
  });
  return lanRouter()
    .openapi(door, (c) => {
      const { siteId, doorId } = c.req.valid('param');
      const b = c.req.valid('json');
      onThisEdge(deps, siteId);
      mustAllow(c.get('user'), deps.tenantId, { type: 'door.command', siteId, action: b.action });
      return c.json(
        issue(deps, c.get('user'), { kind: 'door', doorId, action: b.action, durationMs: b.durationMs }, b.reason),
        202,
      );
    })
    .openapi(mode, (c) => {
      const { siteId } = c.req.valid('param');
      const b = c.req.valid('json');
      onThisEdge(deps, siteId);
      mustAllow(c.get('user'), deps.tenantId, { type: 'site.mode', siteId, mode: b.mode });
      return c.json(issue(deps, c.get('user'), { kind: 'mode', mode: b.mode }, b.reason), 202);
    });
}
