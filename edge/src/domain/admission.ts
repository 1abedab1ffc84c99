import { SAFETY_KINDS, type DeviceConfig, type DeviceKind } from '@cr/shared';
import type { AdmissionStore, Approval } from '../store/admission-store';

/**
 * Kinds that can open doors or unlock a whole site: they wait for a person's approval (or a
 * commissioning window) before the edge acts on anything they say (CONTRACT.md §6).
 */
export const GATED_KINDS: ReadonlySet<DeviceKind> = SAFETY_KINDS;
/** Kinds that decide access for a zone: without one of the site's zones they wait, pending. */
const ZONED_KINDS: ReadonlySet<DeviceKind> = new Set<DeviceKind>(['door', 'reader']);

/**
 * Device admission. Threat: any client on the site LAN announcing itself as a reader that grants,
 * or a fire panel that unlocks every door. A gated device is `pending` until approved; during a
 * commissioning window every device that announces itself is approved at once.
 */
export class Admission {
  private windowUntil: number;
  /** devices whose zone is not one of the site's: placed in a removed zone, or claiming an unknown one */
  private readonly unplaced = new Set<string>();

  constructor(
    private readonly store: AdmissionStore,
    private readonly zones: SiteZoneBook,
    windowUntil = 0,
  ) {
    this.windowUntil = windowUntil;
  }

  /**
   * Where a device is: the zone a person placed it in, else the zone its config claims, as long as
   * the site has that zone (CONTRACT.md §6). A gated device whose zone is not one of the site's
   * stays pending until a person places it (or the zone is created).
   */
  place(claimed: DeviceConfig): DeviceConfig {
    const placed = this.store.get(claimed.id)?.zoneId;
    const wanted = placed ?? claimed.zoneId;
    const zoneId = wanted !== undefined && this.zones.has(wanted) ? wanted : undefined;
    // Only doors and readers open for a zone; a fire panel unlocks every door whatever its zone.
    if (wanted !== undefined && zoneId === undefined && ZONED_KINDS.has(claimed.kind)) this.unplaced.add(claimed.id);
    else this.unplaced.delete(claimed.id);
    if (zoneId === claimed.zoneId) return claimed;
    const { zoneId: _claimedZone, ...rest } = claimed;
    return zoneId === undefined ? (rest as DeviceConfig) : { ...claimed, zoneId };
  }

  forget(id: string): void {
    this.unplaced.delete(id);
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
    if (this.unplaced.has(id)) return 'pending';
    return this.store.get(id)?.state ?? 'pending';
  }

  /** A device announced itself: records it as pending, or approves it while the window is open. */
  announce(config: DeviceConfig, now: number): Promise<unknown> | void {
    if (!GATED_KINDS.has(config.kind) || this.store.get(config.id)?.state === 'approved') return;
    const state: Approval = this.windowOpen(now) ? 'approved' : 'pending';
    if (this.store.get(config.id)?.state === state) return;
    return this.store.put(config.id, { state, zoneId: undefined }, now);
  }

  /** A person approved the device, optionally placing it in a zone (else it keeps the zone it was placed in). */
  approve(id: string, zoneId: string | undefined, now: number): Promise<unknown> {
    return this.store.put(id, { state: 'approved', zoneId: zoneId ?? this.store.get(id)?.zoneId }, now);
  }

  /** A person moved the device to another zone; a pending device stays pending. */
  move(id: string, zoneId: string, now: number): Promise<unknown> {
    return this.store.put(id, { state: this.store.get(id)?.state ?? 'pending', zoneId }, now);
  }
}

/** The site's zones as admission needs them (store/site-zones.ts). */
export interface SiteZoneBook {
  has(zoneId: string): boolean;
}
