import { z } from 'zod';
import { idSchema, uuidSchema } from '../ids';
import { edgeBookingSchema } from '../booking/booking-state';
import { memberSchema } from '../access/permissions';
import { MAX_DEVICES_PER_SITE, MAX_EDGE_BOOKINGS, MAX_EVENT_BATCH } from './limits';
import { siteEventSchema } from './events';
import { doorActionSchema, MAX_PULSE_MS } from './commands';
import { siteModeSchema } from './site-mode';
import { batterySchema, deviceKindSchema } from './devices';
import { importPublicKey } from '../auth/token';
import { firmwareManifestSchema, ROLLOUT_DEVICE_STATES } from './firmware';

/**
 * The edge ↔ cloud control link: one WebSocket per edge at `EDGE_LINK_PATH`, authenticated with the
 * site's edge token, carrying JSON messages. The site's Yjs document syncs on a second socket with
 * the standard y-websocket protocol. Every message is validated on arrival on both sides.
 */
export const EDGE_LINK_PATH = '/edge/v1/link';

const ts = z.number().int().nonnegative();
const jwkSchema = z.record(z.string(), z.unknown());

/** What a remote command asks the edge to do. */
export const commandTargetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('door'),
    doorId: idSchema,
    action: doorActionSchema,
    durationMs: z.number().int().min(100).max(MAX_PULSE_MS).optional(),
  }),
  z.object({ kind: z.literal('mode'), mode: siteModeSchema }),
]);
export type CommandTarget = z.infer<typeof commandTargetSchema>;

/** A command issued by a person, authorized by the cloud (or the edge's local API) and audited. */
export const remoteCommandSchema = z.object({
  id: z.string().min(1).max(128),
  siteId: idSchema,
  target: commandTargetSchema,
  reason: z.string().min(1).max(500),
  issuedBy: z.string().min(1).max(200),
  /** the issuer's display name, for the audit log and the door's reason only; never decides anything */
  issuerName: z.string().max(200).optional(),
  /** the issuer's role, so the edge can re-check authority (e.g. who may reset a fire state) */
  issuerRole: z.string().max(40),
  issuedAt: ts,
  /** deadline in the issuer's clock; kept for edges that do not read `ttlMs` */
  expiresAt: ts,
  /** time to live counted from the moment the edge receives the command (clock-independent) */
  ttlMs: z.number().int().positive().max(600_000).optional(),
});
export type RemoteCommand = z.infer<typeof remoteCommandSchema>;

/** Final outcome of a command as the edge reports it. */
/** What one door did with its part of a mode change. */
export const DOOR_RESULTS = ['confirmed', 'no-answer', 'offline', 'failed'] as const;
export const doorReportSchema = z.object({ doorId: idSchema, result: z.enum(DOOR_RESULTS), error: z.string().max(200).optional() });
export type DoorReport = z.infer<typeof doorReportSchema>;

export const commandOutcomeSchema = z.object({
  commandId: z.string().min(1).max(128),
  status: z.enum(['executed', 'failed', 'rejected', 'expired']),
  error: z.string().max(500).optional(),
  /** a mode change: every door's result (executed only when every reachable door confirmed) */
  doors: z.array(doorReportSchema).max(MAX_DEVICES_PER_SITE).optional(),
  ts,
});
export type CommandOutcome = z.infer<typeof commandOutcomeSchema>;

/** A device of the site as its edge holds it: registry, health and admission (CONTRACT.md §6). */
export const reportedDeviceSchema = z.object({
  id: idSchema,
  kind: deviceKindSchema,
  name: z.string().min(1).max(120),
  zoneId: idSchema.optional(),
  /** a reader's door */
  doorId: idSchema.optional(),
  online: z.boolean(),
  approval: z.enum(['pending', 'approved']),
  firmware: z.string().max(60).optional(),
  model: z.string().max(120).optional(),
  /** the zone the device's own config names, when the site's zones decide otherwise (unknown zone, placed elsewhere) */
  claimedZoneId: idSchema.optional(),
  /** when the edge last heard from the device (edge clock); absent until it did */
  lastSeenAt: ts.optional(),
  /** faults and malformed payloads of the device in the last 24 h; absent when none */
  errors24h: z.number().int().nonnegative().max(1_000_000).optional(),
  /** charge in % from the device's last state (battery-powered kinds only) */
  battery: batterySchema.optional(),
  /** true while a flapping episode (`device.flapping`) is open; absent otherwise */
  flapping: z.boolean().optional(),
});
export type ReportedDevice = z.infer<typeof reportedDeviceSchema>;

