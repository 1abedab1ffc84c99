import { liveTelemetryOf, parseDocName } from '@cr/shared';
import type { TelemetryMinute } from '../store/telemetry-minutes-store';
import type { TelemetryMinutesPort } from '../store/ports';
import { principalOf } from '../sync/write-scope';
import { defaultCloudLog, type CloudLog } from '../log';

const MINUTE_MS = 60_000;
/** Most devices × fields × minutes held in memory per site before an early flush (150 devices, a few fields). */
const MAX_OPEN_BUCKETS = 2_000;

interface Site {
  tenantId: string;
  siteId: string;
  /** `${deviceId}|${minute}|${field}` → the minute so far */
  buckets: Map<string, TelemetryMinute>;
  /** each device's newest reading taken, so a renewed presence is not counted again */
  lastTs: Map<string, number>;
}

/**
 * Builds the compact time series of device readings: every reading a site's gateway announces in
 * its live telemetry (its presence on the site document, only from the gateway's own connection)
 * is folded into per-device, per-field, per-minute count/sum/min/max, stored once the minute is over.
 */
export class TelemetryRecorder {
  private readonly sites = new Map<string, Site>();

  constructor(
    private readonly store: TelemetryMinutesPort,
    private readonly log: CloudLog = defaultCloudLog(),
    private readonly now: () => number = Date.now,
  ) {}

  /** A presence state announced on a document by `origin` (a peer carrying its principal). */
  observe(docName: string, state: unknown, origin: unknown): void {
    const principal = principalOf(origin);
    const doc = parseDocName(docName);
    // Threat: a console's presence feeding the reports' readings (the room drops it; this checks again).
    if (principal?.kind !== 'edge' || doc?.kind !== 'site' || principal.siteId !== doc.siteId || principal.tenantId !== doc.tenantId) return;
    let site = this.sites.get(docName);
    if (!site) this.sites.set(docName, (site = { tenantId: doc.tenantId, siteId: doc.siteId, buckets: new Map(), lastTs: new Map() }));
    for (const [deviceId, reading] of Object.entries(liveTelemetryOf([state]))) {
      if (reading.ts <= (site.lastTs.get(deviceId) ?? -1)) continue;
      site.lastTs.set(deviceId, reading.ts);
      const minute = Math.floor(reading.ts / MINUTE_MS) * MINUTE_MS;
      for (const [field, value] of Object.entries(reading.state)) {
        if (field === 'ts' || typeof value !== 'number' || !Number.isFinite(value)) continue;
        const key = `${deviceId}|${minute}|${field}`;
        const b = site.buckets.get(key);
        if (b) {
          b.count++;
          b.sum += value;
          b.min = Math.min(b.min, value);
          b.max = Math.max(b.max, value);
        } else site.buckets.set(key, { deviceId, minute, field, count: 1, sum: value, min: value, max: value });
      }
    }
    if (site.buckets.size > MAX_OPEN_BUCKETS) void this.flush(Number.POSITIVE_INFINITY);
  }

  /** Stores every minute that ended before `before` (all of them with Infinity); the store merges a minute stored twice. */
  async flush(before = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS): Promise<number> {
    let stored = 0;
    for (const site of this.sites.values()) {
      const done = [...site.buckets].filter(([, b]) => b.minute < before);
      if (done.length === 0) continue;
      for (const [key] of done) site.buckets.delete(key);
      try {
        await this.store.add(site.tenantId, site.siteId, done.map(([, b]) => b));
        stored += done.length;
      } catch (err) {
        this.log.warn({ siteId: site.siteId }, `telemetry minutes of ${site.siteId} not stored: ${(err as Error).message}`);
      }
    }
    return stored;
  }
}
