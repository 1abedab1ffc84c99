import type * as Y from 'yjs';
import { z } from 'zod';
import { idSchema } from '../ids';
import { deviceKindSchema, positionSchema, type DeviceKind, type Position } from '../protocol/devices';
import { siteModeSchema } from '../protocol/site-mode';
import { DEFAULT_TIMEZONE, isValidTimeZone } from '../time';
import { listAlerts, type AlertView } from './alerts';

/**
 * Root maps of a site document (`site:{tenantId}:{siteId}`). Each device fact that different
 * writers own lives in its own map keyed by device id: the edge writes descriptors, availability
 * and state; people move pins. Concurrent writers therefore never replace each other's entries.
 */
export const SITE_MAPS = {
  meta: 'meta',
  zones: 'zones',
  devices: 'devices',
  positions: 'devicePositions',
  availability: 'deviceAvailability',
  state: 'deviceState',
  occupancy: 'occupancy',
  resourceUse: 'resourceUse',
} as const;

export const siteMetaSchema = z.object({
  id: idSchema,
  tenantId: idSchema,
  name: z.string().max(200),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  timezone: z.string().max(64),
  mode: siteModeSchema,
  /** true from a fire alarm until an authorized reset */
  fireActive: z.boolean(),
  modeChangedAt: z.number().int().nonnegative().optional(),
  modeChangedBy: z.string().max(200).optional(),
});
export type SiteMeta = z.infer<typeof siteMetaSchema>;

/** A floor-plan polygon in plan units (0…1000), at least a triangle. */
export const polygonSchema = z.array(z.tuple([z.number().finite(), z.number().finite()])).min(3).max(200);
export const zoneSchema = z.object({ id: idSchema, name: z.string().min(1).max(120), polygon: polygonSchema });
export type Zone = z.infer<typeof zoneSchema>;

export const deviceDescriptorSchema = z.object({
  id: idSchema,
  kind: deviceKindSchema,
  name: z.string().max(120),
  zoneId: idSchema.optional(),
  doorId: idSchema.optional(),
});
export type DeviceDescriptor = z.infer<typeof deviceDescriptorSchema>;

const availabilitySchema = z.object({ online: z.boolean(), ts: z.number().int().nonnegative() });
const stateEntrySchema = z.object({ state: z.record(z.string(), z.unknown()), ts: z.number().int().nonnegative() });
const positionEntrySchema = positionSchema.extend({ by: z.string().max(200), at: z.number().int().nonnegative() });
const occupancySchema = z.object({ count: z.number().int().nonnegative(), ts: z.number().int().nonnegative() });
/**
 * Whether a booked resource's zone is in use, as the edge sees it (display only: decisions never
 * read it back). `state` is the current booking's state, `bookingId` that booking.
 */
export const resourceUseSchema = z.object({
  inUse: z.boolean(),
  bookingId: z.string().max(64).optional(),
  state: z.enum(['booked', 'checked-in', 'released', 'cancelled', 'completed']).optional(),
  ts: z.number().int().nonnegative(),
});
export type ResourceUse = z.infer<typeof resourceUseSchema>;

/** A device as views show it: descriptor joined with its pin, availability and last state. */
export interface DeviceView extends DeviceDescriptor {
  kind: DeviceKind;
  position?: Position;
  online: boolean;
  lastSeenAt?: number;
  state?: Record<string, unknown>;
  stateAt?: number;
}

function parsed<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** A document's time zone when it names a real one, else the default (a document is a copy, not the authority). */
function validTimeZone(value: unknown): string {
  return typeof value === 'string' && value.length <= 64 && isValidTimeZone(value) ? value : DEFAULT_TIMEZONE;
}

/** A coordinate within its range, else 0: a console's bad value must not put a site off the map's projection. */
function coordinate(value: unknown, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= max ? value : 0;
}

/** A short string, else the fallback. */
function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value.slice(0, 200) : fallback;
}

/**
 * Typed access to a site document; no other code touches its raw `Y.Map` keys. Meta (time zone,
 * mode, fire state) is a copy for display: the cloud's site directory and the edge's reports are
 * the authority, and every value here is validated on read so a bad one never breaks a view.
 */
export class SiteDoc {
  constructor(readonly doc: Y.Doc) {}

  private map(name: string): Y.Map<unknown> {
    return this.doc.getMap(name);
  }

  /** Site meta; defaults fill what has never been written. */
  meta(): SiteMeta {
    const m = this.map(SITE_MAPS.meta);
    return {
      id: text(m.get('id')),
      tenantId: text(m.get('tenantId')),
      name: text(m.get('name')),
      lat: coordinate(m.get('lat'), 90),
      lng: coordinate(m.get('lng'), 180),
      // Threat: a console writing a zone name the clock library rejects, which would stop every access decision.
      timezone: validTimeZone(m.get('timezone')),
      mode: parsed(siteModeSchema, m.get('mode')) ?? 'normal',
      fireActive: m.get('fireActive') === true,
      modeChangedAt: Number.isSafeInteger(m.get('modeChangedAt')) ? (m.get('modeChangedAt') as number) : undefined,
      modeChangedBy: typeof m.get('modeChangedBy') === 'string' ? text(m.get('modeChangedBy')) : undefined,
    };
  }

