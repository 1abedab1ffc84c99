import type { ReportedDevice } from '@cr/shared';
import type { AvailabilityTransition } from '../store/device-availability-store';
import type { DeviceAvailabilityPort } from '../store/ports';
import { defaultCloudLog, type CloudLog } from '../log';
import type { SiteDevices } from './site-devices';
import type { SiteStatusService } from './site-status';

const DAY_MS = 86_400_000;
/** How long availability history is kept. */
export const AVAILABILITY_RETENTION_MS = 30 * DAY_MS;
/** Most transitions kept per device (a device flapping all day must not grow the table without end). */
export const MAX_TRANSITIONS_PER_DEVICE = 2_000;
/** The window the device health view shows. */
export const HISTORY_WINDOW_MS = 7 * DAY_MS;
const PRUNE_EVERY_MS = 3_600_000;

/** A span of one availability state; `to` absent while it lasts. */
export interface AvailabilitySpan {
  from: number;
  to?: number;
  state: 'online' | 'offline';
}

const key = (tenantId: string, siteId: string): string => `${tenantId}/${siteId}`;

/**
 * Each device's availability over time as the cloud sees it: a device is online when its edge
 * reports it so and the site's link is up. Every change (a report, the site's link lost or back) is
 * recorded once as a transition; what was recorded last per device is read from the store the
 * first time a site is seen, so a restart records nothing twice. Changes of one site are written
 * one after another.
 */
export class DeviceAvailability {
  private readonly known = new Map<string, Map<string, AvailabilityTransition>>();
  private readonly queues = new Map<string, Promise<void>>();
  private prunedAt = 0;

  constructor(
    private readonly store: DeviceAvailabilityPort,
    private readonly log: CloudLog = defaultCloudLog(),
  ) {}

  /** The site's devices as they stand at `at`; records those whose availability changed. Never rejects. */
  observe(tenantId: string, siteId: string, devices: readonly ReportedDevice[], siteOnline: boolean, at: number): Promise<void> {
    const k = key(tenantId, siteId);
    const next = (this.queues.get(k) ?? Promise.resolve())
      .then(() => this.record(tenantId, siteId, devices, siteOnline, at))
      .catch((err: Error) => {
        // What is known of the site is read again from the store next time.
        this.known.delete(k);
        this.log.error({ tenantId, siteId }, `device availability: ${siteId} not recorded: ${err.message}`);
      });
    this.queues.set(k, next);
    void next.then(() => {
      if (this.queues.get(k) === next) this.queues.delete(k);
    });
    return next;
  }

  /** Another instance may have recorded the site meanwhile (its link moved): read it again next time. */
  forget(tenantId: string, siteId: string): void {
    this.known.delete(key(tenantId, siteId));
  }

  private async record(tenantId: string, siteId: string, devices: readonly ReportedDevice[], siteOnline: boolean, at: number): Promise<void> {
    const k = key(tenantId, siteId);
    let known = this.known.get(k);
    if (!known) {
      known = new Map((await this.store.latest(tenantId, siteId)).map((t) => [t.deviceId, t]));
      this.known.set(k, known);
    }
    const changes: AvailabilityTransition[] = [];
    for (const d of devices) {
      const online = d.online && siteOnline;
      const last = known.get(d.id);
      // Strictly after the last one: two changes within a millisecond stay two.
      if (last?.online !== online) changes.push({ deviceId: d.id, at: Math.max(at, (last?.at ?? -1) + 1), online });
    }
    if (changes.length > 0) await this.store.append(tenantId, siteId, changes, MAX_TRANSITIONS_PER_DEVICE);
    for (const c of changes) known.set(c.deviceId, c);
    if (at - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = at;
      await this.store.deleteBefore(at - AVAILABILITY_RETENTION_MS);
    }
  }

  /** The device's availability over the `HISTORY_WINDOW_MS` before `now`, and the share of it online. */
  async history(tenantId: string, siteId: string, deviceId: string, now: number): Promise<{ availability: AvailabilitySpan[]; uptimePct: number | null }> {
    await this.queues.get(key(tenantId, siteId));
    const start = now - HISTORY_WINDOW_MS;
    return spansOf(await this.store.since(tenantId, siteId, deviceId, start), start, now);
  }
}

/** The history fed by every changed report this instance stored, and every site link that came or went. */
export function watchAvailability(
  store: DeviceAvailabilityPort,
  devices: Pick<SiteDevices, 'onReported' | 'reported'>,
  status: Pick<SiteStatusService, 'onLinkChanged' | 'isOnline'>,
  log?: CloudLog,
): DeviceAvailability {
  const availability = new DeviceAvailability(store, log);
  devices.onReported((t, s, report) => void availability.observe(t, s, report.devices, status.isOnline(t, s), report.reportedAt));
  status.onLinkChanged((t, s, online, at) => {
    if (online) availability.forget(t, s);
    void availability.observe(t, s, devices.reported(t, s) ?? [], online, at);
  });
  return availability;
}

/** Transitions (oldest first) as spans clipped to [start, now], and the percentage of the known time online. */
export function spansOf(transitions: readonly AvailabilityTransition[], start: number, now: number): { availability: AvailabilitySpan[]; uptimePct: number | null } {
  const availability: AvailabilitySpan[] = [];
  let known = 0;
  let up = 0;
  transitions.forEach((t, i) => {
    const from = Math.max(t.at, start);
    const end = transitions[i + 1]?.at;
    const to = Math.min(end ?? now, now);
    if (to <= from && end !== undefined) return;
    availability.push({ from, ...(end !== undefined ? { to } : {}), state: t.online ? 'online' : 'offline' });
    known += Math.max(0, to - from);
    if (t.online) up += Math.max(0, to - from);
  });
  return { availability, uptimePct: known > 0 ? Math.round((up / known) * 1000) / 10 : null };
}
