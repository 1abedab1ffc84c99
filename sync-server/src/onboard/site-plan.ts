import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ID_PATTERN } from '@cr/shared';

const id = z.string().regex(ID_PATTERN, 'must be a lower-case id (letters, digits, . _ -)');

/** What `npm run onboard -- --from site.json` sets up: the site, its zones, the devices expected and where they go. */
export const sitePlanSchema = z.strictObject({
  id,
  name: z.string().trim().min(1).max(120),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  timezone: z.string().min(1).max(64),
  address: z.string().max(200).optional(),
  zones: z.array(z.strictObject({ id, name: z.string().trim().min(1).max(120) })).min(1).max(200),
  /** the devices the installer mounted: each is waited for, admitted and placed in its zone */
  devices: z.array(z.strictObject({ id, zoneId: id })).max(500).default([]),
  /** the guided acceptance test */
  acceptance: z.strictObject({
    /** the reader the test card is swiped at (its door is the one opened remotely) */
    readerId: id,
    doorId: id,
    /** the test card's number; a test member holding it is created for the test and deactivated after */
    card: z.string().min(1).max(128),
  }),
});
export type SitePlan = z.infer<typeof sitePlanSchema>;

/** Reads and checks a plan; throws one readable line naming the first problem. */
export function readSitePlan(path: string): SitePlan {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(err as Error).message})`}`, {
      cause: err,
    });
  }
  const parsed = sitePlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  const plan = parsed.data;
  const zones = new Set(plan.zones.map((z) => z.id));
  for (const d of plan.devices) if (!zones.has(d.zoneId)) throw new Error(`${path}: devices: ${d.id} is placed in ${d.zoneId}, which is not one of the zones`);
  const door = plan.devices.find((d) => d.id === plan.acceptance.doorId);
  if (!door) throw new Error(`${path}: acceptance.doorId: ${plan.acceptance.doorId} is not one of the devices`);
  if (!plan.devices.some((d) => d.id === plan.acceptance.readerId))
    throw new Error(`${path}: acceptance.readerId: ${plan.acceptance.readerId} is not one of the devices`);
  return plan;
}
