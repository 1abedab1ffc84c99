import { siteModeSchema, SITE_MODES, type SiteMode } from '@cr/shared';
import { doorFanout, INITIAL_MODE, onFireAlarm, type ModeState } from '../domain/site-mode';
import type { Settings } from '../store/db';
import type { EdgeMetrics } from '../metrics';
import type { SiteWriter } from '../site/site-writer';
import type { EventRecorder } from './recorder';
import type { DoorCommander } from './door-commander';
import type { DeviceRegistry } from '../domain/device-registry';

const KEY = 'site.mode';

/**
 * Holds the site mode (persisted: a gateway restarted during a fire keeps its doors open), applies
 * changes, records them and commands every door the new mode concerns, all at once.
 */
export class ModeController {
  private current: ModeState;

  constructor(
    private readonly settings: Settings,
    private readonly deps: { metrics: EdgeMetrics; site: SiteWriter; recorder: EventRecorder; commander: DoorCommander; registry: DeviceRegistry },
  ) {
    this.current = ModeController.load(settings);
    this.publishGauge();
  }

  private static load(settings: Settings): ModeState {
    try {
      const raw = JSON.parse(settings.get(KEY) ?? 'null') as Partial<ModeState> | null;
      const mode = siteModeSchema.safeParse(raw?.mode);
      if (!raw || !mode.success) return INITIAL_MODE;
      return { ...raw, mode: mode.data, fireActive: raw.fireActive === true };
    } catch {
      return INITIAL_MODE;
    }
  }

  get state(): ModeState {
    return this.current;
  }

  get mode(): SiteMode {
    return this.current.mode;
  }

  /** A fire panel raised the alarm: unlock every door first, then record and persist. */
  fireAlarm(now: number, panelId: string): void {
    const prev = this.current;
    const next = onFireAlarm(now);
    this.fanout(prev.mode === 'emergency-unlock' && prev.fireActive ? 'unlock' : doorFanout(prev, next), `fire alarm from ${panelId}`);
    this.commit(prev, next, now, panelId);
  }

  /** Applies an already authorized change (see domain/site-mode requestMode). */
  apply(next: ModeState, now: number, by: string): void {
    const prev = this.current;
    this.commit(prev, next, now, by);
    this.fanout(doorFanout(prev, next), `site mode ${next.mode} by ${by}`);
  }

  /** Re-sends the mode's door command to one door (a door that comes online during an emergency). */
  enforceOn(doorId: string): void {
    if (this.current.mode === 'emergency-unlock') this.deps.commander.send(doorId, 'unlock', 'site in emergency-unlock');
  }

  private fanout(action: ReturnType<typeof doorFanout>, reason: string): void {
    if (!action) return;
    for (const doorId of this.deps.registry.doorIds()) this.deps.commander.send(doorId, action, reason);
  }

  private commit(prev: ModeState, next: ModeState, now: number, by: string): void {
    this.current = next;
    this.settings.set(KEY, JSON.stringify(next));
    void this.deps.recorder.edge('mode.changed', undefined, { from: prev.mode, to: next.mode, fireActive: next.fireActive, by }, now);
    this.deps.site.setMode(next.mode, next.fireActive, now, by);
    this.publishGauge();
  }

  private publishGauge(): void {
    for (const m of SITE_MODES) this.deps.metrics.mode.set({ mode: m }, m === this.current.mode ? 1 : 0);
  }
}
