import { findUnresolved, listAlerts, type AlertView } from '@cr/shared';
import { startScenario, testMembers, type Scenario } from './scenario';
import { waitFor } from './wait';

/**
 * A real edge that synced its members once and then lost its cloud: nothing listens at the
 * cloud's address any more, so every detection below runs on the edge alone.
 */
export async function offlineSite(flags: string[]): Promise<Scenario> {
  const s = await startScenario({ members: testMembers(), flags: ['--state-write-ms', '1', ...flags] });
  await s.cloud.close();
  await waitFor(() => s.edge.uplink?.connected === false, 'cloud gone');
  return s;
}

/** The one unresolved alarm of a type, once it is there. */
export function alarmOf(s: Scenario, type: string, timeoutMs = 5_000): Promise<AlertView> {
  return waitFor(() => findUnresolved(s.edge.doc, { type })[0], `${type} alarm`, timeoutMs);
}

/** Every alarm of a type ever raised on the site (resolved or not). */
export function alarmsOf(s: Scenario, type: string): AlertView[] {
  return listAlerts(s.edge.doc).filter((a) => a.type === type);
}

/** Waits until the alarm's cause is marked cleared; returns the alarm as it stands then. */
export function causeCleared(s: Scenario, type: string, timeoutMs = 5_000): Promise<AlertView> {
  return waitFor(() => findUnresolved(s.edge.doc, { type }).find((a) => a.causeCleared), `${type} cause cleared`, timeoutMs);
}

export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
