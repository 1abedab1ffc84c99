import { z } from 'zod';
import { idSchema } from '../ids';
import { memberSchema } from '../access/permissions';
import { MAX_EVENT_BATCH } from './limits';
import { siteEventSchema } from './events';
import { doorActionSchema, MAX_PULSE_MS } from './commands';
import { siteModeSchema } from './site-mode';

/**
 * The edge ↔ cloud control link: one WebSocket per edge at `EDGE_LINK_PATH`, authenticated with the
 * site's edge token, carrying JSON messages. The site's Yjs document syncs on a second socket with
 * the standard y-websocket protocol. Every message is validated on arrival on both sides.
 */
export const EDGE_LINK_PATH = '/edge/v1/link';

const ts = z.number().int().nonnegative();

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
  /** the issuer's role, so the edge can re-check authority (e.g. who may reset a fire state) */
  issuerRole: z.string().max(40),
  issuedAt: ts,
  expiresAt: ts,
});
export type RemoteCommand = z.infer<typeof remoteCommandSchema>;

/** Final outcome of a command as the edge reports it. */
export const commandOutcomeSchema = z.object({
  commandId: z.string().min(1).max(128),
  status: z.enum(['executed', 'failed', 'rejected', 'expired']),
  error: z.string().max(500).optional(),
  ts,
});
export type CommandOutcome = z.infer<typeof commandOutcomeSchema>;

export const edgeToCloudSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    siteId: idSchema,
    /** last permission version the edge holds (0 = none): the cloud answers with what is newer */
    permissionsVersion: z.number().int().nonnegative(),
    mode: siteModeSchema,
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
    outboxDepth: z.number().int().nonnegative(),
    permissionsSyncedAt: ts.optional(),
    ts,
  }),
]);
export type EdgeToCloud = z.infer<typeof edgeToCloudSchema>;

export const cloudToEdgeSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    siteId: idSchema,
    tenantId: idSchema,
    serverTime: ts,
    /** the cloud's token-signing public key (JWK), cached by the edge to verify tokens offline */
    publicKey: z.record(z.string(), z.unknown()),
  }),
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
  }),
  z.object({ type: z.literal('command'), command: remoteCommandSchema }),
  z.object({ type: z.literal('error'), code: z.string().max(60), message: z.string().max(500) }),
]);
export type CloudToEdge = z.infer<typeof cloudToEdgeSchema>;
