import { randomUUID } from 'node:crypto';
import { accessResponseSchema, deviceCommandSchema, type AccessResponse } from '@cr/shared';
import { SimDevice } from './sim-device';
import { sitePlan } from './site-plan';
import { driftState, initialState, randomCard } from './behaviour';
import { AUTH_GRACE_MS } from '../domain/door-safety';
import { Staging } from './staging';
import { FirmwareInstaller } from './firmware-installer';

/** How long a staged forced opening waits at most for the door to be shut, locked and past any grant. */
const FORCE_SETTLE_MS = 15_000;
/** Longer than a command takes from the edge to a lock on the site's broker. */
const COMMAND_IN_FLIGHT_MS = 500;

export interface SimOptions {
  siteId: string;
  mqttUrl: string;
  devices?: number;
  /** events per second across the whole site (swipes, motion, readings); 0 = only on demand */
  rate: number;
  stateMs: number;
}

/** A whole simulated site: devices, their behaviour, and the actions tests and demos trigger. */
export class Simulator {
  readonly devices = new Map<string, SimDevice>();
  private readonly waiting = new Map<string, (r: AccessResponse) => void>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly rand = Math.random;
  /** incidents staged on zones and devices (intrusion, tailgating, crowding, climate, HVAC, flapping) */
  readonly staging = new Staging(this);
  /** over-the-air updates: devices install what the edge offers, or fail on demand */
  readonly firmware = new FirmwareInstaller();

  constructor(private readonly opts: SimOptions) {
    for (const spec of sitePlan(opts.siteId, opts.devices)) {
      this.devices.set(spec.id, new SimDevice(opts.siteId, spec, opts.mqttUrl, initialState(spec.kind), (d, ch, p) => this.onMessage(d, ch, p)));
    }
  }

  async start(): Promise<void> {
    await Promise.all([...this.devices.values()].map((d) => d.connect()));
    this.timers.push(setInterval(() => this.publishStates(), this.opts.stateMs));
    if (this.opts.rate > 0) this.startTraffic();
  }

