import { z } from 'zod';
import {
  deviceTopic,
  edgeToCloudSchema,
  firmwareManifestSchema,
  MAX_DEVICES_PER_SITE,
  parseOtaProgress,
  SAFETY_KINDS,
  verifyFirmwareManifest,
  type DeviceConfig,
  type DeviceKind,
  type EdgeToCloud,
  type FirmwareManifest,
  type OtaOffer,
} from '@cr/shared';
import type { DeviceBus } from '../mqtt/bus';
import type { DeviceRegistry } from '../domain/device-registry';
import type { ModeState } from '../domain/site-mode';
import type { Settings } from '../store/db';

type Report = Extract<EdgeToCloud, { type: 'firmware.progress' }>;

/** How often offers held back by the site's mode are tried again. */
const HOLD_RETRY_MS = 1_000;

interface Update {
  manifest: FirmwareManifest;
  /** held: waiting for a normal mode; sent: offered on MQTT; installed: the device said done, its re-announcement is due */
  phase: 'held' | 'sent' | 'installed';
}

export interface FirmwareUpdateDeps {
  siteId: string;
  bus: Pick<DeviceBus, 'publish'>;
  registry: Pick<DeviceRegistry, 'get'>;
  mode(): Pick<ModeState, 'mode' | 'fireActive'>;
  /** the cloud's signing key the edge pinned, or undefined before the first welcome */
  cloudKey(): Record<string, unknown> | undefined;
  /** tells the cloud; false when the link is down (the report waits for `flush`) */
  report(msg: Report): boolean;
  /** a bad progress payload: counted and logged, never thrown */
  badInput(detail: string): void;
  log: { info(m: string): void; warn(m: string): void };
  now(): number;
  /** where updates under way and reports not yet sent are kept across a restart (the edge's settings) */
  keep?: Pick<Settings, 'get' | 'set'>;
}

const KEEP_KEY = 'firmware.updates';
const keptSchema = z.object({
  updates: z.array(z.object({ manifest: firmwareManifestSchema, phase: z.enum(['held', 'sent', 'installed']) })).max(MAX_DEVICES_PER_SITE),
  unsent: z.array(z.unknown()).max(MAX_DEVICES_PER_SITE * 2),
});

/** Why a door, reader or fire panel is not updated now, or undefined when it may be. */
export function holdReason(kind: string, mode: Pick<ModeState, 'mode' | 'fireActive'>): string | undefined {
  if (!SAFETY_KINDS.has(kind as DeviceKind)) return undefined;
  if (mode.fireActive) return 'fire emergency';
  if (mode.mode === 'lockdown' || mode.mode === 'emergency-unlock') return mode.mode;
  return undefined;
}

/**
 * Firmware updates of the site's devices (CONTRACT.md §6): a manifest from the cloud is offered on
 * `devices/{id}/ota` only once its signature checks out against the pinned cloud key (threat: a
 * forged or altered manifest pointing devices at a malicious image); a door or reader is held back
 * (stays `sent`, not offered) while the site is in a fire emergency, lockdown or emergency unlock,
 * and offered once the mode allows. `done` is reported only when the device re-announced its
 * config with the new firmware; any other firmware fails the update.
 */
