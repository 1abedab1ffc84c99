import { DEMO_SITES, type DemoDevice, type DemoSite } from '@cr/shared';

const EXTRA_KINDS = ['pir', 'env', 'light', 'camera', 'power'] as const;

/**
 * A site as the design's average (50 devices): the demo floor plan and its devices, plus generated
 * facility devices in the same zones up to `devices`.
 */
export function benchSite(id: string, index: number, devices = 50): DemoSite {
  const base = DEMO_SITES[0]!;
  const extra: DemoDevice[] = [];
  for (let i = base.devices.length; i < devices; i++) {
    const zone = base.zones[i % base.zones.length]!;
    const kind = EXTRA_KINDS[i % EXTRA_KINDS.length]!;
    const [x0, y0] = zone.polygon[0]!;
    extra.push({ id: `${kind}-x${i}`, kind, name: `${kind} ${i}`, zoneId: zone.id, position: { x: x0 + 20 + ((i * 37) % 200), y: y0 + 20 + ((i * 53) % 200) } });
  }
  return {
    ...base,
    id,
    name: `Bench site ${index + 1}`,
    // Spread around Seoul so the overview map has 200 distinct pins.
    lat: 37.45 + ((index * 7) % 20) * 0.01,
    lng: 126.85 + Math.floor(index / 20) * 0.03,
    devices: [...base.devices, ...extra],
  };
}

export const benchSiteId = (i: number): string => `bench-${String(i + 1).padStart(3, '0')}`;
