import type { Role } from '@cr/shared';
import type { UsersPort } from '../ports';
import type { UserRecord } from '../users-store';
import type { PgDb } from './pg-db';

const SQL = {
  insert: `INSERT INTO users (id, tenant_id, email, name, role, site_ids, password_hash, disabled, must_change_password, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  byEmail: 'SELECT * FROM users WHERE email = $1',
  byId: 'SELECT * FROM users WHERE id = $1',
  ofTenant: 'SELECT * FROM users WHERE tenant_id = $1 ORDER BY email COLLATE "C"',
  update: 'UPDATE users SET name = $2, role = $3, site_ids = $4, disabled = $5 WHERE id = $1',
  setPassword: 'UPDATE users SET password_hash = $2, must_change_password = $3 WHERE id = $1',
} as const;

interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: Role;
  site_ids: string;
  password_hash: string;
  disabled: boolean;
  must_change_password: boolean;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  name: r.name,
  role: r.role,
  siteIds: JSON.parse(r.site_ids) as string[],
  passwordHash: r.password_hash,
  disabled: r.disabled,
  mustChangePassword: r.must_change_password,
});

/**
 * People who sign in to the console, in PostgreSQL (the same contract as UsersStore). E-mails are
 * stored lower-case; inserting an e-mail that exists rejects with the driver's unique-violation
 * error (code '23505'), where SQLite throws SQLITE_CONSTRAINT_UNIQUE.
 */
export class PgUsersStore implements UsersPort {
  constructor(private readonly db: PgDb) {}

  async insert(user: UserRecord, now = Date.now()): Promise<void> {
    await this.db.pool.query(SQL.insert, [
      user.id,
      user.tenantId,
      user.email.toLowerCase(),
      user.name,
      user.role,
      JSON.stringify(user.siteIds),
      user.passwordHash,
      user.disabled,
      user.mustChangePassword === true,
      now,
    ]);
  }

  async update(user: Pick<UserRecord, 'id' | 'name' | 'role' | 'siteIds' | 'disabled'>): Promise<void> {
    await this.db.pool.query(SQL.update, [user.id, user.name, user.role, JSON.stringify(user.siteIds), user.disabled]);
  }

  /** `mustChange`: the password was set for the user (by an admin), who must replace it at the next sign-in. */
  async setPassword(id: string, passwordHash: string, opts: { mustChange?: boolean } = {}): Promise<void> {
    await this.db.pool.query(SQL.setPassword, [id, passwordHash, opts.mustChange === true]);
  }

  async byEmail(email: string): Promise<UserRecord | undefined> {
    const row = (await this.db.pool.query<UserRow>(SQL.byEmail, [email.toLowerCase()])).rows[0];
    return row ? toUser(row) : undefined;
  }

  async byId(id: string): Promise<UserRecord | undefined> {
    const row = (await this.db.pool.query<UserRow>(SQL.byId, [id])).rows[0];
    return row ? toUser(row) : undefined;
  }

  async ofTenant(tenantId: string): Promise<UserRecord[]> {
    return (await this.db.pool.query<UserRow>(SQL.ofTenant, [tenantId])).rows.map(toUser);
  }
}
