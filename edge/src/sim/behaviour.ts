import type { DeviceKind } from '@cr/shared';

/** A plausible first state per kind (door: locked and closed). */
export function initialState(kind: DeviceKind): Record<string, unknown> {
  switch (kind) {
    case 'door':
      return { locked: true, open: false };
    case 'reader':
      return { tamper: false };
    case 'camera':
      // Cameras over a zone's entrance also count the people walking in and out.
      return { recording: true, in: 0, out: 0 };
    case 'pir':
      // Someone is in every zone from the start: a zone empties only when an incident is staged.
      return { motion: true, occupancy: 1, battery: 91 };
    case 'env':
      // Wireless sensors report their battery with every state.
      return { temperatureC: 22.5, humidityPct: 45, co2ppm: 600, battery: 76 };
    case 'light':
      return { on: true, brightnessPct: 80 };
    case 'hvac':
      return { on: true, mode: 'auto', setpointC: 23, currentC: 23.4 };
    case 'power':
      return { watts: 1800, kwhTotal: 12_345 };
    case 'fire-panel':
      return { alarm: false };
    case 'kiosk':
      return {};
  }
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** A small random walk of a sensor's readings, within the schema's bounds. */
export function driftState(kind: DeviceKind, state: Record<string, unknown>, rand: () => number): Record<string, unknown> | undefined {
  const jitter = (v: unknown, step: number, min: number, max: number): number => round1(Math.min(max, Math.max(min, Number(v) + (rand() - 0.5) * step)));
  switch (kind) {
    case 'env':
      // Kept well inside the edge's comfort limits: climate alarms come only from staged incidents.
      return { temperatureC: jitter(state.temperatureC, 0.4, 19, 26), humidityPct: jitter(state.humidityPct, 2, 30, 60), co2ppm: jitter(state.co2ppm, 40, 400, 1100) };
    case 'power':
      return { watts: jitter(state.watts, 200, 200, 8000), kwhTotal: round1(Number(state.kwhTotal) + 0.1) };
    case 'hvac': {
      // A working unit hovers around its set-point.
      const setpoint = Number(state.setpointC);
      return { currentC: jitter(state.currentC, 0.3, setpoint - 0.8, setpoint + 0.8) };
    }
    case 'pir': {
      const occupancy = Math.max(1, Math.min(30, Number(state.occupancy) + Math.round((rand() - 0.5) * 3)));
      return { motion: occupancy > 0, occupancy };
    }
    default:
      return undefined;
  }
}

/** Demo cards: `card-0001` … `card-0100`, and now and then one nobody knows. */
export function randomCard(rand: () => number): string {
  if (rand() < 0.05) return `card-unknown-${Math.floor(rand() * 1000)}`;
  return `card-${String(1 + Math.floor(rand() * 100)).padStart(4, '0')}`;
}
