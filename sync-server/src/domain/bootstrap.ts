import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openDb } from '../store/db';
import { TenantsStore } from '../store/tenants-store';
import { UsersStore } from '../store/users-store';
import { AuditStore } from '../store/audit-store';
import { hashPassword } from './passwords';
import { inPostgresTransaction } from '../store/postgres/pg-bootstrap';
import { StoreUnreachable } from '../store/postgres/pg-db';
import { sqlitePort, type AuditPort, type TenantsPort, type UsersPort } from '../store/ports';

/** The shortest admin password `init` accepts (the same floor as users created through the API). */
export const MIN_ADMIN_PASSWORD = 12;
const MAX_ADMIN_PASSWORD = 200;

export interface NewTenant {
  dataDir: string;
  tenantId: string;
  tenantName: string;
  adminEmail: string;
  password: string;
  /** PostgreSQL URL of the shared store; SQLite under `dataDir` when absent */
  storeUrl?: string;
}

/** Why `init` refused, in one line; nothing was changed. */
export class BootstrapRefused extends Error {}

/** A password for the first admin when none is given: 144 random bits, 24 URL-safe characters. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');

/** Undefined when the password may be used, else why not (one line). */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_ADMIN_PASSWORD) return `must be at least ${MIN_ADMIN_PASSWORD} characters`;
  if (password.length > MAX_ADMIN_PASSWORD) return `must be at most ${MAX_ADMIN_PASSWORD} characters`;
  return undefined;
}

/** What creating a tenant writes, inside one transaction. */
export interface BootstrapStores {
  tenants: Pick<TenantsPort, 'hasTenant' | 'addTenant'>;
  users: Pick<UsersPort, 'byEmail' | 'insert'>;
  audit: Pick<AuditPort, 'append'>;
}

/**
 * Creates a tenant and its first tenant-admin in the cloud's store under `dataDir` (CONTRACT.md
 * §5). Both rows and the audit record go in one transaction: either the tenant exists with a way in, or nothing changed. Refuses
 * (BootstrapRefused) a tenant that exists or an e-mail already in use.
 */
export async function bootstrapTenant(t: NewTenant): Promise<{ userId: string }> {
  const problem = passwordProblem(t.password);
  if (problem) throw new BootstrapRefused(`admin password ${problem}`);
  const refusal = async (s: BootstrapStores): Promise<string | undefined> => {
    if (await s.tenants.hasTenant(t.tenantId)) return `tenant ${t.tenantId} exists already; nothing changed`;
    if (await s.users.byEmail(t.adminEmail)) return `${t.adminEmail} is already a user; nothing changed`;
    return undefined;
  };
  // Checked before the (slow, deliberately) hash for a quick answer, and again inside the
  // transaction, since another `init` or a running cloud may write in between.
  const early = await inTransaction(t, refusal);
  if (early) throw new BootstrapRefused(early);
  const passwordHash = await hashPassword(t.password);
  const userId = `user-${randomBytes(6).toString('hex')}`;
  await inTransaction(t, async (s) => {
    const late = await refusal(s);
    if (late) throw new BootstrapRefused(late);
    await s.tenants.addTenant(t.tenantId, t.tenantName);
    await s.users.insert({
      id: userId,
      tenantId: t.tenantId,
      email: t.adminEmail,
      name: t.adminEmail.split('@')[0]!,
      role: 'tenant-admin',
      siteIds: [],
      passwordHash,
      disabled: false,
    });
    await s.audit.append(t.tenantId, {
      actor: 'cli:init',
      action: 'tenant.create',
      target: `tenant:${t.tenantId}`,
      result: 'ok',
      source: 'cli',
      details: { name: t.tenantName, admin: t.adminEmail.toLowerCase(), adminId: userId },
    });
  });
  return { userId };
}

/** Runs `fn` on the stores in one transaction, committed when it resolves. */
async function inTransaction<T>(t: NewTenant, fn: (s: BootstrapStores) => Promise<T>): Promise<T> {
  if (t.storeUrl)
    return inPostgresTransaction(t.storeUrl, t.dataDir, fn).catch((err: Error) => {
      throw err instanceof StoreUnreachable ? new BootstrapRefused(`${err.message}; nothing changed`) : err;
    });
  const db = openDb(join(t.dataDir, 'cloud.db'));
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn({
        tenants: sqlitePort(new TenantsStore(db)),
        users: sqlitePort(new UsersStore(db)),
        audit: sqlitePort(new AuditStore(db)),
      });
      db.exec('COMMIT');
      return out;
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  } finally {
    db.close();
  }
}
