import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Device passwords hashed with scrypt, in the cloud's format `scrypt$N$r$p$salt$hash` (base64url),
 * so a copied users file does not hand out the devices' passwords.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 96 * 1024 * 1024;
/** Threat: a users file naming absurd cost parameters turning each connect into a denial of service. */
const MAX_N = 2 ** 17;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, n = N): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, n, R, P);
  return ['scrypt', n, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `stored` looks like a hash this module can verify. */
export function isPasswordHash(stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const nn = Number(n);
  return scheme === 'scrypt' && Number.isInteger(nn) && nn > 1 && nn <= MAX_N && (nn & (nn - 1)) === 0 && Number(r) >= 1 && Number(r) <= 32 && Number(p) >= 1 && Number(p) <= 4 && !!salt && !!hash;
}

/** Constant-time comparison; false for any malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!isPasswordHash(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash!, 'base64url');
  const key = await derive(password, Buffer.from(salt!, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Remembers passwords that verified (as SHA-256), so 150 devices reconnecting after a restart or a
 * Wi-Fi drop cost one scrypt each, not one per reconnect. Threat: reconnect storms as a CPU DoS.
 */
export class VerifiedPasswords {
  private readonly known = new Map<string, Buffer>();

  async verify(username: string, password: string, stored: string): Promise<boolean> {
    const digest = createHash('sha256').update(`${stored}\0${password}`).digest();
    const known = this.known.get(username);
    if (known && timingSafeEqual(known, digest)) return true;
    const ok = await verifyPassword(password, stored);
    if (ok) this.known.set(username, digest);
    return ok;
  }
}
