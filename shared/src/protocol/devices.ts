import { z } from 'zod';
import { idSchema } from '../ids';

/** Device kinds of CONTRACT.md §2. */
export const DEVICE_KINDS = [
  'door',
  'reader',
  'camera',
  'pir',
  'env',
  'light',
  'hvac',
  'power',
  'fire-panel',
  'kiosk',
] as const;
export const deviceKindSchema = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof deviceKindSchema>;

/** Facility devices: faults on these are what vendors maintain. */
/**
 * Kinds the site's safety rests on: its doors, readers and the panel that opens every door in a
 * fire. They wait for a person's approval (CONTRACT.md §6), are never rebooted into an update
 * during a fire emergency or lockdown, and are updated only inside a maintenance window.
 */
export const SAFETY_KINDS: ReadonlySet<DeviceKind> = new Set<DeviceKind>(['door', 'reader', 'fire-panel']);

export const FACILITY_KINDS: ReadonlySet<DeviceKind> = new Set(['hvac', 'power', 'light', 'env']);

/** Where a device sits on the site's floor plan, in plan units (0…1000). */
export const positionSchema = z.object({
  x: z.number().finite().min(0).max(1000),
  y: z.number().finite().min(0).max(1000),
});
export type Position = z.infer<typeof positionSchema>;

const baseConfig = {
  id: idSchema,
  name: z.string().min(1).max(120),
  zoneId: idSchema.optional(),
  model: z.string().max(120).optional(),
  firmware: z.string().max(60).optional(),
  /** initial pin on the floor plan; operators may move it later */
  position: positionSchema.optional(),
};

export const credentialTypeSchema = z.enum(['card', 'ble', 'qr', 'pin']);
export type CredentialType = z.infer<typeof credentialTypeSchema>;

/** Retained `devices/{id}/config` payload, one shape per kind (Home Assistant-style discovery). */
export const deviceConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    ...baseConfig,
    kind: z.literal('door'),
    /** how long the door may stand open before `door.held-open` */
    heldOpenLimitMs: z.number().int().min(1000).max(3_600_000).optional(),
  }),
  z.object({
    ...baseConfig,
    kind: z.literal('reader'),
    doorId: idSchema.optional(),
    credentialTypes: z.array(credentialTypeSchema).max(4).optional(),
  }),
  ...(['camera', 'pir', 'env', 'light', 'hvac', 'power', 'fire-panel', 'kiosk'] as const).map(
    (kind) => z.object({ ...baseConfig, kind: z.literal(kind) }),
  ),
]);
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;

/** Availability payloads (plain text, also the device's last will). */
export const availabilitySchema = z.enum(['online', 'offline']);
export type Availability = z.infer<typeof availabilitySchema>;

const ts = z.number().int().nonnegative();

/** A battery's charge in %, as a device that runs on one reports it in its state. */
export const batterySchema = z.number().finite().min(0).max(100);
/** Kinds whose state may carry `battery`: wireless locks, readers, cameras and sensors. */
export const BATTERY_KINDS: ReadonlySet<DeviceKind> = new Set(['door', 'reader', 'camera', 'pir', 'env']);
const battery = batterySchema.optional();
/** Below this charge (%) a device is shown and filtered as low on battery. */
export const LOW_BATTERY_PCT = 20;

/** Retained `devices/{id}/state` payload per kind. */
export const deviceStateSchemas = {
  door: z.object({ locked: z.boolean(), open: z.boolean(), battery, ts }),
  reader: z.object({ tamper: z.boolean().optional(), battery, ts }),
  /**
   * A camera that also counts people (an overhead counter at a zone's entrance) reports how many
   * walked in and out of its zone since it started, as running totals.
   */
  camera: z.object({ recording: z.boolean(), in: z.number().int().min(0).optional(), out: z.number().int().min(0).optional(), battery, ts }),
  pir: z.object({ motion: z.boolean(), occupancy: z.number().int().min(0).max(10_000).optional(), battery, ts }),
  env: z.object({
    temperatureC: z.number().finite().min(-50).max(100),
    humidityPct: z.number().finite().min(0).max(100),
    co2ppm: z.number().finite().min(0).max(50_000).optional(),
    battery,
    ts,
  }),
  light: z.object({ on: z.boolean(), brightnessPct: z.number().min(0).max(100).optional(), ts }),
  hvac: z.object({
    on: z.boolean(),
    mode: z.enum(['cool', 'heat', 'fan', 'auto', 'off']),
    setpointC: z.number().finite().min(5).max(40),
    currentC: z.number().finite().min(-50).max(100).optional(),
    ts,
  }),
  power: z.object({ watts: z.number().finite().min(0).max(10_000_000), kwhTotal: z.number().finite().min(0).optional(), ts }),
  'fire-panel': z.object({ alarm: z.boolean(), ts }),
  kiosk: z.object({ ts }),
} satisfies Record<DeviceKind, z.ZodType>;

export type DoorState = z.infer<(typeof deviceStateSchemas)['door']>;
export type DeviceState = { [K in DeviceKind]: z.infer<(typeof deviceStateSchemas)[K]> }[DeviceKind];

/** Validates a state payload for a device of `kind`. */
export function parseDeviceState(kind: DeviceKind, payload: unknown) {
  return deviceStateSchemas[kind].safeParse(payload);
}
