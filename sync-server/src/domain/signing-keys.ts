import { existsSync, readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { createFileOnce } from '@cr/store-kit';
import { join } from 'node:path';
import { generateSigningKeys, importPrivateKey, importPublicKey, signKeyRotation } from '@cr/shared';

/** The previous key's signature over the current key, which edges that pinned the previous key require. */
export interface KeyRotationProof {
  /** the previous public key (JWK) */
  publicKey: Record<string, unknown>;
  /** base64url Ed25519 signature by the previous private key over `canonicalJwk(current public key)` */
  signature: string;
}

/** The cloud's Ed25519 token-signing key pair. */
export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JsonWebKey;
  /** the key before the last rotation: edge tokens it signed are still accepted (and renewed) */
  previousPublicKey?: CryptoKey;
  /** sent in every `welcome` after a rotation */
  rotation?: KeyRotationProof;
}

interface StoredKeys {
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
  rotation?: KeyRotationProof;
}

const FILE = 'signing-key.json';

function write(dataDir: string, stored: StoredKeys): void {
  const file = join(dataDir, FILE);
  mkdirSync(dataDir, { recursive: true });
  // Write-then-rename: a crash never leaves a half-written key that would lock everyone out.
  writeFileSync(`${file}.tmp`, JSON.stringify(stored), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

async function fromStored(stored: StoredKeys): Promise<SigningKeys> {
  return {
    privateKey: await importPrivateKey(stored.privateJwk),
    publicKey: await importPublicKey(stored.publicJwk),
    publicJwk: stored.publicJwk,
    previousPublicKey: stored.rotation ? await importPublicKey(stored.rotation.publicKey as JsonWebKey) : undefined,
    rotation: stored.rotation,
  };
}

async function generate(): Promise<{ privateKey: CryptoKey; privateJwk: JsonWebKey; publicJwk: JsonWebKey }> {
  const pair = await generateSigningKeys();
  return {
    privateKey: pair.privateKey,
    privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
    publicJwk: await crypto.subtle.exportKey('jwk', pair.publicKey),
  };
}

/**
 * Loads the key pair from the data directory, or generates it once and persists it (mode 0600),
 * so tokens and edges' pinned public keys stay valid across restarts.
 */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const file = join(dataDir, FILE);
  if (existsSync(file)) return fromStored(JSON.parse(readFileSync(file, 'utf8')) as StoredKeys);
  const fresh = await generate();
  // Instances starting together on one data directory all end up with the one key created first.
  createFileOnce(file, JSON.stringify({ privateJwk: fresh.privateJwk, publicJwk: fresh.publicJwk }));
  return loadOrCreateSigningKeys(dataDir);
}

/**
 * Replaces the signing key and keeps the proof that the old key vouched for the new one: edges
 * pinned the old key and accept the new one only with that proof. Edge tokens of the old key stay
 * valid (and are renewed over the link); access tokens end. Only one step is kept: an edge that
 * missed two rotations must be given its key again. After a key compromise rotate twice, so the
 * compromised key is neither trusted nor vouching, and issue the gateways new tokens.
 * The running cloud reads the file at start.
 */
export async function rotateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const current = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as StoredKeys;
  const next = await generate();
  const signature = await signKeyRotation(await importPrivateKey(current.privateJwk), next.publicJwk as Record<string, unknown>);
  write(dataDir, {
    privateJwk: next.privateJwk,
    publicJwk: next.publicJwk,
    rotation: { publicKey: current.publicJwk as Record<string, unknown>, signature },
  });
  return loadOrCreateSigningKeys(dataDir);
}
