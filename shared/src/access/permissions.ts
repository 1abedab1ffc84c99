import { z } from 'zod';
import { idSchema } from '../ids';
import { credentialSchema } from '../protocol/access';
import { parseClock } from '../time';

const clock = z.string().refine((v) => parseClock(v) !== undefined, 'must be HH:MM between 00:00 and 24:00');

/**
 * A weekly time window in the site's local time. `days` are the days the window starts on
 * (0 = Sunday). `end` earlier than `start` means the window runs past midnight into the next day;
 * `end` equal to `start` is not allowed (use 00:00–24:00 for a whole day).
 */
export const weeklyWindowSchema = z
  .object({
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    start: clock,
    end: clock,
  })
  .refine((w) => w.start !== w.end, 'start and end must differ');
export type WeeklyWindow = z.infer<typeof weeklyWindowSchema>;

/** A grant: which zones, when (no schedule = at all times), and between which dates. */
export const grantSchema = z.object({
  zoneIds: z.array(idSchema).min(1).max(500),
  schedule: z.array(weeklyWindowSchema).max(50).optional(),
  validFrom: z.number().int().nonnegative().optional(),
  validUntil: z.number().int().nonnegative().optional(),
});
export type Grant = z.infer<typeof grantSchema>;

/** A member as the permission cache holds them: credentials, grants and flags. */
export const memberSchema = z.object({
  id: idSchema,
  name: z.string().max(120).optional(),
  active: z.boolean(),
  credentials: z.array(credentialSchema).max(20),
  grants: z.array(grantSchema).max(100),
  /** may open doors while the site is in secure mode */
  secureMode: z.boolean(),
  /** keeps access when the permission cache is stale (offline longer than its TTL) */
  offlineWhitelist: z.boolean(),
  /**
   * may enter while the site's policy has it closed (CONTRACT.md §5); absent = false. Optional
   * rather than defaulted so members stored or cached before the field existed stay valid as they are.
   */
  afterHours: z.boolean().optional(),
  validFrom: z.number().int().nonnegative().optional(),
  validUntil: z.number().int().nonnegative().optional(),
});
export type Member = z.infer<typeof memberSchema>;

/** Permission cache time to live: after this long without a successful sync only whitelisted members enter. */
export const PERMISSION_TTL_MS = 4 * 60 * 60 * 1000;

/** Lookup key of a credential in a permission cache. */
export function credentialKey(c: { type: string; value: string }): string {
  return `${c.type}:${c.value}`;
}
