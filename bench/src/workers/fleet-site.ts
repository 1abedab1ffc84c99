import * as Y from 'yjs';
import { siteDocName, type DemoDevice, type SiteEvent } from '@cr/shared';
import { SiteWriter } from '@cr/edge/src/site/site-writer';
import { DocSync } from '@cr/edge/src/uplink/doc-sync';
import { Occupancy } from '@cr/edge/src/domain/occupancy';
import { parseEdgeConfig } from '@cr/edge/src/config';
import { driftState, initialState, randomCard } from '@cr/edge/src/sim/behaviour';
import { benchSite } from '../harness/site-plan';
import type { SimulatedEdge } from './simulated-edge';

/** As the simulator (`npm run sim`, `--state-ms` default): every device reports its whole state this often. */
const STATE_MS = 30_000;
/** The lock's cycle after a grant, as the simulator's lock: open after 200 ms, shut after 1.5 s, locked after 5 s. */
const OPEN_AFTER_MS = 200;
const SHUT_AFTER_MS = 1_500;
const RELOCK_AFTER_MS = 5_000;
/** The probe door changes this often: never within the edge's state throttle, so each change is written at once. */
export const PROBE_EVERY_MS = 1_200;

interface Device {
  spec: DemoDevice;
  state: Record<string, unknown>;
  /** the door a reader opens; for doors, when the last grant was */
  grantedAt?: number;
}

/** Counts of what one site did, summed by the fleet. */
export interface SiteCounts {
  swipes: number;
  motion: number;
  readings: number;
  stateReports: number;
  probes: number;
}

/**
 * One site as the edge runs it, seen from the cloud: the edge's own SiteWriter (durable state into
 * the document with its per-device throttle, readings into the live telemetry, occupancy) and the
 * edge's own DocSync (document sync, telemetry as the gateway's awareness) wired as the edge's
 * uplink wires them, and events up the edge link. Devices behave as the simulator's: the traffic mix of
 * `Simulator.oneEvent` (30 % swipes, 40 % motion, 30 % sensor readings), a full state report from
 * every device every 30 s, and a granted swipe cycles the door's lock and counts a person in.
 */
export class FleetSite {
  readonly doc = new Y.Doc();
  readonly writer: SiteWriter;
  private readonly sync: DocSync;
  private detachTelemetry?: () => void;
  private readonly occupancy = new Occupancy();
  private readonly devices = new Map<string, Device>();
  private readonly readers: Device[];
  private readonly pirs: Device[];
  private readonly sensors: Device[];
  /** a door background swipes leave alone (as the simulator reserves doors): the latency probe */
  readonly probeDoor: Device;
  readonly counts: SiteCounts = { swipes: 0, motion: 0, readings: 0, stateReports: 0, probes: 0 };
  private credit = 0;
  private nextReport?: number;
  private nextProbe?: number;

  constructor(
    readonly siteId: string,
    private readonly index: number,
    cloudUrl: string,
    token: string,
    private readonly link: Pick<SimulatedEdge, 'record' | 'close'>,
    private readonly rand: () => number = Math.random,
    readings: 'telemetry' | 'document' = 'telemetry',
  ) {
    const config = parseEdgeConfig(['--site', siteId]);
    this.writer = new SiteWriter(this.doc, siteId, config.stateWriteMs, undefined, readings);
    this.sync = new DocSync(cloudUrl, siteDocName(config.tenantId, siteId), this.doc, token, config.reconnectMaxMs);
    for (const spec of benchSite(siteId, index).devices) this.devices.set(spec.id, { spec, state: initialState(spec.kind) });
    const byKind = (...kinds: string[]): Device[] => [...this.devices.values()].filter((d) => kinds.includes(d.spec.kind));
    this.probeDoor = byKind('door')[0]!;
    this.readers = byKind('reader').filter((r) => r.spec.doorId && r.spec.doorId !== this.probeDoor.spec.id);
    this.pirs = byKind('pir');
    this.sensors = byKind('env', 'power', 'pir');
  }

  get synced(): boolean {
    return this.sync.synced;
  }

  /**
   * Devices come online and report their first state, as on the edge's start. As the edge's uplink,
   * live readings are announced as the gateway's presence on the document sync (attached here, on
   * the open connection).
   */
  announce(now = Date.now()): void {
    this.detachTelemetry ??= this.writer.telemetry.attach(this.sync.awareness);
    for (const d of this.devices.values()) {
      this.writer.upsertDevice({ id: d.spec.id, kind: d.spec.kind, name: d.spec.name, zoneId: d.spec.zoneId, ...(d.spec.doorId ? { doorId: d.spec.doorId } : {}) } as Parameters<SiteWriter['upsertDevice']>[0], now);
      this.writer.setAvailability(d.spec.id, true, now);
      this.report(d, now);
    }
  }

