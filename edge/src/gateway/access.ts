import { accessRequestSchema, decideWithBookings, deviceTopic, type AccessResponse, type BookedDecision, type Credential } from '@cr/shared';
import { badInput, parseJson, type GatewayContext } from './context';
import { isAdmitted } from './devices';
import { SiteFacts } from '../store/site-facts';
import { decideThrottled, pinLockoutMessage } from './pin-throttle';
import { watchGrant } from './watch';
import { bookingsAfterDecision } from './bookings';

function respond(ctx: GatewayContext, readerId: string, response: AccessResponse): void {
  ctx.bus.publish(deviceTopic(ctx.config.siteId, readerId, 'access/response'), JSON.stringify(response), { qos: 1 });
}

/** A request the edge cannot read still gets an answer (once recorded), so the reader does not hang. */
export async function answerMalformed(ctx: GatewayContext, readerId: string, requestId: unknown): Promise<void> {
  const id = typeof requestId === 'string' ? requestId.slice(0, 128) : '';
  ctx.metrics.decisions.inc({ reason: 'malformed', granted: 'false' });
  const ts = ctx.now();
  await ctx.recorder.edge('access.denied', readerId, { reason: 'malformed', requestId: id }, ts);
  respond(ctx, readerId, { requestId: id, granted: false, reason: 'malformed', ts });
}

/** The decision, from memory only. Threat: a LAN client announcing itself as a reader and opening the door it names. */
function decide(ctx: GatewayContext, readerId: string, credential: Credential, door: { doorId: string; zoneId?: string } | undefined, now: number): BookedDecision {
  if (ctx.registry.get(readerId) && !isAdmitted(ctx, readerId)) return { granted: false, reason: 'device-pending' };
  // A door waiting for a person (new, or its zone removed) opens for nobody, whatever its reader.
  if (door && !isAdmitted(ctx, door.doorId)) return { granted: false, reason: 'device-pending' };
  const zoneId = door?.zoneId;
  const member = ctx.permissions.lookup(credential);
  const timeZone = SiteFacts.of(ctx.permissions.settings).timeZone;
  // A booking opens only for what decideWithBookings allows it to override (never a mode or safety denial).
  return decideWithBookings({
    credential,
    member,
    zoneId,
    // A secure-mode schedule of the policy tightens a normal site; it never loosens lockdown or any other mode.
    mode: ctx.modes.mode === 'normal' && ctx.policy.isSecureScheduled(now, timeZone) ? 'secure' : ctx.modes.mode,
    cacheSyncedAt: ctx.permissions.syncedAt,
    cacheTtlMs: ctx.config.cacheTtlMs,
    now,
    // Server-owned: the zone the cloud's site record names (a document's copy is for display only).
    timeZone,
    // Opening hours of the policy in force, from memory (computed once a minute).
    siteOpen: ctx.policy.isOpen(now, timeZone),
  }, ctx.bookings.book.candidates(member?.id, zoneId));
}

/**
 * A reader asks whether a credential may open its door. Decided from memory only (permission cache,
 * device registry, site mode), never waiting on the network; the decision is committed to the
 * outbox before the reader hears it or the door moves (group commit: one fsync for every decision
 * of the same tick); a grant pulses the door open unless the site already stands unlocked. If the
 * commit fails the reader is still answered: people are never locked in or out by a disk error.
 */
export async function handleAccessRequest(ctx: GatewayContext, readerId: string, payload: Buffer): Promise<void> {
  const started = performance.now();
  const json = parseJson(ctx, payload, `access request from ${readerId}`);
  const req = accessRequestSchema.safeParse(json);
  if (!req.success) {
    if (json !== undefined) badInput(ctx, 'schema', `access request from ${readerId}: ${req.error.issues[0]?.message ?? 'invalid'}`);
    return answerMalformed(ctx, readerId, (json as { requestId?: unknown } | undefined)?.requestId);
  }
  const now = ctx.now();
  ctx.registry.seen(readerId, now);
  if (!ctx.registry.get(readerId)) badInput(ctx, 'unknown-device', `access request from unregistered reader ${readerId}`);
  if (Math.abs(req.data.ts - now) > ctx.config.maxClockSkewMs) badInput(ctx, 'clock-skew', `reader ${readerId} clock is off by ${req.data.ts - now} ms`);
  const door = ctx.registry.doorOfReader(readerId);
  // Threat: PIN guessing at a keypad; PINs are refused unread while the reader or the PIN is locked.
  const decision = decideThrottled(ctx.pins, readerId, req.data.credential, now, () => decide(ctx, readerId, req.data.credential, door, now), (lockout) =>
    ctx.site.alerts.raise('pin-throttled', { deviceId: readerId, zoneId: door?.zoneId, message: pinLockoutMessage(lockout, now) }, now),
  );
  await ctx.recorder.edge(decision.granted ? 'access.granted' : 'access.denied', readerId, {
    reason: decision.reason,
    memberId: decision.memberId,
    doorId: door?.doorId,
    zoneId: door?.zoneId,
    credentialType: req.data.credential.type,
    requestId: req.data.requestId,
    bookingId: (decision as BookedDecision).bookingId,
  }, now);
  respond(ctx, readerId, { requestId: req.data.requestId, granted: decision.granted, reason: decision.reason, memberId: decision.memberId, ts: now });
  // In emergency-unlock the doors already stand open; a pulse would re-lock them when it ends.
  // (Read after the commit: a fire alarm in the same tick wins over the grant.)
  if (decision.granted && door && ctx.modes.mode !== 'emergency-unlock') {
    ctx.commander.send(door.doorId, 'pulse-unlock', `access granted to ${decision.memberId ?? 'credential'}`);
  }
  ctx.metrics.decisions.inc({ reason: decision.reason, granted: String(decision.granted) });
  ctx.metrics.decisionSeconds.observe((performance.now() - started) / 1000);
  // After the answer and its measurement: the anomaly detections never slow a decision down.
  if (decision.granted && door?.zoneId) watchGrant(ctx, door.zoneId, now);
  bookingsAfterDecision(ctx, decision, door?.zoneId, now);
}
