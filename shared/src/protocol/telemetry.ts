import { z } from 'zod';
import { idSchema } from '../ids';
import type { DeviceKind } from './devices';

/**
 * The fields of a device's state that people act on and that must survive in the site document:
 * a door's lock and contact, a reader's tamper switch, whether a camera records, the fire panel's
 * alarm, what a light or an HVAC unit was commanded to. Everything else a device reports
 * (temperature, humidity, CO2, watts, energy, motion, occupancy and people counts, an HVAC unit's
 * measured temperature, battery) is a reading: live state, never document history.
 */
export const DURABLE_STATE_FIELDS: Readonly<Record<DeviceKind, readonly string[]>> = {
  door: ['locked', 'open'],
  reader: ['tamper'],
  camera: ['recording'],
  'fire-panel': ['alarm'],
  light: ['on', 'brightnessPct'],
  hvac: ['on', 'mode', 'setpointC'],
  env: [],
  power: [],
  pir: [],
  kiosk: [],
};

/**
 * Whether a device's new state belongs in the site document (`durable`) or only in the live
 * telemetry (`telemetry`): durable when a durable field differs from the state the document last
 * holds, or the document holds none for a kind that has durable fields. Kinds without durable
 * fields (environment sensors, power meters, PIR) are always telemetry.
 */
export function classifyStateChange(
  kind: DeviceKind,
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
): 'durable' | 'telemetry' {
  const fields = DURABLE_STATE_FIELDS[kind] ?? [];
  if (fields.length === 0) return 'telemetry';
  if (!previous) return 'durable';
  return fields.some((f) => previous[f] !== next[f]) ? 'durable' : 'telemetry';
}

/** Key of the site gateway's awareness (presence) state that carries live telemetry. */
export const TELEMETRY_FIELD = 'telemetry';
/** The gateway publishes live telemetry at most this often (per site). */
export const TELEMETRY_PUBLISH_MS = 1_000;
/** Largest awareness message the site gateway may send: live telemetry of up to 150 devices. */
export const MAX_TELEMETRY_AWARENESS_BYTES = 128 * 1024;

const entrySchema = z.object({ state: z.record(z.string(), z.unknown()), ts: z.number().int().nonnegative() });
export type TelemetryEntry = z.infer<typeof entrySchema>;
/** `{ [deviceId]: { state, ts } }`: each device's latest reading that the document does not hold. */
export type LiveTelemetry = Record<string, TelemetryEntry>;

/** Whether an awareness state claims to carry telemetry (only the site's gateway may send one). */
export function carriesTelemetry(state: unknown): boolean {
  return typeof state === 'object' && state !== null && TELEMETRY_FIELD in state;
}

/**
 * The live telemetry of every awareness state that carries it, newest reading per device; entries
 * that do not parse are skipped (a bad value never breaks a view).
 */
export function liveTelemetryOf(states: Iterable<unknown>): LiveTelemetry {
  const out: LiveTelemetry = {};
  for (const s of states) {
    if (!carriesTelemetry(s)) continue;
    const t = (s as Record<string, unknown>)[TELEMETRY_FIELD];
    if (typeof t !== 'object' || t === null) continue;
    for (const [id, v] of Object.entries(t)) {
      if (!idSchema.safeParse(id).success) continue;
      const e = entrySchema.safeParse(v);
      if (e.success && (out[id]?.ts ?? -1) <= e.data.ts) out[id] = e.data;
    }
  }
  return out;
}

/**
 * A device's state as a view shows it: the live reading when it is at least as new as the
 * document's last state (or the document holds none), else the document's (an older gateway that
 * still writes readings into the document, or no live state at all).
 */
export function withLiveState<T extends { id: string; state?: Record<string, unknown>; stateAt?: number }>(
  device: T,
  live: LiveTelemetry | undefined,
): T {
  const t = live?.[device.id];
  if (!t || (device.stateAt !== undefined && device.stateAt > t.ts)) return device;
  return { ...device, state: t.state, stateAt: t.ts };
}
