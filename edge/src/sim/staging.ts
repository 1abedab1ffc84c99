import type { AccessResponse } from '@cr/shared';
import type { SimDevice } from './sim-device';

/** What staging needs of the simulated site (the Simulator provides it). */
export interface StagedSite {
  readonly devices: Map<string, SimDevice>;
  device(id: string, kind?: string): SimDevice;
  swipe(readerId: string, card: string): Promise<AccessResponse | undefined>;
  /** resolves once the door is shut, locked and past any grant */
  settle(door: SimDevice): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Readings a calm room returns to. */
const FRESH_AIR = { temperatureC: 22.5, humidityPct: 45, co2ppm: 650 };
/** The badge the staged "people come back" use (granted everywhere in the demo data). */
const STAFF_CARD = 'card-0001';

/**
 * Incidents staged on the simulated site so the edge's anomaly detections fire every time, and
 * only they: a zone or device with a staged incident is left alone by background traffic until
 * `calm` puts everything back (people badge back in, the air clears).
 */
export class Staging {
  private readonly zones = new Set<string>();

  constructor(private readonly sim: StagedSite) {}

  /** Whether background behaviour must leave this device alone. */
  leavesAlone(d: SimDevice): boolean {
    if (d.staged) return true;
    const zoneId = d.spec.kind === 'reader' ? this.sim.devices.get(d.spec.doorId ?? '')?.spec.zoneId : d.spec.zoneId;
    return zoneId !== undefined && this.zones.has(zoneId);
  }

  private inZone(zoneId: string, kind: string): SimDevice[] {
    return [...this.sim.devices.values()].filter((d) => d.spec.kind === kind && d.spec.zoneId === zoneId);
  }

  private motionSensors(zoneId: string): SimDevice[] {
    const pirs = this.inZone(zoneId, 'pir');
    if (pirs.length === 0) throw new Error(`zone ${zoneId} has no motion sensor on this simulated site`);
    return pirs;
  }

  /** Everyone leaves the zone; resolves once its doors are shut, locked and past any grant. */
  private async empty(zoneId: string): Promise<void> {
    const pirs = this.motionSensors(zoneId);
    this.zones.add(zoneId);
    const doors = this.inZone(zoneId, 'door');
    if (doors.some((d) => d.lock.unlocked)) throw new Error(`a door of ${zoneId} stands unlocked: lock it first`);
    await Promise.all(doors.map((d) => this.sim.settle(d)));
    for (const p of pirs) p.setState({ motion: false, occupancy: 0 });
  }

  /**
   * Unauthorized entry: the zone empties, stays quiet for `quietMs` (longer than the edge's
   * --zone-empty-ms), then someone moves in it without anyone having been granted in.
   */
  async intrude(zoneId: string, quietMs: number): Promise<void> {
    await this.empty(zoneId);
    await sleep(quietMs);
    const [pir] = this.motionSensors(zoneId);
    pir!.setState({ motion: true, occupancy: 1 });
    pir!.event('motion', { zoneId });
  }

  /** Tailgating: one badge at the door, two people walk in; resolves once they are counted. */
  async tailgate(doorId: string): Promise<void> {
    const door = this.sim.device(doorId, 'door');
    const reader = [...this.sim.devices.values()].find((d) => d.spec.kind === 'reader' && d.spec.doorId === doorId);
    if (!reader) throw new Error(`${doorId} has no reader`);
    const counters = this.inZone(door.spec.zoneId, 'camera').filter((c) => typeof c.state.in === 'number');
    if (counters.length === 0) throw new Error(`zone ${door.spec.zoneId} has no people counter on this simulated site`);
    const before = Number(counters[0]!.state.in);
    door.lock.followers = 1;
    const answer = await this.sim.swipe(reader.spec.id, STAFF_CARD);
    if (!answer?.granted) {
      door.lock.followers = 0;
      throw new Error(`${STAFF_CARD} was not granted at ${reader.spec.id} (${answer?.reason ?? 'no answer'})`);
    }
    for (let waited = 0; Number(counters[0]!.state.in) < before + 2; waited += 50) {
      if (waited > 5_000) throw new Error(`${doorId} did not open for the grant`);
      await sleep(50);
    }
  }

  /** Crowding: `people` are counted in the zone (more than its capacity, for the demo). */
  crowd(zoneId: string, people: number): void {
    const [first, ...rest] = this.motionSensors(zoneId);
    this.zones.add(zoneId);
    first!.setState({ motion: true, occupancy: people });
    for (const p of rest) p.setState({ motion: true, occupancy: 0 });
  }

  /** A stuffy room: the sensor reads CO2 far above the limit and stays there. */
  stuffy(envId: string): void {
    const env = this.sim.device(envId, 'env');
    env.staged = true;
    env.setState({ co2ppm: 2200 });
  }

  /** HVAC left running in a zone everyone left. */
  async hvacEmpty(zoneId: string): Promise<void> {
    const units = this.inZone(zoneId, 'hvac');
    if (units.length === 0) throw new Error(`zone ${zoneId} has no HVAC unit on this simulated site`);
    for (const u of units) u.setState({ on: true, mode: 'cool' });
    await this.empty(zoneId);
  }

  /** A flaky device: drops off the network and comes back `times` times. */
  async flap(deviceId: string, times: number): Promise<void> {
    const d = this.sim.device(deviceId);
    for (let i = 0; i < times; i++) {
      d.dropOffline();
      await sleep(150);
      await d.connect();
      await sleep(150);
    }
  }

  /** Everything staged returns to normal: people badge back into emptied or crowded zones, the air clears. */
  async calm(): Promise<void> {
    for (const zoneId of this.zones) {
      const reader = [...this.sim.devices.values()].find((d) => d.spec.kind === 'reader' && this.sim.devices.get(d.spec.doorId ?? '')?.spec.zoneId === zoneId);
      if (reader) await this.sim.swipe(reader.spec.id, STAFF_CARD);
      const [first, ...rest] = this.motionSensors(zoneId);
      first!.setState({ motion: true, occupancy: 1 });
      for (const p of rest) p.setState({ motion: false, occupancy: 0 });
      for (const door of this.inZone(zoneId, 'door')) door.lock.reserved = false;
    }
    this.zones.clear();
    for (const d of this.sim.devices.values()) {
      if (!d.staged) continue;
      d.staged = false;
      if (d.spec.kind === 'env') d.setState(FRESH_AIR);
    }
  }
}
