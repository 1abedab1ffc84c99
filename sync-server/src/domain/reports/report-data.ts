import { SiteDoc, siteDocName, type AlertView, type DeviceView } from '@cr/shared';
import type { DocRegistry } from '../../sync/doc-registry';
import type { SiteRecord } from '../../store/tenants-store';
import type { CommandsPort, EventsPort } from '../../store/ports';

export interface AlertTypeFigures {
  type: string;
  count: number;
  /** mean seconds from raise to first acknowledgement (acknowledged ones only) */
  meanAckSec?: number;
  meanResolveSec?: number;
}

/** One site's figures for a report period. */
export interface SiteReport {
  siteId: string;
  siteName: string;
  accessGranted: number;
  accessDenied: number;
  alerts: AlertTypeFigures[];
  commands: Record<string, number>;
  /** mean share of the period devices were online, 0…100 */
  deviceUptimePct: number;
  devices: number;
}

const mean = (xs: number[]): number | undefined =>
  xs.length === 0 ? undefined : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length / 100) / 10;

export function alertFigures(alerts: AlertView[], from: number, to: number): AlertTypeFigures[] {
  const byType = new Map<string, AlertView[]>();
  for (const a of alerts)
    if (a.raisedAt >= from && a.raisedAt < to) byType.set(a.type, [...(byType.get(a.type) ?? []), a]);
  return [...byType.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, list]) => {
      const ack = mean(list.filter((a) => a.acks[0]).map((a) => a.acks[0]!.at - a.raisedAt));
      const res = mean(list.filter((a) => a.resolutions[0]).map((a) => a.resolutions[0]!.at - a.raisedAt));
      return {
        type,
        count: list.length,
        ...(ack !== undefined ? { meanAckSec: ack } : {}),
        ...(res !== undefined ? { meanResolveSec: res } : {}),
      };
    });
}

/**
 * Mean device uptime over [from, to): each device's online/offline transitions from the event
 * log; a device without transitions counts by its current availability.
 */
export function uptimePct(
  devices: DeviceView[],
  transitions: Array<{ deviceId: string | null; type: string; ts: number }>,
  from: number,
  to: number,
): number {
  if (devices.length === 0) return 100;
  const span = Math.max(1, to - from);
  let total = 0;
  for (const d of devices) {
    const own = transitions.filter((t) => t.deviceId === d.id);
    if (own.length === 0) {
      total += d.online ? 100 : 0;
      continue;
    }
    let online = own[0]!.type === 'device.offline';
    let since = from;
    let up = 0;
    for (const t of own) {
      if (online) up += t.ts - since;
      online = t.type === 'device.online';
      since = t.ts;
    }
    if (online) up += to - since;
    total += (100 * up) / span;
  }
  return Math.round((total / devices.length) * 10) / 10;
}

export async function siteReport(
  deps: { events: EventsPort; commandsStore: CommandsPort; docs: DocRegistry },
  site: SiteRecord,
  from: number,
  to: number,
): Promise<SiteReport> {
  const counts = await deps.events.countByType(site.tenantId, site.id, from, to);
  const { alerts, devices } = await deps.docs.read(siteDocName(site.tenantId, site.id), (doc) => {
    const sd = new SiteDoc(doc);
    return { alerts: sd.alerts(), devices: sd.devices() };
  });
  const transitions = await deps.events.deviceTransitions(site.tenantId, site.id, from, to);
  return {
    siteId: site.id,
    siteName: site.name,
    accessGranted: counts.get('access.granted') ?? 0,
    accessDenied: counts.get('access.denied') ?? 0,
    alerts: alertFigures(alerts, from, to),
    commands: Object.fromEntries(await deps.commandsStore.countByStatus(site.tenantId, site.id, from, to)),
    deviceUptimePct: uptimePct(devices, transitions, from, to),
    devices: devices.length,
  };
}
