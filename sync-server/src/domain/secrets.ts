import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** A random secret of this installation, created once in the data directory (mode 0600). */
export function loadOrCreateSecret(dataDir: string, name: string): Buffer {
  const file = join(dataDir, `${name}.secret`);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(`${file}.tmp`, secret.toString('base64url'), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return secret;
}

/** Environment variable that may hold the master key (base64 or base64url of 32 bytes). */
export const SECRETS_KEY_ENV = 'CR_SECRETS_KEY';

export class SecretsKeyError extends Error {}

/**
 * The master key that wraps every tenant's data key: `explicit` (the `--secrets-key` flag), else
 * `CR_SECRETS_KEY`, else `master-key.secret` in the data directory, created at first start (0600).
 * A key kept outside the data directory means a copy of the directory alone (a backup, a stolen
 * disk image of the data volume) reveals no member; the file is the zero-setup default.
 */
export function loadMasterKey(dataDir: string, explicit = process.env[SECRETS_KEY_ENV]): Buffer {
  if (explicit === undefined || explicit === '') return loadOrCreateSecret(dataDir, 'master-key');
  const key = Buffer.from(explicit.trim(), 'base64url');
  if (key.length !== 32) throw new SecretsKeyError('the secrets key must be 32 bytes in base64 or base64url');
  return key;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random IV: `version | iv | tag | ciphertext`. `context` is bound as associated
 * data, so a ciphertext copied into another row (another member, another tenant) fails to open.
 */
export function seal(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** Opens what `seal` produced under the same key and context; throws when either differs or a byte changed. */
export function unseal(key: Buffer, sealed: Buffer, context: string): Buffer {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new Error('not a sealed value');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** The keys one tenant's data is protected with, each derived from its data key for one purpose only. */
export interface TenantSecrets {
  /** encrypts member records */
  readonly bodyKey: Buffer;
  /** keys the credential index: equal credentials give equal tags, which reveal nothing of the value */
  readonly indexKey: Buffer;
}

export function tenantSecrets(dataKey: Buffer): TenantSecrets {
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), purpose, 32));
  return { bodyKey: derive('member-body'), indexKey: derive('credential-index') };
}

/** The credential index tag: HMAC of `type:value`, so the table lists no card number or PIN. */
export const credentialTag = (s: TenantSecrets, c: { type: string; value: string }): Buffer =>
  createHmac('sha256', s.indexKey).update(`${c.type}:${c.value}`).digest().subarray(0, 16);
