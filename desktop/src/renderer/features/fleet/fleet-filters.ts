import { LOW_BATTERY_PCT } from '@cr/shared';
import type { FleetRow } from './fleet-api';

/** What the fleet table is narrowed by; '' is "all". */
export interface FleetFilter {
  siteId: string;
  kind: string;
  model: string;
  firmware: string;
  health: string;
}
export const NO_FILTER: FleetFilter = { siteId: '', kind: '', model: '', firmware: '', health: '' };

/** Health choices: the device's state, and two warnings that cut across it. */
export const HEALTH_CHOICES = ['online', 'offline', 'pending', 'flapping', 'low-battery'] as const;

export const isLowBattery = (d: Pick<FleetRow, 'battery'>): boolean => d.battery !== undefined && d.battery < LOW_BATTERY_PCT;

function healthMatches(d: FleetRow, health: string): boolean {
  if (health === 'flapping') return d.flapping;
  if (health === 'low-battery') return isLowBattery(d);
  return d.health === health;
}

export function filterFleet(rows: readonly FleetRow[], f: FleetFilter): FleetRow[] {
  return rows.filter(
    (d) =>
      (!f.siteId || d.siteId === f.siteId) &&
      (!f.kind || d.kind === f.kind) &&
      (!f.model || d.model === f.model) &&
      (!f.firmware || d.firmware === f.firmware) &&
      (!f.health || healthMatches(d, f.health)),
  );
}

const distinct = (values: Array<string | undefined>): string[] => [...new Set(values.filter((v): v is string => !!v))].sort();

/** The choices of each select, from the devices listed (sites, kinds, models, firmware seen). */
export function filterChoices(rows: readonly FleetRow[]) {
  return {
    siteId: distinct(rows.map((d) => d.siteId)),
    kind: distinct(rows.map((d) => d.kind)),
    model: distinct(rows.map((d) => d.model)),
    firmware: distinct(rows.map((d) => d.firmware)),
  };
}

/** Unique within the fleet: device ids repeat across sites. */
export const rowKey = (d: Pick<FleetRow, 'siteId' | 'id'>): string => `${d.siteId}/${d.id}`;