  /** One 100 ms tick: `rate / 10` events (credit carried), lock cycles, due state reports and the probe. */
  tick(rate: number, now = Date.now()): void {
    // Sites do not report in step: each has its own phase of the 30 s cycle and of the probe.
    this.nextReport ??= now + ((this.index * 977) % STATE_MS);
    this.nextProbe ??= now + ((this.index * 61) % PROBE_EVERY_MS);
    this.credit += rate / 10;
    const events: SiteEvent[] = [];
    for (; this.credit >= 1; this.credit--) this.oneEvent(events, now);
    if (events.length > 0) this.link.record(events);
    for (const r of this.readers) this.cycleLock(this.devices.get(r.spec.doorId!)!, now);
    if (now >= this.nextReport) {
      this.nextReport += STATE_MS;
      for (const d of this.devices.values()) {
        const drift = driftState(d.spec.kind, d.state, this.rand);
        if (drift) d.state = { ...d.state, ...drift };
        this.report(d, now);
      }
    }
    if (now >= this.nextProbe) {
      this.nextProbe = now + PROBE_EVERY_MS;
      this.counts.probes++;
      this.setState(this.probeDoor, { locked: !this.probeDoor.state.locked, open: false }, now);
    }
  }

  private oneEvent(events: SiteEvent[], now: number): void {
    const r = this.rand();
    const pick = (list: Device[]): Device => list[Math.floor(this.rand() * list.length)]!;
    if (r < 0.3) return this.swipe(pick(this.readers), events, now);
    if (r < 0.7) {
      const pir = pick(this.pirs);
      this.counts.motion++;
      events.push({ id: crypto.randomUUID(), type: 'motion', ts: now, deviceId: pir.spec.id, data: { zoneId: pir.spec.zoneId } });
      return;
    }
    const sensor = pick(this.sensors);
    const drift = driftState(sensor.spec.kind, sensor.state, this.rand);
    if (!drift) return;
    this.counts.readings++;
    this.setState(sensor, { ...sensor.state, ...drift }, now);
  }

  /** The edge decides (demo cards are granted), records the decision and pulses the door. */
  private swipe(reader: Device, events: SiteEvent[], now: number): void {
    this.counts.swipes++;
    const card = randomCard(this.rand);
    const granted = !card.startsWith('card-unknown');
    const door = this.devices.get(reader.spec.doorId!)!;
    const data = { reason: granted ? 'granted' : 'unknown-credential', doorId: door.spec.id, zoneId: reader.spec.zoneId, credentialType: 'card' };
    events.push({ id: crypto.randomUUID(), type: granted ? 'access.granted' : 'access.denied', ts: now, deviceId: reader.spec.id, data });
    if (!granted) return;
    door.grantedAt = now;
    this.cycleLock(door, now);
    // The person walks in: the zone's people counters count them (Simulator.walkThrough).
    for (const cam of this.devices.values()) {
      if (cam.spec.kind === 'camera' && cam.spec.zoneId === door.spec.zoneId) this.setState(cam, { ...cam.state, in: Number(cam.state.in) + 1 }, now);
    }
  }

  /** The lock's state for the time since its last grant; a change is reported as the door does. */
  private cycleLock(door: Device, now: number): void {
    if (door.grantedAt === undefined) return;
    const since = now - door.grantedAt;
    const next = since >= RELOCK_AFTER_MS ? { locked: true, open: false } : { locked: false, open: since >= OPEN_AFTER_MS && since < SHUT_AFTER_MS };
    if (next.locked === door.state.locked && next.open === door.state.open) return;
    if (next.locked) door.grantedAt = undefined;
    this.setState(door, next, now);
  }

  private report(d: Device, now: number): void {
    this.counts.stateReports++;
    this.setState(d, d.state, now);
  }

  /** What the edge's gateway does with a device's state (gateway/devices.ts handleState): the document's part. */
  private setState(d: Device, state: Record<string, unknown>, now: number): void {
    d.state = state;
    this.writer.setState(d.spec.id, d.spec.kind, { ...state, ts: now }, now, now);
    if (d.spec.kind === 'pir') {
      const zone = this.occupancy.report(d.spec.id, d.spec.zoneId, state.occupancy as number | undefined);
      if (zone) this.writer.setOccupancy(zone.zoneId, zone.total, now);
    }
  }

  close(): void {
    this.detachTelemetry?.();
    this.writer.close();
    this.sync.destroy();
    this.link.close();
  }
}
