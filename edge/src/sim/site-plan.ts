import { DEMO_SITES, type DemoDevice, type DeviceKind } from '@cr/shared';

/** Kinds added, in turn, when `--devices` asks for more than the seeded site has. */
const EXTRA_KINDS: DeviceKind[] = ['door', 'reader', 'pir', 'env', 'light', 'camera', 'hvac', 'power'];

/**
 * The devices a simulated site has: a demo site's exact devices (same ids, zones and positions as
 * the cloud's demo data), or the same layout for any other site id, plus generated devices in the
 * same zones up to `count`. A fire panel is always present.
 */
export function sitePlan(siteId: string, count?: number): DemoDevice[] {
  const template = DEMO_SITES.find((s) => s.id === siteId) ?? DEMO_SITES[0]!;
  const seeded = template.devices.map((d) => ({ ...d, position: { ...d.position } }));
  const zones = template.zones.map((z) => z.id);
  if (count === undefined || count === seeded.length) return seeded;
  if (count < seeded.length) {
    const panel = seeded.find((d) => d.kind === 'fire-panel')!;
    return [...seeded.filter((d) => d !== panel).slice(0, Math.max(0, count - 1)), panel];
  }
  const out = [...seeded];
  let lastDoor: string | undefined;
  for (let n = 0; out.length < count; n++) {
    const kind = EXTRA_KINDS[n % EXTRA_KINDS.length]!;
    const group = Math.floor(n / EXTRA_KINDS.length);
    const zoneId = zones[group % zones.length]!;
    const id = `${kind}-x${group}`;
    const position = { x: 40 + ((group * 37 + n * 11) % 920), y: 40 + ((group * 53 + n * 7) % 520) };
    out.push({ id, kind, name: `${kind} ${group} (generated)`, zoneId, position, doorId: kind === 'reader' ? lastDoor : undefined });
    if (kind === 'door') lastDoor = id;
  }
  return out;
}
