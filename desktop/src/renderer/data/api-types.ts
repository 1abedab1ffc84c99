import type { InferResponseType } from 'hono/client';
import { z } from 'zod';
import { COMMAND_STATUSES, doorReportSchema, roleSchema } from '@cr/shared';
import type { CloudRpc } from './cloud-rpc';

/**
 * Shapes of the REST answers the console reads. The cloud's come from its route declarations
 * through the typed client (no hand-written copy to drift). Runtime schemas remain only where the
 * data is not the cloud's answer of this build: the persisted session, and a site edge's LAN API.
 */
type V1 = CloudRpc['api']['v1'];
/** The body of a route's successful answer, as the cloud declares it. */
type Answer<Route> = InferResponseType<Route>;

export type SiteSummary = Answer<V1['sites']['$get']>[number];
export type SiteDetail = Answer<V1['sites'][':siteId']['$get']>;
export type EventPage = Answer<V1['sites'][':siteId']['events']['$get']>;
export type SiteEventRow = EventPage['items'][number];
export type AuditRecord = Answer<V1['audit']['$get']>[number];
export type LanToken = Answer<V1['auth']['lan-token']['$post']>;
export type ReportJob = Answer<V1['reports'][':id']['$get']>;
export type CommandAccepted = Answer<V1['sites'][':siteId']['mode']['$post']>;
export type CommandRecord = Answer<V1['commands'][':id']['$get']>;

/**
 * The signed-in user. Validated at run time because the session is kept in localStorage and read
 * back after reloads and upgrades, and because every permission the console shows keys off `role`:
 * the cloud declares it as any string, the console accepts only the roles it knows.
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

export interface LoginResponse {
  accessToken: string;
  refreshToken: string;
  user: User;
}
/** Sign-in of a person whose password an admin set: the token opens only `POST /api/v1/auth/password`. */
export interface PasswordChangeRequired {
  mustChangePassword: true;
  accessToken: string;
  user: User;
}

/*
 * A site's edge answers commands on the LAN while the internet is down. Its build is not the
 * console's (each gateway is updated on its own), so its answers are parsed leniently here.
 */
const commandStatusSchema = z.enum(COMMAND_STATUSES);
export const lanCommandAcceptedSchema = z.object({ id: z.string(), status: commandStatusSchema });
export const lanCommandRecordSchema = z.object({
  id: z.string(),
  status: commandStatusSchema,
  error: z.string().nullish(),
  /** a mode change: each door's result */
  doors: z.array(doorReportSchema).nullish().catch(undefined),
});
export type LanCommandRecord = z.infer<typeof lanCommandRecordSchema>;
