import { siteZonesSchema, type SiteZoneFacts } from '@cr/shared';
import type { Settings } from './db';

const KEY = 'site.zones';

/**
 * The zones of the site as the cloud records them (CONTRACT.md §6): a door's or reader's zone is
 * one of these, whatever its own config claims. Taken from the cloud (welcome and `site.zones`),
 * kept in SQLite so an offline restart places devices the same way. Never taken from the site
 * document, which consoles write. Before the cloud ever named them (a gateway that never linked)
 * the zones are unknown and devices' own configs stand.
 */
export class SiteZones {
  private zones: Map<string, string> | undefined;

  constructor(private readonly settings: Settings) {
    const stored = settings.get(KEY);
    const parsed = stored === undefined ? undefined : siteZonesSchema.safeParse(safeJson(stored));
    this.zones = parsed?.success ? new Map(parsed.data.map((z) => [z.id, z.name])) : undefined;
  }

  /** Whether the cloud ever named the site's zones. */
  get known(): boolean {
    return this.zones !== undefined;
  }

  /** Whether a device may be in `zoneId`: a zone the cloud recorded, or any before it named one. */
  has(zoneId: string): boolean {
    return this.zones === undefined || this.zones.has(zoneId);
  }

  name(zoneId: string): string | undefined {
    return this.zones?.get(zoneId);
  }

  /** Takes the cloud's zones; true when they differ from the last ones (devices must be placed again). */
  adopt(zones: SiteZoneFacts): boolean {
    const next = new Map(zones.map((z) => [z.id, z.name]));
    const same = this.zones !== undefined && this.zones.size === next.size && [...next].every(([id, name]) => this.zones!.get(id) === name);
    if (same) return false;
    this.zones = next;
    this.settings.set(KEY, JSON.stringify(zones));
    return true;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
