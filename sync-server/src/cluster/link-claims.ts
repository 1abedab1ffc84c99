import type { Redis } from 'ioredis';
import type { CloudLog } from '../log';
import { failuresLog } from './redis-link';

/** Extends a claim that is still ours, takes one nobody holds (expired, or Redis started empty), leaves another's. */
const KEEP = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

/** Deletes a claim only while it is still ours: a newer link of the site elsewhere keeps its claim. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Scripted = Redis & {
  keepLinkClaim(key: string, owner: string, ttlMs: number): Promise<number>;
  releaseLinkClaim(key: string, owner: string): Promise<number>;
};

/**
 * The edge links this instance holds, claimed in Redis as `<prefix>:link:<key>` = instance id
 * with a time to live: refreshed every third of it, taken again at once after Redis was lost,
 * and gone by itself when the instance dies.
 */
export class LinkClaims {
  private readonly held = new Set<string>();
  /** released while Redis did not answer: released again once it does */
  private readonly releasing = new Set<string>();
  private readonly redis: Scripted;
  private readonly timer: NodeJS.Timeout;
  private readonly failed: (reason: string) => void;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly owner: string,
    private readonly ttlMs: number,
    log: CloudLog,
  ) {
    redis.defineCommand('keepLinkClaim', { numberOfKeys: 1, lua: KEEP });
    redis.defineCommand('releaseLinkClaim', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as Scripted;
    this.failed = failuresLog(log, 'edge link claims');
    this.timer = setInterval(() => void this.refresh(), Math.max(100, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  keyOf(link: string): string {
    return `${this.prefix}:link:${link}`;
  }

  /** The newest link of a site wins: its claim replaces whichever instance held it before. */
  claim(link: string): void {
    this.held.add(link);
    this.releasing.delete(link);
    this.redis.set(this.keyOf(link), this.owner, 'PX', this.ttlMs).catch((err: Error) => this.failed(`claim: ${err.message}`));
  }

  release(link: string): void {
    this.held.delete(link);
    this.releasing.add(link);
    void this.releaseNow(link);
  }

  /** Every claim extended or taken again, every pending release done (after Redis was lost). */
  async refresh(): Promise<void> {
    const keeps = [...this.held].map((l) => this.redis.keepLinkClaim(this.keyOf(l), this.owner, this.ttlMs));
    const releases = [...this.releasing].map((l) => this.releaseNow(l));
    const results = await Promise.allSettled([...keeps, ...releases]);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) this.failed(`refresh: ${(failure.reason as Error).message}`);
  }

  /** Stops refreshing and releases every claim (an instance shutting down). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const l of this.held) this.releasing.add(l);
    this.held.clear();
    await Promise.allSettled([...this.releasing].map((l) => this.releaseNow(l)));
  }

  private async releaseNow(link: string): Promise<void> {
    try {
      await this.redis.releaseLinkClaim(this.keyOf(link), this.owner);
      if (!this.held.has(link)) this.releasing.delete(link);
    } catch (err) {
      this.failed(`release: ${(err as Error).message}`);
    }
  }
}
