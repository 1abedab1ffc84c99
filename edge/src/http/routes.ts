import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { authorize, COMMAND_TTL_MS, doorActionSchema, idSchema, MAX_PULSE_MS, siteModeSchema, type Principal, type RemoteCommand } from '@cr/shared';
import type { Registry } from 'prom-client';
import { HttpError, readJson, sendJson, sendText } from './respond';
import type { TokenVerifier } from './token-verifier';
import type { CommandBook } from '../commands/command-book';

export interface HttpDeps {
  siteId: string;
  tenantId: string;
  registry: Registry;
  verifier: TokenVerifier;
  health(): Record<string, unknown>;
  siteView(): Record<string, unknown>;
  runCommand(cmd: RemoteCommand, principal: Principal): void;
  book: CommandBook;
  testControls: boolean;
  setLink(up: boolean): void;
}

const doorBody = z.object({
  action: doorActionSchema,
  reason: z.string().min(1).max(500),
  durationMs: z.number().int().min(100).max(MAX_PULSE_MS).optional(),
});
const modeBody = z.object({ mode: siteModeSchema, reason: z.string().min(1).max(500) });

async function principalOf(deps: HttpDeps, req: IncomingMessage): Promise<Principal> {
  const r = await deps.verifier.verify(req.headers.authorization);
  if (!r.ok) throw new HttpError(r.status, r.error);
  // Threat: a token of another tenant or an edge token used as a person's credential.
  if (r.principal.tenantId !== deps.tenantId || r.principal.kind !== 'user') throw new HttpError(403, 'token not valid for this site');
  return r.principal;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, `invalid body: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`.trim());
  return r.data;
}

/** Builds a command like the cloud does, so the edge executes (and audits) both the same way. */
function localCommand(deps: HttpDeps, who: Principal & { kind: 'user' }, target: RemoteCommand['target'], reason: string): RemoteCommand {
  const now = Date.now();
  return { id: randomUUID(), siteId: deps.siteId, target, reason, issuedBy: who.name ?? who.userId, issuerRole: who.role, issuedAt: now, expiresAt: now + COMMAND_TTL_MS };
}

async function command(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, siteId: string, doorId?: string): Promise<void> {
  const who = await principalOf(deps, req);
  if (who.kind !== 'user') throw new HttpError(403, 'people only');
  if (siteId !== deps.siteId) throw new HttpError(404, 'no such site on this edge');
  const body = await readJson(req);
  let target: RemoteCommand['target'];
  let reason: string;
  if (doorId !== undefined) {
    if (!idSchema.safeParse(doorId).success) throw new HttpError(400, 'invalid door id');
    const b = parse(doorBody, body);
    const ok = authorize(who, deps.tenantId, { type: 'door.command', siteId, action: b.action });
    if (!ok.allowed) throw new HttpError(403, ok.reason ?? 'forbidden');
    target = { kind: 'door', doorId, action: b.action, durationMs: b.durationMs };
    reason = b.reason;
  } else {
    const b = parse(modeBody, body);
    const ok = authorize(who, deps.tenantId, { type: 'site.mode', siteId, mode: b.mode });
    if (!ok.allowed) throw new HttpError(403, ok.reason ?? 'forbidden');
    target = { kind: 'mode', mode: b.mode };
    reason = b.reason;
  }
  const cmd = localCommand(deps, who, target, reason);
  deps.runCommand(cmd, who);
  sendJson(res, 202, { id: cmd.id, status: deps.book.get(cmd.id)?.status ?? 'pending' });
}

/** The local HTTP API: same paths as the cloud, so a console on the LAN only switches its base URL. */
export async function route(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://edge');
  const path = url.pathname;
  const m = req.method ?? 'GET';
  if (m === 'OPTIONS') return sendText(res, 204, '');
  if (m === 'GET' && path === '/health') return sendJson(res, 200, deps.health());
  if (m === 'GET' && path === '/metrics') return sendText(res, 200, await deps.registry.metrics(), deps.registry.contentType);
  if (m === 'GET' && path === '/api/v1/site') {
    await principalOf(deps, req);
    return sendJson(res, 200, deps.siteView());
  }
  const door = /^\/api\/v1\/sites\/([^/]+)\/doors\/([^/]+)\/commands$/.exec(path);
  if (m === 'POST' && door) return command(deps, req, res, decodeURIComponent(door[1]!), decodeURIComponent(door[2]!));
  const mode = /^\/api\/v1\/sites\/([^/]+)\/mode$/.exec(path);
  if (m === 'POST' && mode) return command(deps, req, res, decodeURIComponent(mode[1]!));
  const cmd = /^\/api\/v1\/commands\/([^/]+)$/.exec(path);
  if (m === 'GET' && cmd) {
    await principalOf(deps, req);
    const rec = deps.book.get(decodeURIComponent(cmd[1]!));
    if (!rec) throw new HttpError(404, 'no such command on this edge');
    return sendJson(res, 200, rec);
  }
  if (m === 'POST' && path === '/api/v1/link' && deps.testControls) {
    const b = parse(z.object({ connected: z.boolean() }), await readJson(req));
    deps.setLink(b.connected);
    return sendJson(res, 200, { connected: b.connected });
  }
  throw new HttpError(404, 'not found');
}
