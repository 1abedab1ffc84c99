import { z } from 'zod';
import { credentialTypeSchema } from './devices';
import { idSchema } from '../ids';

/** Reasons an access decision gives (CONTRACT.md §2, extended with `expired` and `unknown-door`). */
export const ACCESS_REASONS = [
  'granted',
  'unknown-credential',
  'no-grant',
  'outside-schedule',
  'expired',
  'unknown-door',
  'site-mode',
  'cache-stale',
  'malformed',
  /** the reader is not admitted yet (CONTRACT.md §6) */
  'device-pending',
  /** too many wrong PINs on this reader or for this credential: PINs refused for a while (edge pin-throttle) */
  'throttled',
  /** granted by a booking of a resource in the reader's zone, without a grant on it (CONTRACT.md §8) */
  'booking',
  /** the site's policy has it closed and the member may not enter after hours (CONTRACT.md §9) */
  'site-closed',
] as const;
export const accessReasonSchema = z.enum(ACCESS_REASONS);
export type AccessReason = z.infer<typeof accessReasonSchema>;

export const credentialSchema = z.object({
  type: credentialTypeSchema,
  value: z.string().min(1).max(256),
});
export type Credential = z.infer<typeof credentialSchema>;

/** `devices/{readerId}/access/request` */
export const accessRequestSchema = z.object({
  requestId: z.string().min(1).max(128),
  credential: credentialSchema,
  ts: z.number().int().nonnegative(),
});
export type AccessRequest = z.infer<typeof accessRequestSchema>;

/** `devices/{readerId}/access/response` */
export const accessResponseSchema = z.object({
  requestId: z.string().max(128),
  granted: z.boolean(),
  reason: accessReasonSchema,
  memberId: idSchema.optional(),
  ts: z.number().int().nonnegative(),
});
export type AccessResponse = z.infer<typeof accessResponseSchema>;
