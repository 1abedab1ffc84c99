import { SiteDoc, type DeviceConfig, type SiteMode } from '@cr/shared';
import type * as Y from 'yjs';
import { SiteAlerts } from './site-alerts';

/**
 * What the edge writes into the site document: descriptors, availability, last state (throttled
 * per device so a chatty sensor cannot bloat the document), occupancy, mode and alerts.
 */
export class SiteWriter {
  readonly view: SiteDoc;
  readonly alerts: SiteAlerts;
  private readonly pendingState = new Map<string, { state: Record<string, unknown>; ts: number }>();
  private readonly lastStateWrite = new Map<string, number>();
  private flushTimer?: NodeJS.Timeout;

  constructor(
    readonly doc: Y.Doc,
    siteId: string,
    private readonly stateWriteMs: number,
  ) {
    this.view = new SiteDoc(doc);
    this.alerts = new SiteAlerts(doc, siteId);
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
    this.view.removeDevice(id);
  }

  setAvailability(id: string, online: boolean, now: number): void {
    this.view.setAvailability(id, online, now);
  }

  /** At most one state write per device per `stateWriteMs`; the latest state always lands. */
  setState(id: string, state: Record<string, unknown>, ts: number, now: number): void {
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
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flush();
  }
}
