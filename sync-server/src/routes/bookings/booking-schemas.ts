import { z } from '@hono/zod-openapi';
import { BOOKING_STATES, ID_PATTERN, RESOURCE_KINDS } from '@cr/shared';
import { resourceRulesSchema, type BookingRecord, type ResourceRecord } from '../../store/booking-records';
import { idParam } from '../schemas';

const ms = z.number().int().nonnegative().max(8.64e15);
const memberId = z.string().regex(ID_PATTERN, `memberId must match ${ID_PATTERN.source}`);

export const siteParams = z.object({ siteId: idParam('siteId') });
export const bookingParams = z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const resourceSchema = z
  .object({
    id: z.string(),
    kind: z.enum(RESOURCE_KINDS),
    name: z.string(),
    zoneId: z.string(),
    capacity: z.number(),
    rules: resourceRulesSchema.openapi({ description: 'bookable hours per weekday (site local time), buffer, min/max length, how far ahead, daily limit per member, who may book' }),
  })
  .openapi('Resource');

export const resourceBody = z
  .strictObject({
    kind: z.enum(RESOURCE_KINDS),
    name: z.string().trim().min(1).max(120),
    zoneId: z.string().regex(ID_PATTERN, `zoneId must match ${ID_PATTERN.source}`),
    capacity: z.number().int().min(1).max(1000),
    rules: resourceRulesSchema.default({}),
  })
  .openapi('ResourceBody');

export const bookingSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    resourceId: z.string(),
    memberId: z.string(),
    start: z.number(),
    end: z.number(),
    state: z.enum(BOOKING_STATES),
    checkedInAt: z.number().optional(),
    releasedAt: z.number().optional(),
    cancelReason: z.enum(['cancelled', 'superseded', 'series-ended']).optional().openapi({ description: '`superseded`: a late check-in of an earlier booking of the slot won it back' }),
    seriesId: z.string().optional(),
    createdAt: z.number(),
    createdBy: z.string(),
  })
  .openapi('Booking');

const conflictSchema = z.object({ id: z.string(), resourceId: z.string(), memberId: z.string(), start: z.number(), end: z.number() });
export const conflictErrorSchema = z.object({ error: z.string(), message: z.string(), conflict: conflictSchema }).openapi('BookingConflict');

export const seriesOutcomeSchema = z
  .object({
    seriesId: z.string(),
    created: z.array(bookingSchema),
    conflicts: z.array(
      z.object({ start: z.number(), end: z.number(), reason: z.enum(['conflict', 'rule', 'holiday']), message: z.string(), conflict: conflictSchema.optional() }),
    ),
  })
  .openapi('BookingSeries');

export const bookingBody = z
  .strictObject({
    resourceId: z.string().regex(ID_PATTERN, `resourceId must match ${ID_PATTERN.source}`),
    memberId,
    start: ms,
    end: ms,
    recurrence: z
      .strictObject({
        rrule: z.string().min(1).max(500).openapi({ example: 'FREQ=WEEKLY;BYDAY=MO;COUNT=10' }),
        skipHolidays: z.boolean().optional().openapi({ description: 'leave out occurrences on Korean public holidays (reported in conflicts)' }),
      })
      .optional(),
  })
  .refine((b) => b.end > b.start, { message: 'end must be after start', path: ['end'] })
  .openapi('BookingRequest');

export const moveBody = z
  .strictObject({ start: ms.optional(), end: ms.optional(), resourceId: z.string().regex(ID_PATTERN).optional() })
  .refine((b) => b.start !== undefined || b.end !== undefined || b.resourceId !== undefined, 'name start, end or resourceId')
  .openapi('BookingMove');

export const rangeQuery = {
  from: z.coerce.number().int().nonnegative().max(8.64e15).optional(),
  to: z.coerce.number().int().nonnegative().max(8.64e15).optional(),
};

export const viewResource = (r: ResourceRecord) => ({ id: r.id, kind: r.kind, name: r.name, zoneId: r.zoneId, capacity: r.capacity, rules: r.rules });

export const viewBooking = (b: BookingRecord) => ({
  id: b.id,
  siteId: b.siteId,
  resourceId: b.resourceId,
  memberId: b.memberId,
  start: b.start,
  end: b.end,
  state: b.state,
  ...(b.checkedInAt !== undefined ? { checkedInAt: b.checkedInAt } : {}),
  ...(b.releasedAt !== undefined ? { releasedAt: b.releasedAt } : {}),
  ...(b.cancelReason ? { cancelReason: b.cancelReason } : {}),
  ...(b.seriesId ? { seriesId: b.seriesId } : {}),
  createdAt: b.createdAt,
  createdBy: b.createdBy,
});
