import type { DeviceConfig, DeviceKind } from '@cr/shared';
import type { AdmissionStore, Approval } from '../store/admission-store';

/**
 * Kinds that can open doors or unlock a whole site: they wait for a person's approval (or a
 * commissioning window) before the edge acts on anything they say (CONTRACT.md §6).
 */
export const GATED_KINDS: ReadonlySet<DeviceKind> = new Set<DeviceKind>(['door', 'reader', 'fire-panel']);

/**
 * Device admission. Threat: any client on the site LAN announcing itself as a reader that grants,
 * or a fire panel that unlocks every door. A gated device is `pending` until approved; during a
 * commissioning window every device that announces itself is approved at once.
 */
export class Admission {
  private windowUntil: number;

  constructor(
    private readonly store: AdmissionStore,
    windowUntil = 0,
  ) {
    this.windowUntil = windowUntil;
  }

  openWindow(until: number): void {
    this.windowUntil = until;
  }

  windowOpen(now: number): boolean {
    return now < this.windowUntil;
  }

  /** The device's approval; non-gated kinds need none. */
  approval(id: string, kind: DeviceKind): Approval {
    if (!GATED_KINDS.has(kind)) return 'approved';
    return this.store.get(id)?.state ?? 'pending';
  }

  /** A device announced itself: records it as pending, or approves it while the window is open. */
  announce(config: DeviceConfig, now: number): Promise<unknown> | void {
    if (!GATED_KINDS.has(config.kind) || this.store.get(config.id)?.state === 'approved') return;
    const state: Approval = this.windowOpen(now) ? 'approved' : 'pending';
    if (this.store.get(config.id)?.state === state) return;
    return this.store.put(config.id, { state, zoneId: undefined }, now);
  }

  /** A person approved the device, optionally placing it in a zone. */
  approve(id: string, zoneId: string | undefined, now: number): Promise<unknown> {
    return this.store.put(id, { state: 'approved', zoneId }, now);
  }

  /** The zone a person placed the device in, if any. */
  placedZone(id: string): string | undefined {
    return this.store.get(id)?.zoneId;
  }
}