  setMeta(patch: Partial<SiteMeta>): void {
    const m = this.map(SITE_MAPS.meta);
    const checked = siteMetaSchema.partial().parse(patch);
    this.doc.transact(() => {
      for (const [k, v] of Object.entries(checked)) if (v !== undefined && m.get(k) !== v) m.set(k, v);
    });
  }

  zones(): Zone[] {
    const out: Zone[] = [];
    this.map(SITE_MAPS.zones).forEach((v) => {
      const z = parsed(zoneSchema, v);
      if (z) out.push(z);
    });
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  setZone(zone: Zone): void {
    this.map(SITE_MAPS.zones).set(zone.id, zoneSchema.parse(zone));
  }

  removeZone(zoneId: string): void {
    this.map(SITE_MAPS.zones).delete(zoneId);
  }

  /** Registers or updates a device descriptor (written by the edge from discovery, or by demo seeding). */
  upsertDevice(desc: DeviceDescriptor): void {
    const d = deviceDescriptorSchema.parse(desc);
    const devices = this.map(SITE_MAPS.devices);
    const cur = devices.get(d.id);
    if (JSON.stringify(cur) !== JSON.stringify(d)) devices.set(d.id, d);
  }

  removeDevice(deviceId: string): void {
    this.doc.transact(() => {
      for (const name of [SITE_MAPS.devices, SITE_MAPS.availability, SITE_MAPS.state]) this.map(name).delete(deviceId);
    });
  }

  /** Moves a device's pin on the floor plan (people edit this; last writer per device wins). */
  setDevicePosition(deviceId: string, position: Position, by: string, at: number): void {
    this.map(SITE_MAPS.positions).set(deviceId, positionEntrySchema.parse({ ...position, by, at }));
  }

  setAvailability(deviceId: string, online: boolean, ts: number): void {
    const m = this.map(SITE_MAPS.availability);
    const cur = parsed(availabilitySchema, m.get(deviceId));
    if (!cur || cur.online !== online) m.set(deviceId, { online, ts });
  }

  setDeviceState(deviceId: string, state: Record<string, unknown>, ts: number): void {
    this.map(SITE_MAPS.state).set(deviceId, stateEntrySchema.parse({ state, ts }));
  }

  /** The last state the document holds for a device, if any. */
  deviceState(deviceId: string): { state: Record<string, unknown>; ts: number } | undefined {
    return parsed(stateEntrySchema, this.map(SITE_MAPS.state).get(deviceId));
  }

  setOccupancy(zoneId: string, count: number, ts: number): void {
    const m = this.map(SITE_MAPS.occupancy);
    const cur = parsed(occupancySchema, m.get(zoneId));
    if (!cur || cur.count !== count) m.set(zoneId, { count, ts });
  }

  occupancy(): Record<string, number> {
    const out: Record<string, number> = {};
    this.map(SITE_MAPS.occupancy).forEach((v, k) => {
      const o = parsed(occupancySchema, v);
      if (o) out[k] = o.count;
    });
    return out;
  }

  /** The in-use state of a booked resource's zone; undefined removes it. Written only when it changed. */
  setResourceUse(zoneId: string, use: ResourceUse | undefined): void {
    const m = this.map(SITE_MAPS.resourceUse);
    if (use === undefined) {
      if (m.has(zoneId)) m.delete(zoneId);
      return;
    }
    const next = resourceUseSchema.parse(use);
    const cur = parsed(resourceUseSchema, m.get(zoneId));
    if (!cur || cur.inUse !== next.inUse || cur.bookingId !== next.bookingId || cur.state !== next.state) m.set(zoneId, next);
  }

  /** Booked resources' zones and whether each is in use now. */
  resourceUse(): Record<string, ResourceUse> {
    const out: Record<string, ResourceUse> = {};
    this.map(SITE_MAPS.resourceUse).forEach((v, k) => {
      const u = parsed(resourceUseSchema, v);
      if (u) out[k] = u;
    });
    return out;
  }

  device(deviceId: string): DeviceView | undefined {
    return this.devices().find((d) => d.id === deviceId);
  }

  devices(): DeviceView[] {
    const positions = this.map(SITE_MAPS.positions);
    const availability = this.map(SITE_MAPS.availability);
    const states = this.map(SITE_MAPS.state);
    const out: DeviceView[] = [];
    this.map(SITE_MAPS.devices).forEach((v) => {
      const d = parsed(deviceDescriptorSchema, v);
      if (!d) return;
      const pos = parsed(positionEntrySchema, positions.get(d.id));
      const avail = parsed(availabilitySchema, availability.get(d.id));
      const st = parsed(stateEntrySchema, states.get(d.id));
      out.push({
        ...d,
        position: pos ? { x: pos.x, y: pos.y } : undefined,
        online: avail?.online ?? false,
        lastSeenAt: avail?.ts,
        state: st?.state,
        stateAt: st?.ts,
      });
    });
    return out.sort((a, b) => a.id.localeCompare(b.id));
  }

  alerts(): AlertView[] {
    return listAlerts(this.doc);
  }

  /** Calls `fn` after every change (local or remote); returns the unsubscribe function. */
  onChange(fn: (origin: unknown) => void): () => void {
    const handler = (_update: Uint8Array, origin: unknown): void => fn(origin);
    this.doc.on('update', handler);
    return () => this.doc.off('update', handler);
  }
}