export const edgeToCloudSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    siteId: idSchema,
    /** last permission version the edge holds (0 = none): the cloud answers with what is newer */
    permissionsVersion: z.number().int().nonnegative(),
    mode: siteModeSchema,
    /** the edge's fire state, so the cloud's record of the site survives the gateway */
    fireActive: z.boolean().optional(),
    outboxDepth: z.number().int().nonnegative(),
    version: z.string().max(40),
    ts,
  }),
  z.object({
    type: z.literal('events'),
    batchId: z.string().min(1).max(128),
    events: z.array(siteEventSchema).min(1).max(MAX_EVENT_BATCH),
  }),
  z.object({ type: z.literal('command.outcome'), outcome: commandOutcomeSchema }),
  z.object({
    type: z.literal('heartbeat'),
    mode: siteModeSchema,
    fireActive: z.boolean().optional(),
    outboxDepth: z.number().int().nonnegative(),
    permissionsSyncedAt: ts.optional(),
    ts,
  }),
  /**
   * The site's whole device list, replacing the last one the cloud holds: sent after every welcome
   * and, debounced, whenever a device joins, leaves, changes, goes on- or offline or is approved.
   */
  z.object({ type: z.literal('devices'), devices: z.array(reportedDeviceSchema).max(MAX_DEVICES_PER_SITE), ts }),
  /** how a device's firmware update goes (CONTRACT.md §6); `done` only once it re-announced the version */
  z.object({
    type: z.literal('firmware.progress'),
    rolloutId: z.string().min(1).max(64),
    deviceId: idSchema,
    state: z.enum(ROLLOUT_DEVICE_STATES).exclude(['queued', 'skipped']),
    error: z.string().max(200).optional(),
    ts,
  }),
  /** the edge enforces this policy version from now on (also when it already did: reports are idempotent) */
  z.object({ type: z.literal('policy.applied'), policyId: z.string().min(1).max(64), version: z.number().int().min(1) }),
  /** the edge could not use this version (why, first problem); the version it enforced before stays */
  z.object({ type: z.literal('policy.refused'), policyId: z.string().min(1).max(64), version: z.number().int().min(1), error: z.string().max(500) }),
]);
export type EdgeToCloud = z.infer<typeof edgeToCloudSchema>;

/** The cloud's last record of a site's mode, from its gateway's hello and heartbeats. */
export const siteRecordSchema = z.object({ mode: siteModeSchema, fireActive: z.boolean() });
export type SiteRecord = z.infer<typeof siteRecordSchema>;

/** Most parts one permission update may be split into (a bound on what an edge stages). */
export const MAX_PERMISSION_CHUNKS = 2_000;

/** Most entries of each kind a revocation list carries (entries drop out once their tokens expired). */
export const MAX_REVOCATIONS = 4_000;

/**
 * The tenant's whole current revocation list (it replaces the edge's), sent after `welcome` and
 * again within seconds of every change: the edge refuses LAN tokens it names, and keeps the list
 * across restarts. An entry is dropped once `until` (cloud clock, ms) has passed, by which time
 * every token it concerns has expired.
 */
export const revocationsSchema = z.object({
  type: z.literal('revocations'),
  /** people whose tokens issued before `before` (ms; disabled, re-scoped, password changed) are refused */
  users: z.array(z.object({ userId: z.string().min(1).max(64), before: ts, until: ts })).max(MAX_REVOCATIONS),
  /** single tokens refused by id (a LAN token given up at sign-out) */
  tokens: z.array(z.object({ jti: z.string().min(1).max(64), until: ts })).max(MAX_REVOCATIONS),
});
export type RevocationsMessage = z.infer<typeof revocationsSchema>;

