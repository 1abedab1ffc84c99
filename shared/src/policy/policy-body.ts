import { z } from 'zod';
import { weeklyWindowSchema } from '../access/permissions';
import { localTime } from '../time';
import { inWindow } from '../access/decide';
import { openingHoursOpen, openingHoursSchema } from './opening-hours';
import { scenarioSchema } from './scenario';

/** Public holidays the site closes on; the cloud expands them into concrete closed dates before delivery. */
export const holidaysSchema = z.strictObject({ country: z.literal('KR') });

/** Access rules beyond opening hours. */
export const policyAccessSchema = z.strictObject({
  /** weekly windows (site local time) during which the site is in secure mode */
  secureModeSchedule: z.array(weeklyWindowSchema).max(50).optional(),
});

/** How bookings of the site behave (minutes). */
export const policyBookingSchema = z.strictObject({
  noShowGraceMin: z.number().int().min(1).max(240).optional(),
  earlyCheckInMin: z.number().int().min(0).max(240).optional(),
  autoExtend: z.boolean().optional(),
  releaseWhenEmptyMin: z.number().int().min(1).max(240).optional(),
});

/** Comfort and safety thresholds the site's watches compare against. */
export const policyThresholdsSchema = z.strictObject({
  temperatureCMin: z.number().min(-40).max(60).optional(),
  temperatureCMax: z.number().min(-40).max(60).optional(),
  humidityPctMax: z.number().min(0).max(100).optional(),
  co2ppmMax: z.number().int().min(300).max(10_000).optional(),
  occupancyMax: z.number().int().min(0).max(10_000).optional(),
});

/**
 * A site policy (CONTRACT.md §9). Strict: a misspelt key is an error naming it, never a rule
 * silently ignored at the door.
 */
export const policyBodySchema = z
  .strictObject({
    openingHours: openingHoursSchema.optional(),
    holidays: holidaysSchema.optional(),
    access: policyAccessSchema.optional(),
    booking: policyBookingSchema.optional(),
    thresholds: policyThresholdsSchema.optional(),
    scenarios: z.array(scenarioSchema).max(100).optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.scenarios?.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'id'], message: `scenario id ${s.id} repeats` });
      seen.add(s.id);
    });
  });
export type PolicyBody = z.infer<typeof policyBodySchema>;

/** Whether the site is open at `now` by its policy: no policy or no opening hours means always open. */
export function isSiteOpen(body: PolicyBody | undefined, now: number, timeZone: string): boolean {
  return openingHoursOpen(body?.openingHours, now, timeZone);
}

/** Whether the policy's secure-mode schedule has the site in secure mode at `now`. */
export function inSecureSchedule(body: PolicyBody | undefined, now: number, timeZone: string): boolean {
  const windows = body?.access?.secureModeSchedule;
  if (!windows || windows.length === 0) return false;
  const t = localTime(now, timeZone);
  return windows.some((w) => inWindow(w, t.weekday, t.minuteOfDay));
}

/** The first problem of an invalid body as "path: message", for 400 answers and the edge's refusal report. */
export function policyBodyError(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const first = issues[0];
  if (!first) return 'invalid policy';
  const path = first.path.map(String).join('.');
  return path ? `body.${path}: ${first.message}` : `body: ${first.message}`;
}
