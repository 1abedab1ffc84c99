import { randomBytes } from 'node:crypto';
import type { Role, UserPrincipal } from '@cr/shared';
import type { UsersStore, UserRecord } from '../store/users-store';
import type { TokensStore } from '../store/tokens-store';
import type { TenantsStore } from '../store/tenants-store';
import type { AuditStore } from '../store/audit-store';
import { publicUser, type PublicUser } from './auth-service';
import { ApiError, badRequest, notFound } from './errors';
import { hashPassword } from './passwords';
import { auditAdminChange } from './audit/admin-audit';

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
  users: UsersStore;
  tokens: TokensStore;
  tenants: TenantsStore;
  audit: AuditStore;
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

  list(tenantId: string): AdminUser[] {
    return this.d.users.ofTenant(tenantId).map(adminView);
  }

  get(tenantId: string, userId: string): AdminUser {
    return adminView(this.ownUser(tenantId, userId));
  }

  async create(admin: UserPrincipal, body: NewUser, source: string): Promise<AdminUser> {
    this.checkSites(admin.tenantId, body.siteIds);
    const passwordHash = await hashPassword(body.password);
    // Checked after the (slow) hash and right before the insert, with nothing awaited in between.
    if (this.d.users.byEmail(body.email)) throw new ApiError(409, 'conflict', 'a user with this e-mail exists');
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
    this.d.users.insert(user);
    this.audited(admin, 'user.create', user.id, source, { email: user.email, role: user.role, siteIds: user.siteIds });
    return adminView(user);
  }

  update(admin: UserPrincipal, userId: string, patch: UserPatch, source: string): AdminUser {
    const cur = this.ownUser(admin.tenantId, userId);
    if (patch.siteIds) this.checkSites(admin.tenantId, patch.siteIds);
    // Threat: an admin locking the tenant out of its own administration by accident.
    if (userId === admin.userId && (patch.disabled === true || (patch.role && patch.role !== 'tenant-admin')))
      throw new ApiError(409, 'conflict', 'you cannot disable or demote your own account');
    const next: UserRecord = {
      ...cur,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      ...(patch.siteIds ? { siteIds: [...new Set(patch.siteIds)] } : {}),
    };
    this.d.users.update(next);
    if (next.disabled && !cur.disabled) this.d.tokens.revokeUser(userId);
    if (next.disabled || next.role !== cur.role || patch.siteIds) this.d.endLiveSessions(userId);
    const action = next.disabled && !cur.disabled ? 'user.disable' : 'user.update';
    this.audited(admin, action, userId, source, {
      changed: Object.keys(patch),
      role: next.role,
      siteIds: next.siteIds,
    });
    return adminView(next);
  }

  disable(admin: UserPrincipal, userId: string, source: string): void {
    this.update(admin, userId, { disabled: true }, source);
  }

  async setPassword(admin: UserPrincipal, userId: string, password: string, source: string): Promise<void> {
    this.ownUser(admin.tenantId, userId);
    this.d.users.setPassword(userId, await hashPassword(password), { mustChange: true });
    const sessions = this.d.tokens.revokeUser(userId);
    this.d.endLiveSessions(userId);
    this.audited(admin, 'user.password.set', userId, source, { sessionsEnded: sessions });
  }

  /** A user of the admin's tenant; another tenant's user id is indistinguishable from a missing one. */
  private ownUser(tenantId: string, userId: string): UserRecord {
    const u = this.d.users.byId(userId);
    if (!u || u.tenantId !== tenantId) throw notFound('user');
    return u;
  }

  /** Threat: scoping a user to a site of another tenant (or a typo that silently grants nothing). */
  private checkSites(tenantId: string, siteIds: readonly string[]): void {
    const unknown = siteIds.filter((s) => !this.d.tenants.site(tenantId, s));
    if (unknown.length) throw badRequest(`unknown site ${unknown.slice(0, 3).join(', ')}`);
  }

  private audited(admin: UserPrincipal, action: string, userId: string, source: string, details: Record<string, unknown>): void {
    auditAdminChange(this.d.audit, admin, { action, target: `user:${userId}`, source, details });
  }
}
