import { otaOfferSchema, type OtaProgress } from '@cr/shared';
import type { SimDevice } from './sim-device';

/** Time between two progress reports of a simulated install. */
const STEP_MS = 150;

/**
 * Simulated over-the-air updates (CONTRACT.md §6): a device offered firmware on `ota` reports
 * downloading (0, 50, 100 %), installing and done, then re-announces its config with the new
 * version. It fails instead when the offer's url contains `fail`, or when it was told to
 * (`POST /ota-fail/{id}` on the control interface, or `failNext`): then it reports
 * `failed` while downloading and keeps its old firmware.
 */
export class FirmwareInstaller {
  private readonly failing = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** every offer each device received, in order (what a test can ask the simulator) */
  readonly received = new Map<string, string[]>();

  /** The next update offered to `deviceId` fails. */
  failNext(deviceId: string): void {
    this.failing.add(deviceId);
  }

  install(device: SimDevice, json: unknown): void {
    const offer = otaOfferSchema.safeParse(json);
    if (!offer.success) return;
    const { id, version, url } = offer.data;
    const deviceId = device.spec.id;
    this.received.set(deviceId, [...(this.received.get(deviceId) ?? []), version]);
    const fails = this.failing.delete(deviceId) || url.includes('fail');
    const report = (p: Omit<OtaProgress, 'id'>) => device.publish('ota/progress', JSON.stringify({ id, ...p }));
    const steps: Array<() => void> = [
      () => report({ state: 'downloading', progress: 0 }),
      () => report(fails ? { state: 'failed', error: 'image checksum mismatch' } : { state: 'downloading', progress: 50 }),
    ];
    if (!fails)
      steps.push(
        () => report({ state: 'downloading', progress: 100 }),
        () => report({ state: 'installing' }),
        () => {
          report({ state: 'done' });
          device.firmware = version;
          device.announceConfig();
        },
      );
    steps.forEach((step, i) => this.later((i + 1) * STEP_MS, step));
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}
