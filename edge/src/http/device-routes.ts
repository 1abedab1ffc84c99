import { createRoute, z } from '@hono/zod-openapi';
import { idSchema, reportedDeviceSchema } from '@cr/shared';
import type { HttpDeps } from './http-deps';
import { mustAllow, requirePerson } from './lan-auth';
import { bearer, errors, lanRouter } from './lan-env';
import { idParam, json } from './lan-schemas';
import { HttpError } from './respond';

type Deps = Pick<HttpDeps, 'siteId' | 'tenantId' | 'verifier' | 'devices'>;

/** The same shape the edge reports to the cloud (shared), so the LAN and the cloud list devices alike. */
const deviceView = reportedDeviceSchema;
const approveBody = z.object({ zoneId: idSchema.optional() }).openapi('LanApproveDevice');
const commissioningBody = z.object({ minutes: z.number().int().min(1).max(24 * 60) }).openapi('LanCommissioning');

function onThisEdge(deps: Deps, siteId: string): void {
  if (siteId !== deps.siteId) throw new HttpError(404, 'no such site on this edge');
}

/** Device admission on the LAN (CONTRACT.md §6): the list with approval, approve, commissioning window. */
export function deviceRoutes(deps: Deps) {
  const person = requirePerson(deps);
  const siteParam = z.object({ siteId: idParam('siteId') });
  const list = createRoute({
    method: 'get',
    path: '/api/v1/sites/{siteId}/devices',
    tags: ['devices'],
    summary: 'Devices that announced themselves, with their approval',
    security: bearer,
    middleware: [person] as const,
    request: { params: siteParam },
    responses: { 200: { description: 'devices', ...json(z.array(deviceView)) }, ...errors(400, 401, 403, 404, 503) },
  });
  const approve = createRoute({
    method: 'post',
    path: '/api/v1/sites/{siteId}/devices/{deviceId}/approve',
    tags: ['devices'],
    summary: 'Admit a pending door, reader or fire panel, optionally in a zone',
    security: bearer,
    middleware: [person] as const,
    request: { params: z.object({ siteId: idParam('siteId'), deviceId: idParam('deviceId') }), body: { ...json(approveBody), required: true } },
    responses: { 200: { description: 'approved', ...json(deviceView) }, ...errors(400, 401, 403, 404, 413, 415, 503) },
  });
  const commissioning = createRoute({
    method: 'post',
    path: '/api/v1/sites/{siteId}/commissioning',
    tags: ['devices'],
    summary: 'Open a commissioning window: every device that announces itself meanwhile is admitted',
    security: bearer,
    middleware: [person] as const,
    request: { params: siteParam, body: { ...json(commissioningBody), required: true } },
    responses: { 200: { description: 'window open', ...json(z.object({ until: z.number() })) }, ...errors(400, 401, 403, 404, 413, 415, 503) },
  });
  return lanRouter()
    .openapi(list, (c) => {
      const { siteId } = c.req.valid('param');
      onThisEdge(deps, siteId);
      mustAllow(c.get('user'), deps.tenantId, { type: 'site.read', siteId });
      return c.json(deps.devices.list(), 200);
    })
    .openapi(approve, async (c) => {
      const { siteId, deviceId } = c.req.valid('param');
      onThisEdge(deps, siteId);
      mustAllow(c.get('user'), deps.tenantId, { type: 'device.approve', siteId });
      if (!(await deps.devices.approve(deviceId, c.req.valid('json').zoneId))) throw new HttpError(404, 'no such device has announced itself');
      return c.json(deps.devices.list().find((d) => d.id === deviceId)!, 200);
    })
    .openapi(commissioning, (c) => {
      const { siteId } = c.req.valid('param');
      onThisEdge(deps, siteId);
      mustAllow(c.get('user'), deps.tenantId, { type: 'sites.manage' });
      return c.json({ until: deps.devices.openCommissioning(c.req.valid('json').minutes) }, 200);
    });
}