export class FirmwareUpdates {
  private readonly updates = new Map<string, Update>();
  /** the latest report per update that the link could not take, sent again once it is back */
  private readonly unsent = new Map<string, Report>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: FirmwareUpdateDeps) {
    this.restore();
    this.timer = setInterval(() => this.releaseHeld(), HOLD_RETRY_MS);
    this.timer.unref();
  }

  async offer(manifest: FirmwareManifest, signature: string): Promise<void> {
    const d = this.deps;
    const fail = (error: string) => void this.send(manifest, 'failed', error);
    const key = d.cloudKey();
    if (!key || !(await verifyFirmwareManifest(key, manifest, signature))) {
      d.log.warn(`firmware manifest for ${manifest.deviceId} refused: bad signature`);
      return fail('manifest signature refused');
    }
    const existing = this.updates.get(manifest.deviceId);
    if (existing?.manifest.rolloutId === manifest.rolloutId) return; // a repeated delivery
    if (!d.registry.get(manifest.deviceId)) return fail('device unknown at the edge');
    this.updates.set(manifest.deviceId, { manifest, phase: 'held' });
    this.send(manifest, 'sent');
    this.tryOffer(manifest.deviceId);
    this.save();
  }

  /** A payload on `devices/{deviceId}/ota/progress`. */
  onProgress(deviceId: string, payload: Buffer): void {
    const progress = parseOtaProgress(payload);
    if (!progress) return this.deps.badInput(`ota/progress of ${deviceId}: not a valid progress report`);
    const update = this.updates.get(deviceId);
    // A report for no update of ours, or an old one: nothing to move.
    if (!update || update.phase === 'held' || update.manifest.rolloutId !== progress.id) return;
    if (progress.state === 'failed') {
      this.updates.delete(deviceId);
      return void this.send(update.manifest, 'failed', progress.error ?? 'the device reported a failure');
    }
    if (progress.state === 'done') {
      update.phase = 'installed';
      return this.save();
    }
    if (update.phase === 'sent') this.send(update.manifest, progress.state);
  }

  /** A device (re-)announced its config: confirms an installed update, or fails it on another version. */
  onConfig(config: DeviceConfig): void {
    const update = this.updates.get(config.id);
    // Sent and already on the new version: it finished while the edge was down (its `done` lost).
    const finished = update?.phase === 'sent' && config.firmware === update.manifest.version;
    if (!update || (update.phase !== 'installed' && !finished)) return;
    this.updates.delete(config.id);
    const wanted = update.manifest.version;
    if (config.firmware === wanted) this.send(update.manifest, 'done');
    else this.send(update.manifest, 'failed', `the device re-announced firmware ${config.firmware ?? '(none)'}, not ${wanted}`.slice(0, 200));
  }

  /** The cloud link is back: reports made while it was down go out (the latest per device). */
  flush(): void {
    for (const [key, msg] of this.unsent) if (this.deps.report(msg)) this.unsent.delete(key);
    this.save();
  }

  close(): void {
    clearInterval(this.timer);
  }

  private releaseHeld(): void {
    for (const [id, u] of this.updates) if (u.phase === 'held') this.tryOffer(id);
  }

  private tryOffer(deviceId: string): void {
    const d = this.deps;
    const update = this.updates.get(deviceId);
    const device = d.registry.get(deviceId);
    if (!update || !device) return;
    const held = holdReason(device.config.kind, d.mode());
    if (held) return d.log.info(`firmware update of ${deviceId} held back: ${held}`);
    const offer: OtaOffer = { id: update.manifest.rolloutId, version: update.manifest.version, url: update.manifest.url, sha256: update.manifest.sha256 };
    d.bus.publish(deviceTopic(d.siteId, deviceId, 'ota'), JSON.stringify(offer), { qos: 1 });
    update.phase = 'sent';
    this.save();
  }

  private send(m: FirmwareManifest, state: Report['state'], error?: string): void {
    const msg: Report = { type: 'firmware.progress', rolloutId: m.rolloutId, deviceId: m.deviceId, state, ...(error ? { error } : {}), ts: this.deps.now() };
    const key = `${m.rolloutId}/${m.deviceId}`;
    if (this.deps.report(msg)) this.unsent.delete(key);
    else this.unsent.set(key, msg);
    if (state === 'done' || state === 'failed') this.updates.delete(m.deviceId);
    this.save();
  }

  /** Writes what is under way (small: one entry per device being updated). */
  private save(): void {
    if (!this.deps.keep) return;
    const kept = { updates: [...this.updates.values()], unsent: [...this.unsent.values()] };
    try {
      this.deps.keep.set(KEEP_KEY, JSON.stringify(kept));
    } catch (err) {
      // A full disk loses only this: the cloud fails the device after its answer timeout.
      this.deps.log.warn(`firmware progress not kept: ${(err as Error).message}`);
    }
  }

  /** Takes back what a previous run had under way; a damaged record is dropped, never trusted. */
  private restore(): void {
    const text = this.deps.keep?.get(KEEP_KEY);
    if (!text) return;
    let parsed: z.infer<typeof keptSchema> | undefined;
    try {
      parsed = keptSchema.parse(JSON.parse(text));
    } catch {
      return this.deps.log.warn('firmware progress of the previous run unreadable; the cloud times those devices out');
    }
    for (const u of parsed.updates) this.updates.set(u.manifest.deviceId, u);
    for (const raw of parsed.unsent) {
      const msg = edgeToCloudSchema.safeParse(raw);
      if (msg.success && msg.data.type === 'firmware.progress') this.unsent.set(`${msg.data.rolloutId}/${msg.data.deviceId}`, msg.data);
    }
  }
}