/** The zones of a site as the cloud records them (CONTRACT.md §6): what a door's or reader's zone must be one of. */
export const siteZonesSchema = z.array(z.object({ id: idSchema, name: z.string().min(1).max(120) })).max(MAX_DEVICES_PER_SITE);
export type SiteZoneFacts = z.infer<typeof siteZonesSchema>;

export const cloudToEdgeSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    siteId: idSchema,
    tenantId: idSchema,
    serverTime: ts,
    /** the cloud's token-signing public key (JWK), pinned by the edge to verify tokens offline */
    publicKey: jwkSchema,
    /** proof for a changed key: the previous key's signature (base64url) over `canonicalJwk(publicKey)` */
    keyRotation: z.object({ publicKey: jwkSchema, signature: z.string().min(1).max(200) }).optional(),
    /** what the cloud last knew of the site's mode; the edge takes the stricter of it and its own */
    siteRecord: siteRecordSchema.optional(),
    /** facts of the site the cloud owns (its directory's time zone): the edge keeps and decides by them */
    site: z.object({ timezone: z.string().min(1).max(64), zones: siteZonesSchema.optional() }).optional(),
  }),
  /** the site's zones changed (created, renamed, removed): the edge places devices by them from now on */
  z.object({ type: z.literal('site.zones'), zones: siteZonesSchema }),
  z.object({
    type: z.literal('events.ack'),
    batchId: z.string().min(1).max(128),
    stored: z.number().int().nonnegative(),
    duplicates: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('permissions'),
    /** snapshot: replace everything; delta: apply on top of `fromVersion` */
    kind: z.enum(['snapshot', 'delta']),
    fromVersion: z.number().int().nonnegative(),
    version: z.number().int().nonnegative(),
    upserts: z.array(memberSchema),
    removals: z.array(idSchema),
    /** one part of an update too large for one message; the edge applies the update once all parts are in */
    chunk: z
      .object({ index: z.number().int().nonnegative(), count: z.number().int().min(1).max(MAX_PERMISSION_CHUNKS) })
      .refine((c) => c.index < c.count, 'chunk index beyond its count')
      .optional(),
  }),
  z.object({ type: z.literal('command'), command: remoteCommandSchema }),
  /** answers a heartbeat: the cloud's clock, and the heartbeat's own `ts` so the edge can time the round trip */
  z.object({ type: z.literal('time'), serverTime: ts, echo: ts }),
  /** a fresh edge token (same id, later expiry) the edge uses from now on */
  z.object({ type: z.literal('token'), token: z.string().min(1).max(8192) }),
  revocationsSchema,
  /** a person admitted a pending device (CONTRACT.md §6), optionally in a zone; the edge's next device report confirms */
  z.object({ type: z.literal('device.approve'), deviceId: idSchema, zoneId: idSchema.optional(), by: z.string().max(200) }),
  /** a person moved a device to another zone of the site; its approval stays as it is */
  z.object({ type: z.literal('device.place'), deviceId: idSchema, zoneId: idSchema, by: z.string().max(200) }),
  /**
   * Per-device MQTT logins of a closed embedded broker (CONTRACT.md §6): a snapshot replaces every
   * issued login the edge holds, a delta adds or replaces `upserts` and revokes `removals`. Only
   * scrypt hashes travel; a revoked login's live connection is closed.
   */
  z.object({
    type: z.literal('device.logins'),
    kind: z.enum(['snapshot', 'delta']),
    upserts: z
      .array(z.object({ deviceId: idSchema, username: z.string().min(1).max(128), passwordHash: z.string().min(1).max(300) }))
      .max(MAX_DEVICES_PER_SITE),
    removals: z.array(idSchema).max(MAX_DEVICES_PER_SITE),
  }),
  /** a tenant admin opened a commissioning window: devices announcing themselves meanwhile are admitted */
  z.object({ type: z.literal('commissioning'), minutes: z.number().int().min(1).max(24 * 60), by: z.string().max(200) }),
  /** update one device: a manifest the cloud signed with its pinned key (base64url Ed25519), verified before it is offered */
  z.object({ type: z.literal('firmware.update'), manifest: firmwareManifestSchema, signature: z.string().min(1).max(200) }),
  /**
   * Bookings of the site running now or starting within EDGE_BOOKING_HORIZON_MS (CONTRACT.md §8):
   * a snapshot replaces every booking the edge holds, a delta adds or replaces `upserts` and drops
   * `removals` (cancelled, moved out of the horizon, ended).
   */
  z.object({
    type: z.literal('bookings'),
    kind: z.enum(['snapshot', 'delta']),
    upserts: z.array(edgeBookingSchema).max(MAX_EDGE_BOOKINGS),
    removals: z.array(uuidSchema).max(MAX_EDGE_BOOKINGS),
  }),
  /**
   * The site's assigned policy version (CONTRACT.md §9), after the welcome and on every rollout. The
   * body is checked by the edge against its own policy schema, so a version it cannot read is refused
   * there, reported, and the last good one stays in force.
   */
  z.object({ type: z.literal('policy'), policyId: z.string().min(1).max(64), version: z.number().int().min(1), body: z.unknown() }),
  z.object({ type: z.literal('error'), code: z.string().max(60), message: z.string().max(500) }),
]);
export type PolicyMessage = Extract<CloudToEdge, { type: 'policy' }>;
export type BookingsMessage = Extract<CloudToEdge, { type: 'bookings' }>;
export type CloudToEdge = z.infer<typeof cloudToEdgeSchema>;
export type PermissionsMessage = Extract<CloudToEdge, { type: 'permissions' }>;

