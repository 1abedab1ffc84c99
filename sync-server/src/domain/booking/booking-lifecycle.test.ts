import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_BOOKING_HORIZON_MS, holdsSlot, overlaps, type BookingFact } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { TestEdge } from '../../testing/edge-client';

/** What happens to bookings after they are made: no-shows, edge facts, the conflict rule, series, the edge feed. */
const HQ = 'hq@demo.local';
const MIN = 60_000;
const HOUR = 60 * MIN;

/** The fields of JSON answers these tests read. */
interface Answer {
  id: string;
  state: string;
  end: number;
  message: string;
  seriesId: string;
  conflict: unknown;
  resources: unknown[];
  created: Array<{ id: string; start: number }>;
  conflicts: Array<{ reason: string; conflict: { id: string } }>;
  cancelled: unknown[];
  [key: string]: unknown;
}

let t: TestCloud;
let url: string;
const edges: TestEdge[] = [];
beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
});
afterEach(() => edges.splice(0).forEach((e) => e.close()));
afterAll(() => t.close());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await t.api(method, path, { token: await t.token(HQ), body });
  return { status: res.status, body: (await res.json()) as Answer };
};
const book = (body: Record<string, unknown>) => call('POST', '/api/v1/sites/gangnam/bookings', body);
const minute = (ts: number) => Math.floor(ts / MIN) * MIN;
const auditOf = async (target: string) =>
  ((await call('GET', '/api/v1/audit?siteId=gangnam')).body as unknown as Array<{ action: string; target: string; actor: string }>).filter((r) => r.target === target);

async function edgeOf(site = 'gangnam'): Promise<TestEdge> {
  const edge = await TestEdge.connect(url, t.cloud.demoEdgeTokens[site]!);
  edges.push(edge);
  edge.hello(site);
  await edge.next('welcome');
  return edge;
}

/** Uploads events as the edge's outbox does and waits for the acknowledgement. */
async function upload(edge: TestEdge, events: Array<{ id: string; type: string; ts: number; data?: Record<string, unknown> }>) {
  const batchId = randomUUID();
  edge.send({ type: 'events', batchId, events });
  return edge.next('events.ack', (m) => m.batchId === batchId);
}
const factEvent = (f: BookingFact, id = randomUUID()) => ({ id, type: f.kind === 'check-in' ? 'booking.checked-in' : 'booking.released', ts: f.at, data: { ...f } });

