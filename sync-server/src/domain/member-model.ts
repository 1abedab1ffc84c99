import { z } from 'zod';
import { grantSchema, idSchema, memberSchema, type Member } from '@cr/shared';

/**
 * A grant as the cloud keeps it: the shared grant plus the sites it applies to. Zone ids repeat
 * across sites (every demo site has a `lobby`), so a grant names its sites; without `siteIds` it
 * applies at every site of the tenant, which is what grants written before this field meant.
 */
export const cloudGrantSchema = grantSchema.extend({
  siteIds: z
    .array(idSchema)
    .min(1)
    .max(500)
    .optional()
    .describe('sites the grant applies to; absent = every site of the tenant'),
});
export type CloudGrant = z.infer<typeof cloudGrantSchema>;

/** A member as the cloud keeps them; what an edge receives is `memberForSite` of it (a shared `Member`). */
export const cloudMemberSchema = memberSchema.extend({ grants: z.array(cloudGrantSchema).max(100) });
export type CloudMember = z.infer<typeof cloudMemberSchema>;

export const grantsApplyAt = (g: CloudGrant, siteId: string): boolean => !g.siteIds || g.siteIds.includes(siteId);

/**
 * The member as one site's edge must know them: only the grants that apply at the site, without
 * the site list; undefined when none does, so the edge never holds members it cannot admit
 * (least privilege: a stolen gateway reveals only its own site's credentials).
 */
export function memberForSite(m: CloudMember, siteId: string): Member | undefined {
  const grants = m.grants.filter((g) => grantsApplyAt(g, siteId)).map(({ siteIds: _s, ...g }) => g);
  return grants.length ? { ...m, grants } : undefined;
}

/** Every site id a member's grants name (to check they exist in the tenant). */
export const grantSiteIds = (grants: readonly CloudGrant[]): string[] => [
  ...new Set(grants.flatMap((g) => g.siteIds ?? [])),
];
