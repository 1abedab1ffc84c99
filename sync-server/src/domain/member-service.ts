import type { Credential, UserPrincipal } from '@cr/shared';
import { CredentialInUseError } from '../store/members-store';
import type { LinkHub } from '../edge-link/link-hub';
import { unknownSites } from './site-directory';
import { ApiError, badRequest, notFound } from './errors';
import { auditAdminChange } from './audit/admin-audit';
import { cloudMemberSchema, grantSiteIds, type CloudGrant, type CloudMember } from './member-model';
import type { AuditPort, MembersPort, TenantsPort } from '../store/ports';

/**
 * Members, credentials and grants (tenant-admin). Every change takes a new tenant permission
 * version and is pushed to the tenant's connected edges at once as a delta, each edge receiving
 * only the members with a grant on its site (see member-model).
 */
export class MemberService {
  constructor(
    private readonly store: MembersPort,
    private readonly audit: AuditPort,
    private readonly hub: LinkHub,
    private readonly tenants: TenantsPort,
  ) {}

  async list(tenantId: string): Promise<{ version: number; members: CloudMember[] }> {
    return { version: await this.store.version(tenantId), members: await this.store.members(tenantId) };
  }

  async get(tenantId: string, memberId: string): Promise<CloudMember> {
    const m = await this.store.member(tenantId, memberId);
    if (!m) throw notFound('member');
    return m;
  }

  async put(admin: UserPrincipal, member: CloudMember, source: string): Promise<CloudMember> {
    const existed = await this.store.member(admin.tenantId, member.id) !== undefined;
    return this.save(admin, cloudMemberSchema.parse(member), existed ? 'member.update' : 'member.create', source);
  }

  async revoke(admin: UserPrincipal, memberId: string, source: string): Promise<void> {
    const version = await this.store.remove(admin.tenantId, memberId);
    if (version === undefined) throw notFound('member');
    await this.record(admin, 'member.revoke', memberId, source, { version });
  }

  async addCredential(admin: UserPrincipal, memberId: string, credential: Credential, source: string): Promise<CloudMember> {
    const m = await this.get(admin.tenantId, memberId);
    if (m.credentials.some((c) => c.type === credential.type && c.value === credential.value)) return m;
    if (m.credentials.length >= 20) throw new ApiError(409, 'conflict', 'a member holds at most 20 credentials');
    return this.save(admin, { ...m, credentials: [...m.credentials, credential] }, 'credential.add', source, {
      type: credential.type,
    });
  }

  async removeCredential(admin: UserPrincipal, memberId: string, credential: Credential, source: string): Promise<CloudMember> {
    const m = await this.get(admin.tenantId, memberId);
    const rest = m.credentials.filter((c) => !(c.type === credential.type && c.value === credential.value));
    if (rest.length === m.credentials.length) throw notFound('credential');
    return this.save(admin, { ...m, credentials: rest }, 'credential.revoke', source, { type: credential.type });
  }

  async setGrants(admin: UserPrincipal, memberId: string, grants: CloudGrant[], source: string): Promise<CloudMember> {
    const m = await this.get(admin.tenantId, memberId);
    return this.save(admin, { ...m, grants }, 'grant.update', source, { grants: grants.length });
  }

  private async save(
    admin: UserPrincipal,
    member: CloudMember,
    action: string,
    source: string,
    details: Record<string, unknown> = {},
  ): Promise<CloudMember> {
    // Threat: a grant naming another tenant's site (or a typo that silently admits no one).
    const unknown = await unknownSites(this.tenants, admin.tenantId, grantSiteIds(member.grants));
    if (unknown.length) throw badRequest(`grants: unknown site ${unknown.slice(0, 3).join(', ')}`);
    const version = await this.upsertUnique(admin.tenantId, member);
    await this.record(admin, action, member.id, source, { ...details, version });
    return member;
  }

  /**
   * Threat: one card opening doors as two people (the edge indexes a credential once, so which
   * member it admits would be arbitrary) or a card silently taken over from its holder. The 409
   * names the holder by id only: the admin may look them up, the error text carries no name.
   */
  private async upsertUnique(tenantId: string, member: CloudMember): Promise<number> {
    try {
      return await this.store.upsert(tenantId, [member]);
    } catch (err) {
      if (err instanceof CredentialInUseError)
        throw new ApiError(409, 'conflict', `${err.credentialType} credential already held by member ${err.holderId}`);
      throw err;
    }
  }

  private async record(
    admin: UserPrincipal,
    action: string,
    memberId: string,
    source: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await auditAdminChange(this.audit, admin, { action, target: `member:${memberId}`, source, details });
    await this.hub.pushPermissions(admin.tenantId);
  }
}
