import { z } from 'zod';
import { idSchema, uuidSchema } from '../ids';

/** Device event types of CONTRACT.md §2 (devices may send others; these have meaning to the edge). */
export const DEVICE_EVENT_TYPES = [
  'door.forced',
  'door.held-open',
  'fire.alarm',
  'fire.clear',
  'tamper',
  'motion',
  'fault',
] as const;

/** Events the edge itself records in its outbox. */
export const EDGE_EVENT_TYPES = [
  'access.granted',
  'access.denied',
  'command.executed',
  'command.failed',
  'command.rejected',
  'mode.changed',
  'device.online',
  'device.offline',
] as const;

export const eventTypeSchema = z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, 'event type must be lower-case dotted');

const ts = z.number().int().nonnegative();
const eventData = z.record(z.string(), z.unknown());

/** `devices/{id}/events` payload: `id` is the device's own, unique, de-duplicated end to end. */
export const deviceEventSchema = z.object({
  id: uuidSchema,
  type: eventTypeSchema,
  ts,
  data: eventData.optional(),
});
export type DeviceEvent = z.infer<typeof deviceEventSchema>;

/** An event as the edge stores it in its outbox and uploads it, and as the cloud serves it. */
export const siteEventSchema = z.object({
  id: uuidSchema,
  type: eventTypeSchema,
  ts,
  deviceId: idSchema.optional(),
  data: eventData.optional(),
});
export type SiteEvent = z.infer<typeof siteEventSchema>;
