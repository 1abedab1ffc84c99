import { localTime, MINUTE_MS, type Scenario, type ScenarioCondition, type SiteMode } from '@cr/shared';

/** What the engine reads of the site, from memory only. */
export interface SiteSense {
  now(): number;
  timeZone(): string;
  mode(): SiteMode;
  siteOpen(now: number): boolean;
  /** how long the zone has been empty; undefined while someone is in it or nothing reports on it */
  quietFor(zoneId: string, now: number): number | undefined;
  /** whether someone is in the zone now */
  occupied(zoneId: string, now: number): boolean;
  /** whether an alert of this type is open at the site */
  alertOpen(type: string): boolean;
}

/**
 * Edge detection of one scenario's trigger, tick by tick: a trigger fires once when its condition
 * starts to hold (an empty zone: once per empty spell; a time: once per matching local date; a mode
 * or an alert: once per change into it) and arms again only after the condition stopped holding.
 */
export class TriggerState {
  private latched = false;
  private occupiedSince: number | undefined;
  private lastDate: string | undefined;
  private lastMode: SiteMode | undefined;

  constructor(private readonly scenario: Scenario) {}

  /** Whether the trigger fires at this tick. */
  check(sense: SiteSense, now: number): boolean {
    const t = this.scenario.trigger;
    switch (t.kind) {
      case 'zone-empty': {
        const quiet = sense.quietFor(t.zoneId, now);
        return this.edge(quiet !== undefined && quiet >= t.forMin * MINUTE_MS);
      }
      case 'zone-occupied': {
        const occupied = sense.occupied(t.zoneId, now);
        this.occupiedSince = occupied ? (this.occupiedSince ?? now) : undefined;
        return this.edge(this.occupiedSince !== undefined && now - this.occupiedSince >= t.forMin * MINUTE_MS);
      }
      case 'time': {
        const local = localTime(now, sense.timeZone());
        const [h, m] = t.at.split(':').map(Number) as [number, number];
        const due = local.minuteOfDay === h * 60 + m && (t.days === undefined || t.days.includes(local.weekday));
        if (!due || this.lastDate === local.date) return false;
        this.lastDate = local.date;
        return true;
      }
      case 'mode': {
        const mode = sense.mode();
        const entered = this.lastMode !== undefined && this.lastMode !== mode && mode === t.mode;
        this.lastMode = mode;
        return entered;
      }
      case 'alert':
        return this.edge(sense.alertOpen(t.type));
    }
  }

  private edge(holds: boolean): boolean {
    const fires = holds && !this.latched;
    this.latched = holds;
    return fires;
  }
}

/** Whether every condition of the scenario holds now. */
export function conditionsHold(conditions: readonly ScenarioCondition[] | undefined, sense: SiteSense, now: number): boolean {
  return (conditions ?? []).every((c) => {
    if (c.kind === 'site-open') return sense.siteOpen(now);
    if (c.kind === 'site-closed') return !sense.siteOpen(now);
    return sense.mode() === c.mode;
  });
}
