import { inSecureSchedule, isSiteOpen, MINUTE_MS, policyBodyError, policyBodySchema, type EdgeToCloud, type PolicyBody, type PolicyMessage } from '@cr/shared';
import type { Settings } from '../store/db';
import type { Logger } from '../log';

const KEY = 'site.policy';

/** The policy version the edge enforces. */
export interface AppliedPolicy {
  policyId: string;
  version: number;
  body: PolicyBody;
}

export type PolicyReport = Extract<EdgeToCloud, { type: 'policy.applied' | 'policy.refused' }>;

/**
 * The site's policy as the edge enforces it (CONTRACT.md §9): the last valid version the cloud
 * sent, kept in SQLite so it holds offline and after a restart. A version the edge cannot read is
 * refused and reported; the one before stays in force. Whether the site is open is read from
 * memory, computed at most once per minute and time zone (the access path must not re-parse clocks).
 */
export class PolicyHolder {
  private applied: AppliedPolicy | undefined;
  private readonly listeners: Array<(p: AppliedPolicy) => void> = [];
  private cache: { key: string; open: boolean; secure: boolean } | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly log: Pick<Logger, 'info' | 'warn'>,
  ) {
    this.applied = PolicyHolder.load(settings);
  }

  private static load(settings: Settings): AppliedPolicy | undefined {
    try {
      const raw = JSON.parse(settings.get(KEY) ?? 'null') as Partial<AppliedPolicy> | null;
      if (!raw || typeof raw.policyId !== 'string' || typeof raw.version !== 'number') return undefined;
      const body = policyBodySchema.safeParse(raw.body);
      return body.success ? { policyId: raw.policyId, version: raw.version, body: body.data } : undefined;
    } catch {
      return undefined;
    }
  }

  get current(): AppliedPolicy | undefined {
    return this.applied;
  }

  /** The version in force, undefined while the site has none (always open). */
  get version(): number | undefined {
    return this.applied?.version;
  }

  /** Called with every newly applied version (the scenario engine reloads). */
  onApplied(fn: (p: AppliedPolicy) => void): void {
    this.listeners.push(fn);
  }

  /** A version from the cloud: validated, applied and persisted, or refused with the first problem named. */
  adopt(msg: Pick<PolicyMessage, 'policyId' | 'version' | 'body'>): PolicyReport {
    const { policyId, version } = msg;
    const parsed = policyBodySchema.safeParse(msg.body);
    if (!parsed.success) {
      const error = policyBodyError(parsed.error.issues).slice(0, 500);
      const kept = this.applied ? `; v${this.applied.version} of ${this.applied.policyId} stays in force` : '';
      this.log.warn(`policy ${policyId} v${version} refused: ${error}${kept}`, { policyId, policyVersion: version });
      return { type: 'policy.refused', policyId, version, error };
    }
    const same = this.applied?.policyId === policyId && this.applied.version === version;
    if (!same) {
      this.applied = { policyId, version, body: parsed.data };
      this.cache = undefined;
      this.persist();
      this.log.info(`policy ${policyId} v${version} applied`, { policyId, policyVersion: version });
      for (const fn of this.listeners) fn(this.applied);
    }
    return { type: 'policy.applied', policyId, version };
  }

  private persist(): void {
    try {
      this.settings.set(KEY, JSON.stringify(this.applied));
    } catch (err) {
      // Enforced from memory all the same; the cloud sends it again after the next reconnect.
      this.log.warn(`policy not persisted: ${(err as Error).message}`);
    }
  }

  /** Whether the policy has the site open at `now` (no policy: open), from a per-minute cache. */
  isOpen(now: number, timeZone: string): boolean {
    if (!this.applied?.body.openingHours) return true;
    return this.minute(now, timeZone).open;
  }

  /** Whether the policy's secure-mode schedule has the site in secure mode at `now` (no schedule: never). */
  isSecureScheduled(now: number, timeZone: string): boolean {
    if (!this.applied?.body.access?.secureModeSchedule?.length) return false;
    return this.minute(now, timeZone).secure;
  }

  private minute(now: number, timeZone: string): { open: boolean; secure: boolean } {
    const key = `${Math.floor(now / MINUTE_MS)}|${timeZone}`;
    if (this.cache?.key !== key) {
      const body = this.applied?.body;
      this.cache = { key, open: isSiteOpen(body, now, timeZone), secure: inSecureSchedule(body, now, timeZone) };
    }
    return this.cache;
  }
}
