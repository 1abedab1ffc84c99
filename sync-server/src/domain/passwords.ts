import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors';

/**
 * Password hashes with scrypt (memory-hard: 2^15 × 8 × 128 B = 32 MiB per guess), so a stolen
 * database cannot be brute-forced cheaply on GPUs. Format: `scrypt$N$r$p$salt$hash` (base64url).
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 96 * 1024 * 1024;

/**
 * scrypt runs on libuv's thread pool, which the group commit's fdatasync and every other fs call
 * share (4 threads unless UV_THREADPOOL_SIZE says otherwise). Fifty sign-ins at once would queue
 * fifty ~100 ms hashes ahead of the next fsync and hold every acknowledgement back for seconds. So
 * hashes take their own queue: at most this many run at once, leaving at least two pool threads to
 * durability. (A worker-thread pool would isolate them entirely, at the cost of a second module
 * graph and ~10 MiB per worker; a concurrency limit keeps the same guarantee for the pool's threads.)
 */
export const HASH_CONCURRENCY = Math.max(1, Math.min(2, (Number(process.env.UV_THREADPOOL_SIZE) || 4) - 2));
/** Beyond this many waiting hashes a sign-in is answered 503 at once rather than queued for tens of seconds. */
export const MAX_WAITING_HASHES = 200;

/** A FIFO concurrency limit for expensive jobs, with a bounded waiting line. */
export class BoundedQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** the most jobs that ever ran at once (tests, metrics) */
  peak = 0;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running++;
    else {
      // Threat: a flood of sign-ins growing this line (and memory) without bound.
      if (this.waiting.length >= this.maxWaiting) throw new ApiError(503, 'busy', 'too many sign-ins at once; try again shortly', 1);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.peak = Math.max(this.peak, this.running);
    try {
      return await job();
    } finally {
      // The slot passes straight to the next job, so `running` never drops below the line's demand.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** The one queue every password hash of this process goes through. */
export const hashQueue = new BoundedQueue(HASH_CONCURRENCY, MAX_WAITING_HASHES);

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return hashQueue.run(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) =>
          err ? reject(err) : resolve(key),
        );
      }),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison; false for any malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that never verifies, compared against for unknown e-mails so timing does not reveal which accounts exist. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LEN).toString('base64url')}`;
