import type { MiddlewareHandler } from 'hono';
import { authorize, userCoversSite, type Action, type UserPrincipal } from '@cr/shared';
import type { HttpDeps } from './http-deps';
import type { LanEnv } from './lan-env';
import { HttpError } from './respond';

/**
 * Lets in a person of this edge's tenant and site, with a LAN token verified offline with the
 * cloud's public key and not on the cloud's revocation list. Runs before any path or body
 * validation, so an anonymous caller learns nothing about ids or schemas.
 */
export function requirePerson(deps: Pick<HttpDeps, 'verifier' | 'tenantId' | 'siteId'>): MiddlewareHandler<LanEnv> {
  return async function requirePersonOnLan(c, next) {
    const r = await deps.verifier.verify(c.req.header('authorization'));
    if (!r.ok) throw new HttpError(r.status, r.error);
    // Threat: a token of another tenant, or an edge token replayed as a person's credential.
    if (r.principal.tenantId !== deps.tenantId || r.principal.kind !== 'user')
      throw new HttpError(403, 'token not valid for this site');
    // Threat: a maintenance vendor on the LAN reading which doors are unlocked, where the security
    // devices are and whether the site is in lockdown. authorize() grants vendors site.read on
    // their sites for facility work, which the cloud serves as a filtered vendor view; the LAN API
    // has only the full security view, so vendors get none of it.
    if (r.principal.role === 'vendor') throw new HttpError(403, 'vendors have no access to the site LAN API');
    // Threat: a site manager's LAN token carried to another site's edge. The token names the sites
    // of its holder; only roles that answer for every site of the tenant pass without this one.
    if (!userCoversSite(r.principal, deps.siteId)) throw new HttpError(403, 'site not in your scope');
    c.set('user', r.principal);
    await next();
  };
}

/** Throws 403 with authorize()'s reason unless `user` may do `action` on this edge's tenant. */
export function mustAllow(user: UserPrincipal, tenantId: string, action: Action): void {
  const d = authorize(user, tenantId, action);
  if (!d.allowed) throw new HttpError(403, d.reason ?? 'forbidden');
}
