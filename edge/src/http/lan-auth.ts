import type { MiddlewareHandler } from 'hono';
import { authorize, type Action, type Principal, type UserPrincipal } from '@cr/shared';
import type { HttpDeps } from './http-deps';
import type { LanEnv } from './lan-env';
import { HttpError } from './respond';

/**
 * Why a verified LAN principal may not use this edge, or undefined when they may. Shared by the LAN
 * API and the local document sync.
 */
export function lanRefusal(principal: Principal, edge: { tenantId: string; siteId: string }): string | undefined {
  // Threat: a token of another tenant, or an edge token replayed as a person's credential.
  if (principal.tenantId !== edge.tenantId || principal.kind !== 'user') return 'token not valid for this site';
  // Threat: a maintenance vendor on the LAN reading which doors are unlocked, where the security
  // devices are and whether the site is in lockdown. authorize() grants vendors site.read on
  // their sites for facility work, which the cloud serves as a filtered vendor view; the LAN API
  // has only the full security view, so vendors get none of it.
  if (principal.role === 'vendor') return 'vendors have no access to the site LAN API';
  // Threat: a LAN token carried to a site it was not issued for: a site manager's to another site,
  // or an HQ operator's issued before this site existed (authorize() lets HQ reach every site of
  // the tenant, which offline would include gateways installed after the token). The cloud lists
  // the sites in every LAN token; the edge takes only those that name its own, whatever the role.
  if (!principal.siteIds.includes(edge.siteId)) return 'site not in your scope';
  return undefined;
}

/**
 * Lets in a person of this edge's tenant and site, with a LAN token verified offline with the
 * cloud's public key, not on the cloud's revocation list and naming this site. Runs before any
 * path or body validation, so an anonymous caller learns nothing about ids or schemas.
 */
export function requirePerson(deps: Pick<HttpDeps, 'verifier' | 'tenantId' | 'siteId'>): MiddlewareHandler<LanEnv> {
  return async function requirePersonOnLan(c, next) {
    const r = await deps.verifier.verify(c.req.header('authorization'));
    if (!r.ok) throw new HttpError(r.status, r.error);
    const refused = lanRefusal(r.principal, deps);
    if (refused || r.principal.kind !== 'user') throw new HttpError(403, refused ?? 'token not valid for this site');
    c.set('user', r.principal);
    await next();
  };
}

/** Throws 403 with authorize()'s reason unless `user` may do `action` on this edge's tenant. */
export function mustAllow(user: UserPrincipal, tenantId: string, action: Action): void {
  const d = authorize(user, tenantId, action);
  if (!d.allowed) throw new HttpError(403, d.reason ?? 'forbidden');
}
