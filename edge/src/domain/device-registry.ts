import type { DeviceConfig } from '@cr/shared';

export interface DeviceRecord {
  /** the device as the site places it (its zone one of the site's) */
  config: DeviceConfig;
  /** the config the device itself announced */
  claimed: DeviceConfig;
  /** last availability the device (or its last will) announced */
  availability?: 'online' | 'offline';
  lastSeenAt: number;
  /** true once any message other than config arrived */
  heard: boolean;
  /** what the edge last reported (undefined until known) */
  reportedOnline?: boolean;
}

export type UpsertResult = 'added' | 'updated' | 'unchanged' | 'full';

export interface AvailabilityChange {
  deviceId: string;
  online: boolean;
  /** online again after having been reported offline (not merely heard for the first time) */
  returned: boolean;
}

/**
 * Devices of the site as discovered from retained config messages, with their health: a device
 * is online when it announced so and has been heard from within the staleness limit.
 */
export class DeviceRegistry {
  private readonly devices = new Map<string, DeviceRecord>();

  constructor(private readonly maxDevices: number) {}

  get size(): number {
    return this.devices.size;
  }

  upsert(config: DeviceConfig, now: number, claimed: DeviceConfig = config): UpsertResult {
    const cur = this.devices.get(config.id);
    if (!cur) {
      if (this.devices.size >= this.maxDevices) return 'full';
      this.devices.set(config.id, { config, claimed, lastSeenAt: now, heard: false });
      return 'added';
    }
    cur.claimed = claimed;
    if (JSON.stringify(cur.config) === JSON.stringify(config)) return 'unchanged';
    cur.config = config;
    return 'updated';
  }

  remove(id: string): boolean {
    return this.devices.delete(id);
  }

  get(id: string): DeviceRecord | undefined {
    return this.devices.get(id);
  }

  all(): DeviceRecord[] {
    return [...this.devices.values()];
  }

  doorIds(): string[] {
    return this.all()
      .filter((d) => d.config.kind === 'door')
      .map((d) => d.config.id);
  }

  /** The door a reader opens and that door's zone (the zone access is decided for). */
  doorOfReader(readerId: string): { doorId: string; zoneId: string | undefined } | undefined {
    const reader = this.devices.get(readerId)?.config;
    if (!reader || reader.kind !== 'reader' || !reader.doorId) return undefined;
    const door = this.devices.get(reader.doorId)?.config;
    if (!door || door.kind !== 'door') return undefined;
    return { doorId: door.id, zoneId: door.zoneId ?? reader.zoneId };
  }

  seen(id: string, now: number): void {
    const d = this.devices.get(id);
    if (!d) return;
    d.lastSeenAt = Math.max(d.lastSeenAt, now);
    d.heard = true;
  }

  setAvailability(id: string, availability: 'online' | 'offline', now: number): void {
    const d = this.devices.get(id);
    if (!d) return;
    d.availability = availability;
    if (availability === 'online') this.seen(id, now);
  }

  /** online, offline, or undefined while nothing is known yet (no false alarm at start-up). */
  effectiveOnline(d: DeviceRecord, now: number, staleMs: number): boolean | undefined {
    if (d.availability === 'offline') return false;
    if (now - d.lastSeenAt > staleMs) return false;
    return d.availability === 'online' || d.heard ? true : undefined;
  }

  /** Devices whose effective availability changed since last reported. */
  sweep(now: number, staleMs: number): AvailabilityChange[] {
    const changes: AvailabilityChange[] = [];
    for (const d of this.devices.values()) {
      const online = this.effectiveOnline(d, now, staleMs);
      if (online === undefined || online === d.reportedOnline) continue;
      changes.push({ deviceId: d.config.id, online, returned: online && d.reportedOnline === false });
      d.reportedOnline = online;
    }
    return changes;
  }

  onlineCount(): number {
    return this.all().filter((d) => d.reportedOnline === true).length;
  }
}
