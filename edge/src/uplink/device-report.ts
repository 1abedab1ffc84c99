import type { EdgeToCloud, ReportedDevice } from '@cr/shared';

/** How long a burst of changes (a device joining with its state, a sweep) is gathered into one report. */
export const DEVICE_REPORT_DEBOUNCE_MS = 500;

/** How stale a device's `lastSeenAt` at the cloud may grow when nothing else about it changed. */
export const LAST_SEEN_REPORT_MS = 300_000;

const withoutLastSeen = (devices: ReportedDevice[]): string => JSON.stringify(devices.map(({ lastSeenAt: _, ...d }) => d));

/**
 * Tells the cloud the site's device list (id, kind, zone, health, approval, firmware): the
 * server's record of the site's inventory, which a console's copy in the site document is not. The
 * whole list goes after every welcome and, debounced, after every change; a list equal to the last
 * one sent on this connection is not sent again. A list that differs only in when devices were
 * last heard goes at most every `LAST_SEEN_REPORT_MS`: busy devices do not cost a report a minute.
 */
export class DeviceReporter {
  private lastSent?: string;
  private lastFull?: string;
  private lastSentAt = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly list: () => ReportedDevice[],
    /** sends on the live link; false while there is none */
    private readonly send: (msg: EdgeToCloud) => boolean,
    private readonly now: () => number,
    private readonly debounceMs = DEVICE_REPORT_DEBOUNCE_MS,
  ) {}

  /** A new connection was welcomed: the cloud gets the whole list at once. */
  onWelcome(): void {
    this.lastSent = undefined;
    this.flush();
  }

  onDown(): void {
    this.lastSent = undefined;
    this.cancel();
  }

  /** Something about a device changed: report within `debounceMs`. */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.debounceMs);
    this.timer.unref?.();
  }

  /** Sends the list if it differs from the last one sent on this connection. */
  flush(): void {
    const devices = this.list();
    const text = withoutLastSeen(devices);
    const now = this.now();
    if (text === this.lastSent && now - this.lastSentAt < LAST_SEEN_REPORT_MS) return;
    if (text === this.lastSent && JSON.stringify(devices) === this.lastFull) return;
    if (!this.send({ type: 'devices', devices, ts: now })) return;
    this.lastSent = text;
    this.lastFull = JSON.stringify(devices);
    this.lastSentAt = now;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
