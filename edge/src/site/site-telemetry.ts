import { TELEMETRY_FIELD, TELEMETRY_PUBLISH_MS, type LiveTelemetry, type TelemetryEntry } from '@cr/shared';

/** Where live telemetry is announced: the awareness of a y-websocket connection or room. */
export interface TelemetryOutlet {
  setLocalState(state: Record<string, unknown> | null): void;
}

/**
 * The site's live telemetry (readings of sensors, meters and motion detectors): each device's
 * latest reading, announced as the gateway's presence on the site document, to the cloud and to
 * consoles on the site LAN, never written into the document. Announced at most once per
 * `publishMs` for the whole site, and only when a reading changed.
 */
export class SiteTelemetry {
  private readonly latest = new Map<string, TelemetryEntry>();
  private readonly outlets = new Set<TelemetryOutlet>();
  private lastPublish = Number.NEGATIVE_INFINITY;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly publishMs = TELEMETRY_PUBLISH_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Each device's latest reading that the document does not hold. */
  snapshot(): LiveTelemetry {
    return Object.fromEntries(this.latest);
  }

  get(deviceId: string): TelemetryEntry | undefined {
    return this.latest.get(deviceId);
  }

  set(deviceId: string, state: Record<string, unknown>, ts: number): void {
    const cur = this.latest.get(deviceId);
    if (cur && cur.ts === ts && JSON.stringify(cur.state) === JSON.stringify(state)) return;
    this.latest.set(deviceId, { state, ts });
    this.changed();
  }

  /** The document now holds the device's newest state (or the device is gone). */
  delete(deviceId: string): void {
    if (this.latest.delete(deviceId)) this.changed();
  }

  /** Announces the current telemetry on `outlet` now and on every later change; returns the detach. */
  attach(outlet: TelemetryOutlet): () => void {
    this.outlets.add(outlet);
    outlet.setLocalState({ [TELEMETRY_FIELD]: this.snapshot() });
    return () => this.outlets.delete(outlet);
  }

  private changed(): void {
    if (this.closed || this.timer) return;
    const wait = this.lastPublish + this.publishMs - this.clock();
    if (wait <= 0) return this.publish();
    this.timer = setTimeout(() => this.publish(), wait);
    this.timer.unref?.();
  }

  private publish(): void {
    this.timer = undefined;
    this.lastPublish = this.clock();
    const state = { [TELEMETRY_FIELD]: this.snapshot() };
    for (const o of this.outlets) o.setLocalState(state);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
