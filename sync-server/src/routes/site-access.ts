import { authorize, type Action, type UserPrincipal } from '@cr/shared';
import type { CloudContext } from '../context';
import { forbidden, notFound } from '../domain/errors';
import type { SiteRecord } from '../store/tenants-store';

/**
 * The site a request names, if the caller may do `action` there. Sites are looked up only inside
 * the caller's tenant, so another tenant's site id is indistinguishable from a missing one (404);
 * a site of the caller's own tenant outside their role or scope is 403.
 */
export async function siteFor(ctx: CloudContext, user: UserPrincipal, siteId: string, action: Action): Promise<SiteRecord> {
  const site = await ctx.tenants.site(user.tenantId, siteId);
  if (!site) throw notFound('site');
  const decision = authorize(user, site.tenantId, action);
  if (!decision.allowed) throw forbidden(decision.reason ?? 'not allowed');
  return site;
}

/** Throws 403 unless the caller may do a tenant-wide action. */
export function requireTenantAction(user: UserPrincipal, action: Action): void {
  const decision = authorize(user, user.tenantId, action);
  if (!decision.allowed) throw forbidden(decision.reason ?? 'not allowed');
}

/** Sites of the caller's tenant they may see. */
export async function visibleSites(ctx: CloudContext, user: UserPrincipal): Promise<SiteRecord[]> {
  return (await ctx.tenants.sites(user.tenantId)).filter((s) => authorize(user, s.tenantId, { type: 'site.read', siteId: s.id }).allowed);
}
