import { loadOrCreateSecret } from '../../domain/secrets';
import { inTransactionOf, openPostgres, StoreUnreachable, whereOf } from './pg-db';
import { PgTenantsStore } from './pg-tenants-store';
import { PgUsersStore } from './pg-users-store';
import { PgAuditStore } from './pg-audit-store';

/** Two `init`s at once: the second waits for the first and then finds its tenant. */
const BOOTSTRAP_LOCK = 727_003;

/** `init` on the shared PostgreSQL store: `fn` runs in one transaction, committed when it resolves. */
export async function inPostgresTransaction<T>(
  url: string,
  dataDir: string,
  fn: (s: { tenants: PgTenantsStore; users: PgUsersStore; audit: PgAuditStore }) => Promise<T>,
): Promise<T> {
  let pg;
  try {
    pg = await openPostgres(url, { max: 1 });
  } catch (err) {
    // The URL may hold a password: only where it points is shown.
    throw new StoreUnreachable(`the store at ${whereOf(url)} does not answer (${(err as Error).message})`);
  }
  try {
    return await pg.tx(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      const db = inTransactionOf(client);
      return fn({
        tenants: new PgTenantsStore(db),
        users: new PgUsersStore(db),
        audit: new PgAuditStore(db, loadOrCreateSecret(dataDir, 'audit-chain')),
      });
    });
  } finally {
    await pg.close();
  }
}
