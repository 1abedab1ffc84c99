import type { Credential, UserPrincipal } from '@cr/shared';
import { CredentialInUseError, type MembersStore } from '../store/members-store';
import type { TenantsStore } from '../store/tenants-store';
import type { AuditStore } from '../store/audit-store';
import type { LinkHub } from '../edge-link/link-hub';
import { ApiError, badRequest, notFound } from './errors';
import { auditAdminChange } from './audit/admin-audit';
import { cloudMemberSchema, grantSiteIds, type CloudGrant, type CloudMember } from './member-model';

/**
 * Members, credentials and grants (tenant-admin). Every change takes a new tenant permission
 * version and is pushed to the tenant's connected edges at once as a delta, each edge receiving
 * only the members with a grant on its site (see member-model).
 */
export class MemberService {
  constructor(
    private readonly store: MembersStore,
    private readonly audit: AuditStore,
    private readonly hub: LinkHub,
    private readonly tenants: TenantsStore,
  ) {}

  list(tenantId: string): { version: number; members: CloudMember[] } {
    return { version: this.store.version(tenantId), members: this.store.members(tenantId) };
  }

  get(tenantId: string, memberId: string): CloudMember {
    const m = this.store.member(tenantId, memberId);
    if (!m) throw notFound('member');
    return m;
  }

  put(admin: UserPrincipal, member: CloudMember, source: string): CloudMember {
    const existed = this.store.member(admin.tenantId, member.id) !== undefined;
    return this.save(admin, cloudMemberSchema.parse(member), existed ? 'member.update' : 'member.create', source);
  }

  revoke(admin: UserPrincipal, memberId: string, source: string): void {
    const version = this.store.remove(admin.tenantId, memberId);
    if (version === undefined) throw notFound('member');
    this.record(admin, 'member.revoke', memberId, source, { version });
  }

  addCredential(admin: UserPrincipal, memberId: string, credential: Credential, source: string): CloudMember {
    const m = this.get(admin.tenantId, memberId);
    if (m.credentials.some((c) => c.type === credential.type && c.value === credential.value)) return m;
    if (m.credentials.length >= 20) throw new ApiError(409, 'conflict', 'a member holds at most 20 credentials');
    return this.save(admin, { ...m, credentials: [...m.credentials, credential] }, 'credential.add', source, {
      type: credential.type,
    });
  }

  removeCredential(admin: UserPrincipal, memberId: string, credential: Credential, source: string): CloudMember {
    const m = this.get(admin.tenantId, memberId);
    const rest = m.credentials.filter((c) => !(c.type === credential.type && c.value === credential.value));
    if (rest.length === m.credentials.length) throw notFound('credential');
    return this.save(admin, { ...m, credentials: rest }, 'credential.revoke', source, { type: credential.type });
  }

  setGrants(admin: UserPrincipal, memberId: string, grants: CloudGrant[], source: string): CloudMember {
    const m = this.get(admin.tenantId, memberId);
    return this.save(admin, { ...m, grants }, 'grant.update', source, { grants: grants.length });
  }

  private save(
    admin: UserPrincipal,
    member: CloudMember,
    action: string,
    source: string,
    details: Record<string, unknown> = {},
  ): CloudMember {
    // Threat: a grant naming another tenant's site (or a typo that silently admits no one).
    const unknown = grantSiteIds(member.grants).filter((s) => !this.tenants.site(admin.tenantId, s));
    if (unknown.length) throw badRequest(`grants: unknown site ${unknown.slice(0, 3).join(', ')}`);
    const version = this.upsertUnique(admin.tenantId, member);
    this.record(admin, action, member.id, source, { ...details, version });
    return member;
  }

  /**
   * Threat: one card opening doors as two people (the edge indexes a credential once, so which
   * member it admits would be arbitrary) or a card silently taken over from its holder. The 409
   * names the holder by id only: the admin may look them up, the error text carries no name.
   */
  private upsertUnique(tenantId: string, member: CloudMember): number {
    try {
      return this.store.upsert(tenantId, [member]);
    } catch (err) {
      if (err instanceof CredentialInUseError)
        throw new ApiError(409, 'conflict', `${err.credentialType} credential already held by member ${err.holderId}`);
      throw err;
    }
  }

  private record(
    admin: UserPrincipal,
    action: string,
    memberId: string,
    source: string,
    details: Record<string, unknown>,
  ): void {
    auditAdminChange(this.audit, admin, { action, target: `member:${memberId}`, source, details });
    this.hub.pushPermissions(admin.tenantId);
  }
}
