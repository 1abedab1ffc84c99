import { existsSync, readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeys, importPrivateKey, importPublicKey } from '@cr/shared';

/** The cloud's Ed25519 token-signing key pair. */
export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JsonWebKey;
}

const FILE = 'signing-key.json';

/**
 * Loads the key pair from the data directory, or generates it once and persists it (mode 0600),
 * so tokens and edges' cached public keys stay valid across restarts.
 */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const file = join(dataDir, FILE);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { privateJwk: JsonWebKey; publicJwk: JsonWebKey };
    return {
      privateKey: await importPrivateKey(stored.privateJwk),
      publicKey: await importPublicKey(stored.publicJwk),
      publicJwk: stored.publicJwk,
    };
  }
  const pair = await generateSigningKeys();
  const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  mkdirSync(dataDir, { recursive: true });
  // Write-then-rename: a crash never leaves a half-written key that would lock everyone out.
  writeFileSync(`${file}.tmp`, JSON.stringify({ privateJwk, publicJwk }), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk };
}
