import { z } from 'zod';
import { COMMAND_STATUSES, doorReportSchema, roleSchema, severitySchema, siteModeSchema } from '@cr/shared';

/**
 * Shapes of the cloud's REST answers (CONTRACT.md §3 and the agreed extensions). Parsed leniently:
 * unknown extra fields pass, a missing optional field is fine, a wrong required one is an error.
 */
export const userSchema = z.object({
  id: z.string(),
  role: roleSchema,
  tenantId: z.string(),
  siteIds: z.array(z.string()),
  name: z.string().optional(),
  email: z.string().optional(),
});
export type User = z.infer<typeof userSchema>;

export const loginResponseSchema = z.object({ accessToken: z.string(), refreshToken: z.string(), user: userSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;
/** Sign-in of a person whose password an admin set: the token opens only `POST /api/v1/auth/password`. */
export const passwordChangeRequiredSchema = z.object({ mustChangePassword: z.literal(true), accessToken: z.string(), user: userSchema });
export type PasswordChangeRequired = z.infer<typeof passwordChangeRequiredSchema>;

export const siteSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  lat: z.number(),
  lng: z.number(),
  online: z.boolean(),
  /** as the site's edge last reported it (absent for vendors) */
  mode: siteModeSchema.catch('normal'),
  fireActive: z.boolean().optional().catch(undefined),
  openAlerts: z.number().int().nonnegative().catch(0),
  worstSeverity: severitySchema.nullish().catch(undefined),
  timezone: z.string().optional(),
});
export type SiteSummary = z.infer<typeof siteSummarySchema>;

export const siteDetailSchema = siteSummarySchema.extend({
  zones: z.array(z.object({ id: z.string(), name: z.string() })).catch([]),
  devices: z
    .array(z.object({ id: z.string(), kind: z.string(), name: z.string(), zoneId: z.string().nullish(), online: z.boolean().catch(false) }))
    .catch([]),
});
export type SiteDetail = z.infer<typeof siteDetailSchema>;

export const commandStatusSchema = z.enum(COMMAND_STATUSES);
export const commandAcceptedSchema = z.object({ id: z.string(), status: commandStatusSchema });
export const commandRecordSchema = z.object({
  id: z.string(),
  status: commandStatusSchema,
  error: z.string().nullish(),
  /** a mode change: each door's result */
  doors: z.array(doorReportSchema).nullish().catch(undefined),
  siteId: z.string().optional(),
  target: z.unknown().optional(),
  createdAt: z.number().optional(),
  updatedAt: z.number().optional(),
});
export type CommandRecord = z.infer<typeof commandRecordSchema>;

export const siteEventRowSchema = z.object({
  id: z.string(),
  type: z.string(),
  ts: z.number(),
  deviceId: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
});
export type SiteEventRow = z.infer<typeof siteEventRowSchema>;
export const eventPageSchema = z.object({ items: z.array(siteEventRowSchema), nextCursor: z.string().nullish() });
export type EventPage = z.infer<typeof eventPageSchema>;

export const auditRecordSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  ts: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  result: z.string(),
  where: z.string().nullish(),
  /** where the action came from (console, lan, edge…) as the cloud records it */
  source: z.string().nullish(),
  reason: z.string().nullish(),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;
/** The contract returns a plain list; a paged `{items, nextCursor}` answer is accepted too. */
export const auditPageSchema = z.union([
  z.array(auditRecordSchema).transform((items) => ({ items, nextCursor: undefined as string | undefined })),
  z.object({ items: z.array(auditRecordSchema), nextCursor: z.string().nullish().transform((c) => c ?? undefined) }),
]);
export type AuditPage = z.infer<typeof auditPageSchema>;

export const lanTokenSchema = z.object({ token: z.string(), expiresAt: z.number() });
export type LanToken = z.infer<typeof lanTokenSchema>;

/** A report job of the cloud: built in the background, then downloaded. */
export const reportJobSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.number().catch(0),
  error: z.string().nullish(),
  format: z.enum(['csv', 'pdf']),
});
export type ReportJob = z.infer<typeof reportJobSchema>;
