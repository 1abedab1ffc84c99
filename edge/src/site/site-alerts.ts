import { ALERT_TYPES, alertId, findUnresolved, pruneResolvedAlerts, raiseAlert, resolveAlert, type AlertType } from '@cr/shared';
import type * as Y from 'yjs';

export interface AlertCause {
  deviceId?: string;
  zoneId?: string;
  message?: string;
}

/**
 * Alerts the edge raises in the site document. Ids are deterministic (site, device or `edge`, type,
 * start time) so the cloud never creates a second alert for the same incident; an open alert of the
 * same type for the same device is never raised twice; when the cause clears the edge resolves it.
 */
export class SiteAlerts {
  constructor(
    private readonly doc: Y.Doc,
    private readonly siteId: string,
  ) {}

  /** Raises unless one is already open; returns the id of the open alert. */
  raise(type: AlertType, cause: AlertCause, startedAt: number): string {
    const open = findUnresolved(this.doc, { type, deviceId: cause.deviceId });
    if (open[0]) return open[0].id;
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

  /** Resolves every open alert of this type (for this device) as cleared by the edge. */
  clear(type: AlertType, deviceId: string | undefined, at: number, reason?: string): number {
    const open = findUnresolved(this.doc, { type, deviceId }).filter((a) => deviceId !== undefined || a.deviceId === undefined);
    this.doc.transact(() => {
      for (const a of open) resolveAlert(this.doc, a.id, { by: 'edge', at: Math.trunc(at), where: 'edge', reason });
    });
    return open.length;
  }

  isOpen(type: AlertType, deviceId?: string): boolean {
    return findUnresolved(this.doc, { type, deviceId }).length > 0;
  }

  /** Removes alerts resolved before `before` (with their acks, notes, assignments) to keep the document small. */
  prune(before: number): number {
    return pruneResolvedAlerts(this.doc, before);
  }
}
