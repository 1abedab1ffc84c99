import { z } from '@hono/zod-openapi';
import {
  commandStatusSchema,
  commandTargetSchema,
  deviceDescriptorSchema,
  doorActionSchema,
  ID_PATTERN,
  MAX_PULSE_MS,
  positionSchema,
  siteMetaSchema,
  siteModeSchema,
  zoneSchema,
} from '@cr/shared';

/** The one JSON error shape of the LAN API (unchanged from the hand-written router). */
export const errorSchema = z.object({ error: z.string() }).openapi('LanError');

/** A contract id in a path: `^[a-z0-9][a-z0-9._-]{0,63}$`. */
export const idParam = (name: string) =>
  z
    .string()
    .regex(ID_PATTERN, `must match ${ID_PATTERN.source}`)
    .openapi({ param: { name, in: 'path' }, example: 'gangnam' });

/** Command ids: UUIDs from this edge or the cloud (the edge link allows up to 128 characters). */
export const commandIdParam = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be a command id')
  .openapi({ param: { name: 'id', in: 'path' }, example: '0f8fad5b-d9cb-469f-a165-70867728950e' });

const reason = z.string().min(1).max(500);

export const doorCommandBody = z
  .object({ action: doorActionSchema, reason, durationMs: z.number().int().min(100).max(MAX_PULSE_MS).optional() })
  .openapi('LanDoorCommand');

export const modeCommandBody = z.object({ mode: siteModeSchema, reason }).openapi('LanModeCommand');

export const linkBody = z.object({ connected: z.boolean() }).openapi('LanLinkControl');

export const commandAccepted = z.object({ id: z.string(), status: commandStatusSchema }).openapi('LanCommandAccepted');

/** A command as the edge's command book keeps it. */
export const commandRecord = z
  .object({
    id: z.string(),
    status: commandStatusSchema,
    error: z.string().optional(),
    siteId: z.string(),
    target: commandTargetSchema,
    source: z.enum(['cloud', 'local']),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi('LanCommand');

/** `GET /health`: CONTRACT.md §4 plus the edge's own state. */
export const healthSchema = z
  .object({
    siteId: z.string(),
    cloud: z.enum(['connected', 'disconnected']),
    mode: siteModeSchema,
    fireActive: z.boolean(),
    outboxDepth: z.number().int(),
    permissionsSyncedAt: z.number().nullable(),
    permissionsVersion: z.number().int(),
    cacheStale: z.boolean(),
    devices: z.number().int(),
    devicesOnline: z.number().int(),
    /** the site policy version the edge enforces (CONTRACT.md §9); absent while it has none */
    policyVersion: z.number().int().optional(),
    policyId: z.string().optional(),
  })
  .openapi('EdgeHealth');
export type HealthView = z.infer<typeof healthSchema>;

const deviceView = deviceDescriptorSchema.extend({
  position: positionSchema.optional(),
  online: z.boolean(),
  lastSeenAt: z.number().optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  stateAt: z.number().optional(),
});

/** `GET /api/v1/site`: meta, zones and devices as the edge knows them. */
export const siteViewSchema = siteMetaSchema
  .extend({ zones: z.array(zoneSchema), devices: z.array(deviceView) })
  .openapi('EdgeSiteView');
export type SiteView = z.infer<typeof siteViewSchema>;

export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