describe('booking lifecycle', () => {
  it('releases a no-show on the cloud’s own timer, audits it, and frees the slot', async () => {
    const start = minute(Date.now());
    const a = await book({ resourceId: 'meeting-room', memberId: 'member-0020', start, end: start + HOUR });
    expect(a.status).toBe(201);
    expect(await t.cloud.ctx.bookings.sweep(start + 10 * MIN)).toBe(0);
    expect(await t.cloud.ctx.bookings.sweep(start + 16 * MIN)).toBeGreaterThanOrEqual(1);
    expect((await call('GET', `/api/v1/bookings/${a.body.id}`)).body).toMatchObject({ state: 'released', releasedAt: start + 15 * MIN });
    expect(await auditOf(a.body.id)).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'booking.release', actor: 'system:no-show' })]));
  });

  it('records facts from uploaded events once, ignores malformed ones, and supersedes the booking made in a late check-in’s slot', async () => {
    const edge = await edgeOf();
    const start = minute(Date.now());
    const a = await book({ resourceId: 'phone-booth', memberId: 'member-0021', start, end: start + HOUR });
    await t.cloud.ctx.bookings.sweep(start + 16 * MIN);
    expect((await call('GET', `/api/v1/bookings/${a.body.id}`)).body.state).toBe('released');
    // The slot the cloud freed is booked again by someone else.
    const b = await book({ resourceId: 'phone-booth', memberId: 'member-0022', start: start + 20 * MIN, end: start + HOUR });
    expect(b.status).toBe(201);
    // The edge was offline at the start: the member's check-in at +2 min arrives now, twice, beside a malformed fact.
    const rejectedBefore = (await t.cloud.ctx.metrics.bookingFactsRejected.get()).values[0]?.value ?? 0;
    const fact: BookingFact = { bookingId: a.body.id, kind: 'check-in', at: start + 2 * MIN, source: 'grant' };
    const event = factEvent(fact);
    const ack = await upload(edge, [event, { id: randomUUID(), type: 'booking.checked-in', ts: start, data: { bookingId: 'not-a-uuid' } }]);
    expect(ack.stored).toBe(2);
    expect((await upload(edge, [event])).duplicates).toBe(1);
    await upload(edge, [factEvent(fact)]);
    expect(await t.cloud.ctx.stores.bookings.facts('demo', a.body.id)).toEqual([fact]);
    expect((await t.cloud.ctx.metrics.bookingFactsRejected.get()).values[0]?.value).toBe(rejectedBefore + 1);
    expect((await call('GET', `/api/v1/bookings/${a.body.id}`)).body).toMatchObject({ state: 'checked-in', checkedInAt: start + 2 * MIN });
    expect((await call('GET', `/api/v1/bookings/${b.body.id}`)).body).toMatchObject({ state: 'cancelled', cancelReason: 'superseded' });
    expect(await auditOf(b.body.id)).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'booking.supersede' })]));
    // The edge learns both outcomes.
    await edge.next('bookings', (m) => m.kind === 'delta' && m.removals.includes(b.body.id));
    const listed = (await call('GET', `/api/v1/sites/gangnam/bookings?from=${start}&to=${start + HOUR}&resourceId=phone-booth`)).body as unknown as Array<{ state: string; start: number; end: number }>;
    const holding = listed.filter((x) => holdsSlot(x.state as never));
    expect(holding).toHaveLength(1);
    for (const x of holding) for (const y of holding) if (x !== y) expect(overlaps(x.start, x.end, y.start, y.end)).toBe(false);
    const usage = await t.cloud.ctx.stores.bookingUsage.query({ tenantId: 'demo', from: 0, to: Date.now() + HOUR });
    expect(usage.filter((u) => u.bookingId === a.body.id).map((u) => u.kind)).toEqual(['check-in']);
  });

  it('extends an overrunning booking when the next slot is free, and not past the next booking', async () => {
    const edge = await edgeOf();
    const start = minute(Date.now());
    const a = await book({ resourceId: 'recharging-zone', memberId: 'member-0023', start, end: start + 30 * MIN });
    const next = await book({ resourceId: 'recharging-zone', memberId: 'member-0024', start: start + 40 * MIN, end: start + HOUR });
    await upload(edge, [factEvent({ bookingId: a.body.id, kind: 'check-in', at: start + MIN, source: 'grant' })]);
    const overrun = { id: randomUUID(), type: 'booking.overrun', ts: start + 30 * MIN, data: { bookingId: a.body.id, at: start + 30 * MIN } };
    await upload(edge, [overrun]);
    expect((await call('GET', `/api/v1/bookings/${a.body.id}`)).body.end).toBe(start + 40 * MIN);
    await upload(edge, [{ ...overrun, id: randomUUID() }]);
    expect((await call('GET', `/api/v1/bookings/${a.body.id}`)).body.end).toBe(start + 40 * MIN);
    expect((await call('GET', `/api/v1/bookings/${next.body.id}`)).body.state).toBe('booked');
    expect(await auditOf(a.body.id)).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'booking.extend' })]));
  });

  it('feeds the edge: a snapshot of the 48 h horizon on connect, a delta for each new or cancelled booking', async () => {
    const soon = minute(Date.now() + 3 * HOUR);
    const far = minute(Date.now() + EDGE_BOOKING_HORIZON_MS + 12 * HOUR);
    const near = await book({ resourceId: 'meeting-room', memberId: 'member-0025', start: soon, end: soon + HOUR });
    const beyond = await book({ resourceId: 'meeting-room', memberId: 'member-0026', start: far, end: far + HOUR });
    const edge = await edgeOf();
    const snapshot = await edge.next('bookings', (m) => m.kind === 'snapshot');
    const ids = snapshot.upserts.map((b) => b.id);
    expect(ids).toContain(near.body.id);
    expect(ids).not.toContain(beyond.body.id);
    expect(snapshot.upserts.find((b) => b.id === near.body.id)).toMatchObject({ zoneId: 'meeting', memberId: 'member-0025', graceMs: 15 * MIN, state: 'booked' });
    const from = edge.received.length;
    const made = await book({ resourceId: 'meeting-room', memberId: 'member-0027', start: soon + 2 * HOUR, end: soon + 3 * HOUR });
    const delta = await edge.next('bookings', (m) => m.kind === 'delta' && m.upserts.some((b) => b.id === made.body.id), 5000, from);
    expect(delta.upserts[0]).toMatchObject({ zoneId: 'meeting', start: soon + 2 * HOUR });
    await call('DELETE', `/api/v1/bookings/${made.body.id}`);
    await edge.next('bookings', (m) => m.kind === 'delta' && m.removals.includes(made.body.id), 5000, from);
  });

  it('expands a weekly-style rule in Seoul time, skipping New Year’s Day and reporting it', async () => {
    // 10:00 in Seoul on 30 Dec 2026, daily for five days: 1 Jan 2027 is a public holiday.
    const start = Date.UTC(2026, 11, 30, 1, 0);
    if (start < Date.now()) return; // the calendar moved past the example
    const r = await book({ resourceId: 'meeting-room', memberId: 'member-0028', start, end: start + HOUR, recurrence: { rrule: 'FREQ=DAILY;COUNT=5', skipHolidays: true } });
    expect(r.status).toBe(201);
    const days = (r.body.created as Array<{ start: number }>).map((b) => new Date(b.start).toISOString());
    expect(days).toEqual(['2026-12-30T01:00:00.000Z', '2026-12-31T01:00:00.000Z', '2027-01-02T01:00:00.000Z', '2027-01-03T01:00:00.000Z']);
    expect(r.body.conflicts).toEqual([expect.objectContaining({ reason: 'holiday', start: Date.UTC(2027, 0, 1, 1, 0) })]);
    // The same rule again without skipping: only the holiday is free; each clash is reported, none silently dropped.
    const again = await book({ resourceId: 'meeting-room', memberId: 'member-0029', start, end: start + HOUR, recurrence: { rrule: 'FREQ=DAILY;COUNT=5' } });
    expect(again.status).toBe(201);
    expect((again.body.created as Array<{ start: number }>).map((b) => b.start)).toEqual([Date.UTC(2027, 0, 1, 1, 0)]);
    expect((again.body.conflicts as Array<{ reason: string; conflict: { id: string } }>).map((c) => [c.reason, c.conflict.id])).toEqual(
      [0, 1, 2, 3].map((i) => ['conflict', r.body.created[i]!.id]),
    );
    expect((await call('DELETE', `/api/v1/bookings/${r.body.created[1]!.id}?series=future`)).body.cancelled).toHaveLength(3);
    expect((await call('GET', `/api/v1/bookings/${r.body.created[0]!.id}`)).body.state).toBe('booked');
    expect((await book({ ...{ resourceId: 'meeting-room', memberId: 'member-0028', start, end: start + HOUR }, recurrence: { rrule: 'FREQ=SOMETIMES' } })).body.message).toMatch(/^recurrence\.rrule: /);
  });

  it('ends a series after three missed check-ins in a row, cancelling its future occurrences', async () => {
    const first = minute(Date.now() + 24 * HOUR);
    const r = await book({ resourceId: 'recharging-zone', memberId: 'member-0030', start: first, end: first + HOUR, recurrence: { rrule: 'FREQ=DAILY;COUNT=6' } });
    expect(r.status).toBe(201);
    const ids = (r.body.created as Array<{ id: string; start: number }>).map((b) => b.id);
    expect(ids).toHaveLength(6);
    await t.cloud.ctx.bookings.sweep(first + 16 * MIN);
    await t.cloud.ctx.bookings.sweep(first + 24 * HOUR + 16 * MIN);
    expect((await call('GET', `/api/v1/bookings/${ids[3]}`)).body.state).toBe('booked');
    await t.cloud.ctx.bookings.sweep(first + 48 * HOUR + 16 * MIN);
    const states = await Promise.all(ids.map(async (id) => (await call('GET', `/api/v1/bookings/${id}`)).body));
    expect(states.map((b) => b.state)).toEqual(['released', 'released', 'released', 'cancelled', 'cancelled', 'cancelled']);
    expect(states[3]).toMatchObject({ cancelReason: 'series-ended' });
    expect(await auditOf(ids[4]!)).toEqual([expect.objectContaining({ action: 'booking.cancel', actor: 'system:missed-check-ins' }), expect.objectContaining({ action: 'booking.create' })]);
    expect(await t.cloud.ctx.stores.bookingSeries.get('demo', r.body.seriesId)).toMatchObject({ state: 'ended', missedCount: 3 });
  });
});
