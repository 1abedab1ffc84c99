import { ALERT_TYPES, alertId, findActive, findUnresolved, markAlertCause, pruneResolvedAlerts, raiseAlert, type AlertType } from '@cr/shared';
import type * as Y from 'yjs';

export interface AlertCause {
  deviceId?: string;
  zoneId?: string;
  message?: string;
}

/**
 * Alerts the edge raises in the site document. Ids are deterministic (site, device or `edge`, type,
 * start time) so the cloud never creates a second alert for the same incident; an open alert of the
 * same type for the same device is never raised twice. Alarms latch: when the cause clears the edge
 * says so on the alert, which stays open until a person resolves it; a cause that comes back while
 * the alert is unresolved is marked active again on the same alert.
 */
export class SiteAlerts {
  constructor(
    private readonly doc: Y.Doc,
    private readonly siteId: string,
  ) {}

  /** Raises unless one is already open; returns the id of the open alert. */
  raise(type: AlertType, cause: AlertCause, startedAt: number): string {
    const open = findUnresolved(this.doc, { type, deviceId: cause.deviceId });
    if (open[0]) {
      if (open[0].causeCleared) markAlertCause(this.doc, open[0].id, { state: 'active', by: 'edge', at: Math.trunc(startedAt), ...(cause.message ? { reason: cause.message.slice(0, 500) } : {}) });
      return open[0].id;
    }
    const id = alertId(this.siteId, cause.deviceId ?? 'edge', type, startedAt);
    raiseAlert(this.doc, {
      id,
      siteId: this.siteId,
      type,
      severity: ALERT_TYPES[type].severity,
      raisedAt: Math.trunc(startedAt),
      deviceId: cause.deviceId,
      zoneId: cause.zoneId,
      message: cause.message?.slice(0, 500),
      source: 'edge',
    });
    return id;
  }

  /** Marks the cause of every unresolved alert of this type (for this device) cleared; returns how many it marked. */
  clear(type: AlertType, deviceId: string | undefined, at: number, reason?: string): number {
    const open = findUnresolved(this.doc, { type, deviceId }).filter((a) => !a.causeCleared && (deviceId !== undefined || a.deviceId === undefined));
    this.doc.transact(() => {
      for (const a of open) markAlertCause(this.doc, a.id, { state: 'cleared', by: 'edge', at: Math.trunc(at), ...(reason ? { reason } : {}) });
    });
    return open.length;
  }

  /**
   * Raises an alarm about a zone rather than a device (one unresolved per type and zone), with the
   * zone in its id; a cause that comes back while it is unresolved is marked active again on it.
   */
  raiseInZone(type: AlertType, zoneId: string, message: string, startedAt: number): string {
    const [open] = this.unresolvedInZone(type, zoneId);
    if (open) {
      if (open.causeCleared) markAlertCause(this.doc, open.id, { state: 'active', by: 'edge', at: Math.trunc(startedAt), reason: message.slice(0, 500) });
      return open.id;
    }
    const id = alertId(this.siteId, zoneId, type, startedAt);
    raiseAlert(this.doc, { id, siteId: this.siteId, type, severity: ALERT_TYPES[type].severity, raisedAt: Math.trunc(startedAt), zoneId, message: message.slice(0, 500), source: 'edge' });
    return id;
  }

  /** Marks the cause of the zone's unresolved alarm of this type cleared. */
  clearInZone(type: AlertType, zoneId: string, at: number, reason?: string): number {
    const open = this.unresolvedInZone(type, zoneId).filter((a) => !a.causeCleared);
    this.doc.transact(() => {
      for (const a of open) markAlertCause(this.doc, a.id, { state: 'cleared', by: 'edge', at: Math.trunc(at), ...(reason ? { reason } : {}) });
    });
    return open.length;
  }

  private unresolvedInZone(type: AlertType, zoneId: string) {
    return findUnresolved(this.doc, { type }).filter((a) => a.zoneId === zoneId && a.deviceId === undefined);
  }

  /** Whether an alert of this type (for this device) is unresolved with its cause still present. */
  isOpen(type: AlertType, deviceId?: string): boolean {
    return findActive(this.doc, { type, deviceId }).length > 0;
  }

  /** Removes alerts resolved before `before` (with their acks, notes, assignments) to keep the document small. */
  prune(before: number): number {
    return pruneResolvedAlerts(this.doc, before);
  }
}
