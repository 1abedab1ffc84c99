import { randomBytes } from 'node:crypto';
import type { Role, UserPrincipal } from '@cr/shared';
import type { UserRecord } from '../store/users-store';
import { publicUser, type PublicUser } from './auth-service';
import { unknownSites } from './site-directory';
import { ApiError, badRequest, notFound } from './errors';
import { hashPassword } from './passwords';
import { auditAdminChange } from './audit/admin-audit';
import type { AuditPort, TenantsPort, TokensPort, UsersPort } from '../store/ports';

/** A console user as a tenant admin sees them. */
export interface AdminUser extends PublicUser {
  disabled: boolean;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  siteIds: string[];
  password: string;
}

export type UserPatch = Partial<Pick<UserRecord, 'name' | 'role' | 'siteIds' | 'disabled'>>;

interface Deps {
  users: UsersPort;
  tokens: TokensPort;
  tenants: TenantsPort;
  audit: AuditPort;
  /** closes the user's open live connections (sync sockets) */
  endLiveSessions: (userId: string) => void;
}

const adminView = (u: UserRecord): AdminUser => ({ ...publicUser(u), disabled: u.disabled });

/**
 * Console users of a tenant (tenant-admin): create with a password the admin sets, change role and
 * site scope, disable, reset a password. Every change is audited; disabling or resetting a
 * password ends the user's sessions, and access tokens issued before a change stop working.
 */
export class UserAdmin {
  constructor(private readonly d: Deps) {}

  async list(tenantId: string): Promise<AdminUser[]> {
    return (await this.d.users.ofTenant(tenantId)).map(adminView);
  }

  async get(tenantId: string, userId: string): Promise<AdminUser> {
    return adminView(await this.ownUser(tenantId, userId));
  }

  async create(admin: UserPrincipal, body: NewUser, source: string): Promise<AdminUser> {
    await this.checkSites(admin.tenantId, body.siteIds);
    const passwordHash = await hashPassword(body.password);
    // Checked after the (slow) hash and right before the insert, with nothing awaited in between.
    if (await this.d.users.byEmail(body.email)) throw new ApiError(409, 'conflict', 'a user with this e-mail exists');
    const user: UserRecord = {
      id: `user-${randomBytes(6).toString('hex')}`,
      tenantId: admin.tenantId,
      email: body.email.toLowerCase(),
      name: body.name,
      role: body.role,
      siteIds: [...new Set(body.siteIds)],
      passwordHash,
      disabled: false,
      // The admin knows this password: the person replaces it at first sign-in (auth-service).
      mustChangePassword: true,
    };
    await this.d.users.insert(user);
    await this.audited(admin, 'user.create', user.id, source, { email: user.email, role: user.role, siteIds: user.siteIds });
    return adminView(user);
  }

  async update(admin: UserPrincipal, userId: string, patch: UserPatch, source: string): Promise<AdminUser> {
    const cur = await this.ownUser(admin.tenantId, userId);
    if (patch.siteIds) await this.checkSites(admin.tenantId, patch.siteIds);
    // Threat: an admin locking the tenant out of its own administration by accident.
    if (userId === admin.userId && (patch.disabled === true || (patch.role && patch.role !== 'tenant-admin')))
      throw new ApiError(409, 'conflict', 'you cannot disable or demote your own account');
    const next: UserRecord = {
      ...cur,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      ...(patch.siteIds ? { siteIds: [...new Set(patch.siteIds)] } : {}),
    };
    await this.d.users.update(next);
    if (next.disabled && !cur.disabled) await this.d.tokens.revokeUser(userId);
    if (next.disabled || next.role !== cur.role || patch.siteIds) this.d.endLiveSessions(userId);
    const action = next.disabled && !cur.disabled ? 'user.disable' : 'user.update';
    await this.audited(admin, action, userId, source, {
      changed: Object.keys(patch),
      role: next.role,
      siteIds: next.siteIds,
    });
    return adminView(next);
  }

  async disable(admin: UserPrincipal, userId: string, source: string): Promise<void> {
    await this.update(admin, userId, { disabled: true }, source);
  }

  async setPassword(admin: UserPrincipal, userId: string, password: string, source: string): Promise<void> {
    await this.ownUser(admin.tenantId, userId);
    await this.d.users.setPassword(userId, await hashPassword(password), { mustChange: true });
    const sessions = await this.d.tokens.revokeUser(userId);
    this.d.endLiveSessions(userId);
    await this.audited(admin, 'user.password.set', userId, source, { sessionsEnded: sessions });
  }

  /** A user of the admin's tenant; another tenant's user id is indistinguishable from a missing one. */
  private async ownUser(tenantId: string, userId: string): Promise<UserRecord> {
    const u = await this.d.users.byId(userId);
    if (!u || u.tenantId !== tenantId) throw notFound('user');
    return u;
  }

  /** Threat: scoping a user to a site of another tenant (or a typo that silently grants nothing). */
  private async checkSites(tenantId: string, siteIds: readonly string[]): Promise<void> {
    const unknown = await unknownSites(this.d.tenants, tenantId, siteIds);
    if (unknown.length) throw badRequest(`unknown site ${unknown.slice(0, 3).join(', ')}`);
  }

  private async audited(admin: UserPrincipal, action: string, userId: string, source: string, details: Record<string, unknown>): Promise<void> {
    await auditAdminChange(this.d.audit, admin, { action, target: `user:${userId}`, source, details });
  }
}
