import { loadMasterKey, loadOrCreateSecret } from './secrets';
import { loadOrCreateSigningKeys } from './signing-keys';

/**
 * Every secret file of an installation in `dataDir` (signing key, master key unless CR_SECRETS_KEY
 * holds it, audit-chain and event-hash keys), created where missing. `init` creates them all, so
 * the directory can be copied to every instance before any starts (CONTRACT §10).
 */
export async function ensureInstallationSecrets(dataDir: string): Promise<void> {
  await loadOrCreateSigningKeys(dataDir);
  loadMasterKey(dataDir);
  for (const name of ['audit-chain', 'event-hash']) loadOrCreateSecret(dataDir, name);
}
