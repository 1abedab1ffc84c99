/** What the generators may know about the edge under attack. */
export interface FuzzSite {
  siteId: string;
  tenantId: string;
  /** `site:{tenant}:{site}`, the one document the edge serves on the LAN */
  docName: string;
  /** every forged publish on an edge-only topic carries this, so a delivery of one is recognisable */
  marker: string;
  /** bearer tokens that must open nothing on the LAN API: garbage, another key, another tenant, expired, an edge token */
  badTokens: string[];
  /** tokens the edge accepts for its site document (empty without a cloud) */
  docTokens: string[];
}

/** The door and reader the final checks swipe at; the generators never touch their device topics except to forge. */
export const PROBE = { doorId: 'door-fz', readerId: 'reader-fz', zoneId: 'lobby' } as const;

/** A demo card the fake cloud grants on `lobby` (CONTRACT.md §1). */
export const GRANTED_CARD = 'card-0001';

/** How many inputs a run sends per surface. */
export interface FuzzSize {
  /** MQTT publishes through ordinary clients */
  mqtt: number;
  /** raw-TCP MQTT garbage connections */
  mqttRaw: number;
  /** HTTP requests (fetch and raw sockets) */
  http: number;
  /** WebSocket upgrades plus the frames sent after them */
  ws: number;
}

export const FULL_SIZE: FuzzSize = { mqtt: 10_000, mqttRaw: 500, http: 2_000, ws: 1_000 };
/** The `npm test` slice: a few hundred inputs per surface, well under 40 s with the process start. */
export const SLICE_SIZE: FuzzSize = { mqtt: 400, mqttRaw: 40, http: 300, ws: 200 };

/** Fixed unless FUZZ_SEED or --seed says otherwise, so every run of `npm test` sends the same inputs. */
export const DEFAULT_SEED = 20_240_611;

export function seedFrom(env: NodeJS.ProcessEnv, flag?: string): number {
  const raw = flag ?? env.FUZZ_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`seed must be an integer, got ${JSON.stringify(raw)}`);
  return n >>> 0;
}
