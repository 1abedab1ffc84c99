import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
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
