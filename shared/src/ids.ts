import { z } from 'zod';

/** Ids of sites, devices, zones, members…: lower-case, no `/`, `+` or `#`, so they are safe in MQTT topics. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id as CONTRACT.md fixes it. */
export const idSchema = z.string().regex(ID_PATTERN, 'must match ^[a-z0-9][a-z0-9._-]{0,63}$');

/** A UUID (event ids, command ids). */
export const uuidSchema = z.string().regex(UUID_PATTERN, 'must be a UUID');

/** Either a contract id or a UUID. */
export const idOrUuidSchema = z.union([idSchema, uuidSchema]);

export type Id = string;

export function isId(value: unknown): value is Id {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** Throws a clear error naming the field when `value` is not a valid id. */
export function assertId(value: unknown, field = 'id'): asserts value is Id {
  if (!isId(value)) {
    throw new Error(`${field} ${JSON.stringify(value)} is not a valid id (${ID_PATTERN.source})`);
  }
}

/**
 * Deterministic alert id: the same incident seen by the edge and by the cloud gets the same id,
 * so the two never create two alerts for one incident.
 */
export function alertId(siteId: Id, sourceId: Id, type: string, startedAt: number): string {
  return `${siteId}.${sourceId}.${type}.${Math.trunc(startedAt)}`;
}