  private onMessage(device: SimDevice, channel: string, payload: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString());
    } catch {
      return;
    }
    if (channel === 'ota') return this.firmware.install(device, json);
    if (channel === 'access/response') {
      const r = accessResponseSchema.safeParse(json);
      if (r.success) this.waiting.get(r.data.requestId)?.(r.data);
      return;
    }
    if (channel !== 'cmd' || device.spec.kind !== 'door') return;
    const cmd = deviceCommandSchema.safeParse(json);
    if (!cmd.success) return;
    this.actOnLock(device, cmd.data.id, cmd.data.action, cmd.data.expiresAt, cmd.data.durationMs);
  }

  /** A lock: unlock stays unlocked, lock locks, pulse-unlock unlocks and someone walks through. */
  private actOnLock(door: SimDevice, id: string, action: string, expiresAt: number, durationMs = 5_000): void {
    const result = (ok: boolean, error?: string): void => door.publish('cmd/result', JSON.stringify({ id, ok, error, ts: Date.now() }));
    if (expiresAt < Date.now()) return result(false, 'command expired');
    if (action === 'unlock') door.setState({ locked: false });
    else if (action === 'lock') door.setState({ locked: true });
    else if (action === 'pulse-unlock') {
      door.lock.pulseUntil = Math.max(door.lock.pulseUntil, Date.now() + durationMs);
      door.setState({ locked: false });
      this.later(200, () => {
        if (door.state.locked === false) door.setState({ open: true });
        this.walkThrough(door);
      });
      this.later(1_500, () => !door.lock.held && door.setState({ open: false }));
      this.later(durationMs, () => !door.lock.unlocked && !door.state.open && door.setState({ locked: true }));
    } else return result(false, `unknown action ${action}`);
    door.lock.unlocked = action === 'unlock';
    result(true);
  }

  /** The person granted (and whoever follows them) walks in: the zone's people counters count them. */
  private walkThrough(door: SimDevice): void {
    const people = 1 + door.lock.followers;
    door.lock.followers = 0;
    for (const cam of this.devices.values()) {
      if (cam.spec.kind !== 'camera' || cam.spec.zoneId !== door.spec.zoneId || typeof cam.state.in !== 'number') continue;
      cam.setState({ in: cam.state.in + people });
    }
  }

  private later(ms: number, fn: () => unknown): void {
    const t = setTimeout(fn, ms);
    t.unref();
  }

  private publishStates(): void {
    for (const d of this.devices.values()) {
      const drift = this.staging.leavesAlone(d) ? undefined : driftState(d.spec.kind, d.state, this.rand);
      if (drift) d.state = { ...d.state, ...drift };
      if (d.online) d.publishState();
    }
  }

  private startTraffic(): void {
    let credit = 0;
    const byKind = (kind: string): SimDevice[] => [...this.devices.values()].filter((d) => d.spec.kind === kind);
    this.timers.push(
      setInterval(() => {
        credit += this.opts.rate / 10;
        for (; credit >= 1; credit--) this.oneEvent(byKind);
      }, 100),
    );
  }

  private oneEvent(byKind: (kind: string) => SimDevice[]): void {
    const r = this.rand();
    const pick = (list: SimDevice[]): SimDevice | undefined => list[Math.floor(this.rand() * list.length)];
    const readers = byKind('reader').filter((d) => d.spec.doorId && !this.devices.get(d.spec.doorId)?.lock.reserved && !this.staging.leavesAlone(d));
    if (r < 0.3 && readers.length) return void this.swipe(pick(readers)!.spec.id, randomCard(this.rand), 0).catch(() => undefined);
    if (r < 0.7) {
      const pir = pick(byKind('pir'));
      if (pir?.online && !this.staging.leavesAlone(pir)) pir.event('motion', { zoneId: pir.spec.zoneId });
      return;
    }
    const sensor = pick([...byKind('env'), ...byKind('power'), ...byKind('pir')]);
    const drift = sensor && !this.staging.leavesAlone(sensor) && driftState(sensor.spec.kind, sensor.state, this.rand);
    if (sensor?.online && drift) sensor.setState(drift);
  }

  device(id: string, kind?: string): SimDevice {
    const d = this.devices.get(id);
    if (!d || (kind && d.spec.kind !== kind)) throw new Error(`no ${kind ?? 'device'} ${id} on this simulated site`);
    return d;
  }

  /** Swipes a card at a reader; resolves with the edge's answer (or undefined after `waitMs`). */
  swipe(readerId: string, card: string, waitMs = 3_000): Promise<AccessResponse | undefined> {
    const reader = this.device(readerId, 'reader');
    const requestId = randomUUID();
    const answer = new Promise<AccessResponse | undefined>((resolve) => {
      const timer = setTimeout(() => (this.waiting.delete(requestId), resolve(undefined)), waitMs);
      this.waiting.set(requestId, (r) => (clearTimeout(timer), this.waiting.delete(requestId), resolve(r)));
    });
    reader.publish('access/request', JSON.stringify({ requestId, credential: { type: 'card', value: card }, ts: Date.now() }));
    return answer;
  }

  /** A member checks their booking in at a kiosk: by the booking's id, or by presenting their card. */
  checkin(kioskId: string, what: { bookingId: string } | { card: string }): string {
    const kiosk = this.device(kioskId, 'kiosk');
    const data = 'bookingId' in what ? { bookingId: what.bookingId } : { credential: { type: 'card', value: what.card } };
    return kiosk.event('checkin', data);
  }

  fire(active: boolean): void {
    const panel = [...this.devices.values()].find((d) => d.spec.kind === 'fire-panel');
    if (!panel) throw new Error('this simulated site has no fire panel');
    panel.setState({ alarm: active });
    panel.event(active ? 'fire.alarm' : 'fire.clear');
  }

  /**
   * Opens a locked door without a grant, so the edge raises door.forced every time: background
   * traffic leaves the door alone, and it opens only once it is shut, locked and past the last
   * grant's pulse window (and the edge's grace after it). Resolves when the door is open.
   */
  async force(doorId: string, settleMs = FORCE_SETTLE_MS): Promise<void> {
    const door = this.device(doorId, 'door');
    if (door.lock.unlocked) throw new Error(`${doorId} stands unlocked: opening it is not forced (lock it first)`);
    await this.settle(door, settleMs);
    door.lock.held = true;
    door.setState({ open: true });
  }

  /**
   * Keeps background traffic off a door and waits until it is shut, locked and past the last
   * grant's pulse window (and the edge's grace after it): nobody is being let in through it.
   */
  async settle(door: SimDevice, settleMs = FORCE_SETTLE_MS): Promise<void> {
    const doorId = door.spec.id;
    door.lock.reserved = true;
    // A grant the edge issued just before may still be on its way to the lock: let it arrive.
    await new Promise((r) => setTimeout(r, COMMAND_IN_FLIGHT_MS));
    const ready = () => door.state.open !== true && door.state.locked === true && Date.now() > door.lock.pulseUntil + AUTH_GRACE_MS + COMMAND_IN_FLIGHT_MS;
    const deadline = Date.now() + settleMs;
    while (!ready()) {
      if (Date.now() > deadline) {
        door.lock.reserved = false;
        throw new Error(`${doorId} did not come to rest shut and locked within ${settleMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Holds a door open (the edge should raise door.held-open after its limit). */
  hold(doorId: string): void {
    const door = this.device(doorId, 'door');
    door.lock.held = true;
    door.setState({ locked: false, open: true });
  }

  close(doorId: string): void {
    const door = this.device(doorId, 'door');
    door.lock.held = false;
    door.lock.reserved = false;
    door.setState({ open: false, locked: !door.lock.unlocked });
  }

  offline(deviceId: string): void {
    this.device(deviceId).dropOffline();
  }

  async online(deviceId: string): Promise<void> {
    const d = this.device(deviceId);
    if (!d.online) await d.connect();
  }

  snapshot(): Array<{ id: string; kind: string; online: boolean; state: Record<string, unknown> }> {
    return [...this.devices.values()].map((d) => ({ id: d.spec.id, kind: d.spec.kind, online: d.online, state: d.state }));
  }

  async stop(): Promise<void> {
    this.firmware.stop();
    for (const t of this.timers) clearInterval(t);
    await Promise.all([...this.devices.values()].map((d) => d.close()));
  }
}
