import { SiteDoc, classifyStateChange, withLiveState, type DeviceConfig, type DeviceKind, type DeviceView, type SiteMode } from '@cr/shared';
import type * as Y from 'yjs';
import { SiteAlerts } from './site-alerts';
import { SiteTelemetry } from './site-telemetry';

/**
 * What the edge writes into the site document: descriptors, availability, the durable part of
 * device state (a door's lock, a panel's alarm, what a light or HVAC unit was set to; throttled
 * per device so a chatty device cannot bloat the document), occupancy, mode and alerts. Readings
 * (temperatures, power, motion, counts) go to the live telemetry instead (classifyStateChange).
 */
export class SiteWriter {
  readonly view: SiteDoc;
  readonly alerts: SiteAlerts;
  readonly telemetry: SiteTelemetry;
  private readonly pendingState = new Map<string, { state: Record<string, unknown>; ts: number }>();
  private readonly lastStateWrite = new Map<string, number>();
  private flushTimer?: NodeJS.Timeout;

  constructor(
    readonly doc: Y.Doc,
    siteId: string,
    private readonly stateWriteMs: number,
    telemetryMs?: number,
    /**
     * `document`: every state change goes to the document, readings included, as gateways did
     * before live telemetry (benchmarks measure what the change saves).
     */
    private readonly readings: 'telemetry' | 'document' = 'telemetry',
  ) {
    this.view = new SiteDoc(doc);
    this.alerts = new SiteAlerts(doc, siteId);
    this.telemetry = new SiteTelemetry(telemetryMs);
  }

  /** Devices as views show them: the document's, with each live reading newer than its last state. */
  devices(): DeviceView[] {
    const live = this.telemetry.snapshot();
    return this.view.devices().map((d) => withLiveState(d, live));
  }

  /** Registers a device; a pin an operator placed is never overwritten by the config position. */
  upsertDevice(config: DeviceConfig, now: number): void {
    const doorId = config.kind === 'reader' ? config.doorId : undefined;
    this.doc.transact(() => {
      this.view.upsertDevice({ id: config.id, kind: config.kind, name: config.name, zoneId: config.zoneId, doorId });
      if (config.position && !this.doc.getMap('devicePositions').has(config.id)) {
        this.view.setDevicePosition(config.id, config.position, 'edge', now);
      }
    });
  }

  removeDevice(id: string): void {
    this.pendingState.delete(id);
    this.telemetry.delete(id);
    this.view.removeDevice(id);
  }

  setAvailability(id: string, online: boolean, now: number): void {
    this.view.setAvailability(id, online, now);
  }

  /**
   * A reading goes to the live telemetry; a durable change to the document, at most one write per
   * device per `stateWriteMs` (the latest durable state always lands).
   */
  setState(id: string, kind: DeviceKind, state: Record<string, unknown>, ts: number, now: number): void {
    const previous = this.pendingState.get(id)?.state ?? this.view.deviceState(id)?.state;
    if (this.readings === 'telemetry' && classifyStateChange(kind, previous, state) === 'telemetry') return this.telemetry.set(id, state, ts);
    this.telemetry.delete(id);
    const last = this.lastStateWrite.get(id) ?? 0;
    if (now - last >= this.stateWriteMs) {
      this.lastStateWrite.set(id, now);
      this.pendingState.delete(id);
      this.view.setDeviceState(id, state, ts);
      return;
    }
    this.pendingState.set(id, { state, ts });
    this.flushTimer ??= setTimeout(() => this.flush(), this.stateWriteMs).unref();
  }

  flush(now = Date.now()): void {
    this.flushTimer = undefined;
    if (this.pendingState.size === 0) return;
    this.doc.transact(() => {
      for (const [id, s] of this.pendingState) {
        this.lastStateWrite.set(id, now);
        this.view.setDeviceState(id, s.state, s.ts);
      }
    });
    this.pendingState.clear();
  }

  setOccupancy(zoneId: string, count: number, now: number): void {
    this.view.setOccupancy(zoneId, count, now);
  }

  setMode(mode: SiteMode, fireActive: boolean, at: number, by: string): void {
    this.view.setMeta({ mode, fireActive, modeChangedAt: Math.trunc(at), modeChangedBy: by.slice(0, 200) });
  }

  close(): void {
    this.telemetry.close();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flush();
  }
}
