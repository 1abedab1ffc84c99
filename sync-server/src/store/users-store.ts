import type { Role } from '@cr/shared';
import type { Db } from './db';

export interface UserRecord {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  siteIds: string[];
  passwordHash: string;
  disabled: boolean;
  /** the password was set by someone else (an admin): the next sign-in may only replace it */
  mustChangePassword?: boolean;
}

const SQL = {
  insert: `INSERT INTO users (id, tenant_id, email, name, role, site_ids, password_hash, disabled, must_change_password, created_at)
    VALUES (@id, @tenantId, @email, @name, @role, @siteIds, @passwordHash, @disabled, @mustChangePassword, @createdAt)`,
  byEmail: 'SELECT * FROM users WHERE email = ?',
  byId: 'SELECT * FROM users WHERE id = ?',
  ofTenant: 'SELECT * FROM users WHERE tenant_id = ? ORDER BY email',
  update: 'UPDATE users SET name = @name, role = @role, site_ids = @siteIds, disabled = @disabled WHERE id = @id',
  setPassword: 'UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?',
} as const;

interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: Role;
  site_ids: string;
  password_hash: string;
  disabled: number;
  must_change_password: number;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  name: r.name,
  role: r.role,
  siteIds: JSON.parse(r.site_ids) as string[],
  passwordHash: r.password_hash,
  disabled: r.disabled === 1,
  mustChangePassword: r.must_change_password === 1,
});

/** People who sign in to the console. E-mails are stored lower-case. */
export class UsersStore {
  constructor(private readonly db: Db) {}

  insert(user: UserRecord, now = Date.now()): void {
    this.db.prepare(SQL.insert).run({
      ...user,
      email: user.email.toLowerCase(),
      siteIds: JSON.stringify(user.siteIds),
      disabled: user.disabled ? 1 : 0,
      mustChangePassword: user.mustChangePassword ? 1 : 0,
      createdAt: now,
    });
  }

  update(user: Pick<UserRecord, 'id' | 'name' | 'role' | 'siteIds' | 'disabled'>): void {
    this.db
      .prepare(SQL.update)
      .run({ ...user, siteIds: JSON.stringify(user.siteIds), disabled: user.disabled ? 1 : 0 });
  }

  /** `mustChange`: the password was set for the user (by an admin), who must replace it at the next sign-in. */
  setPassword(id: string, passwordHash: string, opts: { mustChange?: boolean } = {}): void {
    this.db.prepare(SQL.setPassword).run(passwordHash, opts.mustChange ? 1 : 0, id);
  }

  byEmail(email: string): UserRecord | undefined {
    const row = this.db.prepare(SQL.byEmail).get(email.toLowerCase()) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  byId(id: string): UserRecord | undefined {
    const row = this.db.prepare(SQL.byId).get(id) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  ofTenant(tenantId: string): UserRecord[] {
    return (this.db.prepare(SQL.ofTenant).all(tenantId) as UserRow[]).map(toUser);
  }
}
