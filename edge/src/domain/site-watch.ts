import type { WatchConfig } from '../config-watch';
import { EnvironmentWatch } from './environment-watch';
import { DeviceHealth } from './device-health';
import { Flapping } from './flapping';
import { HvacWatch } from './hvac-watch';
import { PowerWatch } from './power-watch';
import { Tailgating } from './tailgating';
import { UnauthorizedEntry } from './unauthorized-entry';
import { ZoneCapacity } from './zone-capacity';
import { ZonePresence } from './zone-presence';

/** The edge's anomaly detections of one site, each pure, fed by the gateway from device traffic and its tick. */
export class SiteWatch {
  readonly presence = new ZonePresence();
  readonly entry: UnauthorizedEntry;
  readonly tailgating: Tailgating;
  /** undefined: no zone has a capacity, crowding is not watched */
  readonly capacity?: ZoneCapacity;
  readonly environment: EnvironmentWatch;
  readonly hvac: HvacWatch;
  readonly power: PowerWatch;
  readonly flapping: Flapping;
  /** errors and battery per device, for the device report */
  readonly health = new DeviceHealth();

  constructor(config: WatchConfig) {
    this.entry = new UnauthorizedEntry(this.presence, config.zoneEmptyMs);
    this.tailgating = new Tailgating(config.tailgateWindowMs);
    if (config.zoneCapacities) this.capacity = new ZoneCapacity(config.zoneCapacities);
    this.environment = new EnvironmentWatch({
      co2MaxPpm: config.co2MaxPpm,
      co2SustainMs: config.co2SustainMs,
      temperatureC: config.temperatureC,
      temperatureSustainMs: config.temperatureSustainMs,
      humidityPct: config.humidityPct,
      humiditySustainMs: config.humiditySustainMs,
    });
    this.hvac = new HvacWatch({ emptyZoneMs: config.hvacEmptyMs, setpointMs: config.hvacSetpointMs });
    this.power = new PowerWatch(config.powerMaxWatts, config.powerSustainMs);
    this.flapping = new Flapping(config.flapCount, config.flapWindowMs);
  }

  /** The finest time any detection needs to be looked at (a quarter of its shortest limit). */
  static resolution(config: WatchConfig): number {
    const limits = [config.zoneEmptyMs, config.tailgateWindowMs, config.co2SustainMs, config.temperatureSustainMs, config.humiditySustainMs, config.hvacEmptyMs, config.hvacSetpointMs, config.powerSustainMs];
    return Math.min(...limits) / 4;
  }

  forget(deviceId: string, now: number): void {
    this.presence.forget(deviceId, now);
    this.tailgating.forget(deviceId);
    this.environment.forget(deviceId);
    this.hvac.forget(deviceId);
    this.power.forget(deviceId);
    this.flapping.forget(deviceId);
    this.health.forget(deviceId);
  }
}
