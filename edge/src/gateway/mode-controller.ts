import { siteModeSchema, SITE_MODES, type DoorReport, type SiteMode } from '@cr/shared';
import { doorFanout, INITIAL_MODE, onFireAlarm, type ModeState } from '../domain/site-mode';
import type { Settings } from '../store/db';
import type { EdgeMetrics } from '../metrics';
import type { SiteWriter } from '../site/site-writer';
import type { EventRecorder } from './recorder';
import type { ModeDoors } from './mode-doors';

const KEY = 'site.mode';

/**
 * Holds the site mode (persisted: a gateway restarted during a fire keeps its doors open), applies
 * changes, records them and commands every door the new mode concerns, all at once.
 */
export class ModeController {
  private current: ModeState;

  constructor(
    private readonly settings: Settings,
    private readonly deps: { metrics: EdgeMetrics; site: SiteWriter; recorder: EventRecorder; doors: ModeDoors },
  ) {
    this.current = ModeController.load(settings);
    this.publishGauge();
  }

  private static load(settings: Settings): ModeState {
    try {
      const raw = JSON.parse(settings.get(KEY) ?? 'null') as Partial<ModeState> | null;
      const mode = siteModeSchema.safeParse(raw?.mode);
      if (!raw || !mode.success) return INITIAL_MODE;
      const panels = Array.isArray(raw.panelsInAlarm) ? raw.panelsInAlarm.filter((p): p is string => typeof p === 'string') : [];
      return { ...raw, mode: mode.data, fireActive: raw.fireActive === true, panelsInAlarm: panels };
    } catch {
      return INITIAL_MODE;
    }
  }

  /** Whether the mode could not be written (disk failing); retried by the maintenance tick. */
  get unsaved(): boolean {
    return this.pendingSave;
  }

  private pendingSave = false;

  /** Writes the mode; a failing disk never stops a mode change, it is written once the disk takes it. */
  persist(): void {
    try {
      this.settings.set(KEY, JSON.stringify(this.current));
      this.pendingSave = false;
    } catch {
      this.pendingSave = true;
    }
  }

  panelInAlarm(panelId: string): boolean {
    return this.current.panelsInAlarm?.includes(panelId) ?? false;
  }

  /** Fire panels still reporting alarm: while any does, the fire state cannot be reset. */
  get panelsInAlarm(): string[] {
    return this.current.panelsInAlarm ?? [];
  }

  /** Records what a panel reports (its state, `fire.alarm`, `fire.clear`, or its removal). */
  setPanelAlarm(panelId: string, alarm: boolean): void {
    if (this.panelInAlarm(panelId) === alarm) return;
    const others = this.panelsInAlarm.filter((p) => p !== panelId);
    this.current = { ...this.current, panelsInAlarm: alarm ? [...others, panelId] : others };
    this.persist();
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
    const next = { ...onFireAlarm(now), panelsInAlarm: [...prev.panelsInAlarm ?? []].filter((p) => p !== panelId).concat(panelId) };
    this.fanout(prev.mode === 'emergency-unlock' && prev.fireActive ? 'unlock' : doorFanout(prev, next), `fire alarm from ${panelId}`);
    // Already in the fire state: the unlocks went out again; nothing else changes.
    if (prev.fireActive && prev.mode === 'emergency-unlock') {
      this.current = { ...prev, panelsInAlarm: next.panelsInAlarm };
      return this.persist();
    }
    this.commit(prev, next, now, panelId, true);
  }

  /** Applies an already authorized change (see domain/site-mode requestMode); the doors are told without waiting. */
  apply(next: ModeState, now: number, by: string): void {
    const prev = this.current;
    this.commit(prev, { ...next, panelsInAlarm: prev.panelsInAlarm }, now, by);
    this.fanout(doorFanout(prev, next), `site mode ${next.mode} by ${by}`);
  }

  /**
   * Applies a person's mode change and waits for every door it concerns until `expiresAt`. The mode
   * stands at once; the reports say which doors confirmed.
   */
  async applyConfirmed(next: ModeState, now: number, by: string, expiresAt: number): Promise<DoorReport[]> {
    const prev = this.current;
    this.commit(prev, { ...next, panelsInAlarm: prev.panelsInAlarm }, now, by);
    const action = doorFanout(prev, next);
    return action ? this.deps.doors.sendConfirmed(action, `site mode ${next.mode} by ${by}`, expiresAt) : [];
  }

  /** Brings one door back in line with the mode (it came online, joined, or reported a contradicting state). */
  enforceOn(doorId: string): void {
    this.deps.doors.enforce(doorId, this.current.mode);
  }

  private fanout(action: ReturnType<typeof doorFanout>, reason: string): void {
    if (action) this.deps.doors.send(action, reason);
  }

  /** `byDevice`: `by` is a device (a fire panel), not a person's account id or the cloud record. */
  private commit(prev: ModeState, next: ModeState, now: number, by: string, byDevice = false): void {
    this.current = next;
    this.persist();
    void this.deps.recorder.edge('mode.changed', undefined, { from: prev.mode, to: next.mode, fireActive: next.fireActive, by, byDevice }, now);
    this.deps.site.setMode(next.mode, next.fireActive, now, by);
    this.publishGauge();
  }

  private publishGauge(): void {
    for (const m of SITE_MODES) this.deps.metrics.mode.set({ mode: m }, m === this.current.mode ? 1 : 0);
  }
}