/** Budget of one permissions message; the link refuses messages over MAX_WS_MESSAGE_BYTES (1 MiB). */
export const PERMISSION_CHUNK_BYTES = 512 * 1024;

const utf8 = new TextEncoder();

/**
 * Splits a permission update into messages of at most `maxBytes` of members and removals each (a
 * single member larger than that travels alone). One message needs no `chunk`; several carry
 * `chunk: {index, count}` and the same kind and versions, so the edge can stage them and apply the
 * whole update at once.
 */
export function splitPermissions(update: Omit<PermissionsMessage, 'type' | 'chunk'>, maxBytes = PERMISSION_CHUNK_BYTES): PermissionsMessage[] {
  const parts: Array<{ upserts: PermissionsMessage['upserts']; removals: string[] }> = [{ upserts: [], removals: [] }];
  let bytes = 0;
  const room = (size: number) => {
    if (bytes > 0 && bytes + size > maxBytes) {
      parts.push({ upserts: [], removals: [] });
      bytes = 0;
    }
    bytes += size;
    return parts[parts.length - 1]!;
  };
  for (const id of update.removals) room(id.length + 3).removals.push(id);
  for (const m of update.upserts) room(utf8.encode(JSON.stringify(m)).length + 1).upserts.push(m);
  const head = { type: 'permissions' as const, kind: update.kind, fromVersion: update.fromVersion, version: update.version };
  if (parts.length === 1) return [{ ...head, ...parts[0]! }];
  return parts.map((p, index) => ({ ...head, ...p, chunk: { index, count: parts.length } }));
}

/** RFC 7638 form of a public JWK (required members only, sorted): what key pinning compares and signs. */
export function canonicalJwk(jwk: Record<string, unknown>): string {
  const members = ['crv', 'e', 'kty', 'n', 'x', 'y'].filter((k) => jwk[k] !== undefined);
  return JSON.stringify(Object.fromEntries(members.map((k) => [k, jwk[k]])));
}

const ED25519 = { name: 'Ed25519' } as const;

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The previous signing key vouches for the next one: its signature over the next key's canonical JWK. */
export async function signKeyRotation(previousPrivateKey: CryptoKey, nextJwk: Record<string, unknown>): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign(ED25519, previousPrivateKey, utf8.encode(canonicalJwk(nextJwk)))));
}

/** Whether `signature` is `previousJwk`'s proof for `nextJwk`; false for any malformed input. */
export async function verifyKeyRotation(previousJwk: Record<string, unknown>, nextJwk: Record<string, unknown>, signature: string): Promise<boolean> {
  try {
    const key = await importPublicKey(previousJwk as JsonWebKey);
    return await crypto.subtle.verify(ED25519, key, fromBase64url(signature), utf8.encode(canonicalJwk(nextJwk)));
  } catch {
    return false;
  }
}
