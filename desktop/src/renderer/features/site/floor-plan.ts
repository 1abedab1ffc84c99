import type { DeviceKind, DeviceView, Position, Zone } from '@cr/shared';

/** Pure floor-plan geometry and device visuals; the SVG component only draws what these return. */
export interface PlanBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

const DEFAULT_BOX: PlanBox = { x: 0, y: 0, width: 1000, height: 600 };

/** The drawing box around every zone, with a margin; the default plan when there are no zones. */
export function planBounds(zones: readonly Zone[], margin = 30): PlanBox {
  const pts = zones.flatMap((z) => z.polygon);
  if (pts.length === 0) return DEFAULT_BOX;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x = Math.min(...xs) - margin;
  const y = Math.min(...ys) - margin;
  return { x, y, width: Math.max(...xs) - x + margin, height: Math.max(...ys) - y + margin };
}

/** Plan units are 0…1000 on both axes (positionSchema); a drag outside is pulled back in. */
export function clampToPlan(p: Position): Position {
  const c = (v: number): number => Math.round(Math.min(1000, Math.max(0, v)));
  return { x: c(p.x), y: c(p.y) };
}

export function moveVertex(zone: Zone, index: number, to: Position): Zone {
  const p = clampToPlan(to);
  return { ...zone, polygon: zone.polygon.map((v, i) => (i === index ? [p.x, p.y] : v)) as Zone['polygon'] };
}

/** Where a zone's name goes: just inside its top-left corner. */
export function zoneLabelAnchor(zone: Zone): Position {
  const xs = zone.polygon.map((p) => p[0]);
  const ys = zone.polygon.map((p) => p[1]);
  return { x: Math.min(...xs) + 14, y: Math.min(...ys) + 28 };
}

export const polygonPoints = (zone: Zone): string => zone.polygon.map(([x, y]) => `${x},${y}`).join(' ');

export type DoorLook = 'locked' | 'unlocked' | 'open' | 'offline' | 'unknown';

/** How a door is drawn: offline wins (its state is stale), then open, then lock state. */
export function doorLook(d: Pick<DeviceView, 'online' | 'state'>): DoorLook {
  if (!d.online) return 'offline';
  const s = d.state;
  if (!s || typeof s.locked !== 'boolean') return 'unknown';
  if (s.open === true) return 'open';
  return s.locked ? 'locked' : 'unlocked';
}

export const DEVICE_GLYPH: Record<DeviceKind, string> = {
  door: 'D',
  reader: 'R',
  camera: 'C',
  pir: 'M',
  env: 'T',
  light: 'L',
  hvac: 'H',
  power: 'P',
  'fire-panel': 'F',
  kiosk: 'K',
};

/** Devices without a pin are placed along the bottom edge so they can still be seen and dragged. */
export function placedDevices(devices: readonly DeviceView[], box: PlanBox): Array<DeviceView & { at: Position; pinned: boolean }> {
  let unpinned = 0;
  return devices.map((d) => {
    if (d.position) return { ...d, at: d.position, pinned: true };
    const at = { x: box.x + 40 + (unpinned++ % 20) * 45, y: box.y + box.height - 15 };
    return { ...d, at, pinned: false };
  });
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A device's latest reading in units (a sensor's temperature and humidity, a meter's watts), if it has one. */
export function readingOf(d: Pick<DeviceView, 'kind' | 'state'>): string | undefined {
  const s = d.state ?? {};
  const parts: string[] = [];
  const celsius = num(d.kind === 'hvac' ? s.currentC : s.temperatureC);
  if (celsius !== undefined) parts.push(`${celsius.toFixed(1)} °C`);
  const humidity = num(s.humidityPct);
  if (humidity !== undefined) parts.push(`${Math.round(humidity)} %`);
  const co2 = num(s.co2ppm);
  if (co2 !== undefined) parts.push(`${Math.round(co2)} ppm`);
  const watts = num(s.watts);
  if (watts !== undefined) parts.push(`${Math.round(watts)} W`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}
