import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsSlot, overlaps } from '@cr/shared';
import { seedOtherTenant, startTestCloud, type TestCloud } from '../../testing/test-cloud';

/** Bookings through the real app (CONTRACT.md §8): create, clash, move, cancel, rebook, roles, reports. */
const HQ = 'hq@demo.local';
const MGR = 'gangnam.manager@demo.local';
const VENDOR = 'vendor@demo.local';
const ADMIN = 'admin@demo.local';
const X_HQ = 'hq@acme.test';
const HOUR = 3_600_000;

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
beforeAll(async () => {
  t = await startTestCloud();
  await seedOtherTenant(t.cloud);
});
afterAll(() => t.close());

/** A slot starting `hours` from now (rounded to the minute), one hour long unless said otherwise. */
const slot = (hours: number, length = 1) => {
  const start = Math.floor((Date.now() + hours * HOUR) / 60_000) * 60_000;
  return { start, end: start + length * HOUR };
};
const call = async (who: string, method: string, path: string, body?: unknown) => {
  const res = await t.api(method, path, { token: await t.token(who), body });
  const text = await res.text();
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as Answer };
};
const book = (who: string, body: Record<string, unknown>, site = 'gangnam') => call(who, 'POST', `/api/v1/sites/${site}/bookings`, body);
const room = { resourceId: 'meeting-room', memberId: 'member-0001' };

describe('bookings', () => {
  it('lists the demo resources, the meeting room in zone meeting', async () => {
    const r = await call(HQ, 'GET', '/api/v1/sites/gangnam/resources');
    expect(r.status).toBe(200);
    expect(r.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'meeting-room', kind: 'meeting-room', zoneId: 'meeting' })]));
  });

  it('books, refuses a clash naming the booking, moves, cancels and rebooks the freed slot', async () => {
    const s = slot(30);
    const a = await book(HQ, { ...room, ...s });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ id: expect.any(String), state: 'booked', siteId: 'gangnam', ...s });
    const clash = await book(MGR, { ...room, memberId: 'member-0002', start: s.start + HOUR / 2, end: s.end + HOUR });
    expect(clash.status).toBe(409);
    expect(clash.body.conflict).toEqual({ id: a.body.id, resourceId: 'meeting-room', memberId: 'member-0001', start: s.start, end: s.end });
    const moved = await call(HQ, 'PATCH', `/api/v1/bookings/${a.body.id}`, { start: s.start + 2 * HOUR, end: s.end + 2 * HOUR });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ start: s.start + 2 * HOUR });
    // The old slot is free now; moving back into a held one is refused.
    const b = await book(MGR, { ...room, memberId: 'member-0002', ...s });
    expect(b.status).toBe(201);
    expect((await call(HQ, 'PATCH', `/api/v1/bookings/${a.body.id}`, { start: s.start, end: s.end })).status).toBe(409);
    const cancelled = await call(MGR, 'DELETE', `/api/v1/bookings/${b.body.id}`);
    expect(cancelled.status).toBe(200);
    expect((await call(HQ, 'GET', `/api/v1/bookings/${b.body.id}`)).body).toMatchObject({ state: 'cancelled', cancelReason: 'cancelled' });
    expect((await book(HQ, { ...room, memberId: 'member-0003', ...s })).status).toBe(201);
    expect((await call(HQ, 'DELETE', `/api/v1/bookings/${b.body.id}`)).status).toBe(409);
    const audit = (await call(ADMIN, 'GET', '/api/v1/audit?siteId=gangnam')).body as unknown as Array<{ action: string; target: string }>;
    const actions = audit.filter((r) => r.target === a.body.id).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['booking.create', 'booking.move']));
    expect(audit.some((r) => r.target === b.body.id && r.action === 'booking.cancel')).toBe(true);
    const listed = (await call(HQ, 'GET', `/api/v1/sites/gangnam/bookings?from=${s.start - HOUR}&to=${s.end + 4 * HOUR}&resourceId=meeting-room`)).body as unknown as Array<{ id: string }>;
    expect(listed.map((x) => x.id)).toEqual(expect.arrayContaining([a.body.id, b.body.id]));
  });

  it('answers by role and tenant: vendors 403, other tenants 404, bad input 400 naming the field', async () => {
    const s = slot(60);
    expect((await book(VENDOR, { ...room, ...s })).status).toBe(403);
    expect((await book(X_HQ, { ...room, ...s })).status).toBe(404);
    expect((await book(MGR, { ...room, ...s }, 'hongdae')).status).toBe(403);
    const a = await book(ADMIN, { ...room, ...s });
    expect(a.status).toBe(201);
    expect((await call(X_HQ, 'GET', `/api/v1/bookings/${a.body.id}`)).status).toBe(404);
    expect((await call(X_HQ, 'DELETE', `/api/v1/bookings/${a.body.id}`)).status).toBe(404);
    expect((await call(VENDOR, 'GET', `/api/v1/bookings/${a.body.id}`)).status).toBe(403);
    const bad = await book(HQ, { ...room, start: s.end, end: s.start });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^end: /);
    const noMember = await book(HQ, { ...room, memberId: 'nobody', ...slot(70) });
    expect(noMember.status).toBe(400);
    expect(noMember.body.message).toMatch(/^memberId: /);
    const tooLong = await book(HQ, { ...room, ...slot(80, 5) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/^end: .*at most 240 min/);
    expect((await book(HQ, { ...room, resourceId: 'nope', ...slot(90) })).body.message).toMatch(/^resourceId: /);
  });

  it('lets managers and admins manage resources in the site’s zones, not HQ or vendors', async () => {
    const body = { kind: 'phone-booth', name: 'Booth 2', zoneId: 'office', capacity: 1, rules: { bufferMs: 600_000 } };
    expect((await call(HQ, 'PUT', '/api/v1/sites/gangnam/resources/booth-2', body)).status).toBe(403);
    expect((await call(VENDOR, 'PUT', '/api/v1/sites/gangnam/resources/booth-2', body)).status).toBe(403);
    expect((await call(X_HQ, 'PUT', '/api/v1/sites/gangnam/resources/booth-2', body)).status).toBe(404);
    expect((await call(MGR, 'PUT', '/api/v1/sites/gangnam/resources/booth-2', { ...body, zoneId: 'attic' })).body.message).toMatch(/^zoneId: /);
    expect((await call(MGR, 'PUT', '/api/v1/sites/gangnam/resources/booth-2', body)).body).toMatchObject({ created: true, zoneId: 'office' });
    const s = slot(100);
    const held = await book(MGR, { resourceId: 'booth-2', memberId: 'member-0004', ...s });
    expect((await book(MGR, { resourceId: 'booth-2', memberId: 'member-0005', start: s.end + 300_000, end: s.end + HOUR })).status).toBe(409);
    expect((await call(ADMIN, 'DELETE', '/api/v1/sites/gangnam/resources/booth-2')).status).toBe(409);
    await call(MGR, 'DELETE', `/api/v1/bookings/${held.body.id}`);
    expect((await call(ADMIN, 'DELETE', '/api/v1/sites/gangnam/resources/booth-2')).status).toBe(200);
  });

  it('checks a member in from the console, yields one usage record per check-in and reports it', async () => {
    const start = Date.now() - 60_000;
    const a = await book(HQ, { resourceId: 'phone-booth', memberId: 'member-0006', start, end: start + HOUR });
    expect(a.status).toBe(201);
    const checked = await call(MGR, 'POST', `/api/v1/bookings/${a.body.id}/check-in`);
    expect(checked.body).toMatchObject({ state: 'checked-in', checkedInAt: expect.any(Number) });
    expect((await call(MGR, 'POST', `/api/v1/bookings/${a.body.id}/check-in`)).status).toBe(409);
    const usage = await call(ADMIN, 'GET', `/api/v1/usage?siteId=gangnam&from=${Date.now() - 10 * HOUR}&to=${Date.now() + HOUR}`);
    expect(usage.status).toBe(200);
    expect((usage.body as unknown as Array<{ bookingId: string; kind: string }>).filter((u) => u.bookingId === a.body.id)).toEqual([
      expect.objectContaining({ kind: 'check-in', minutes: 60, memberId: 'member-0006', resourceId: 'phone-booth' }),
    ]);
    expect((await call(HQ, 'GET', '/api/v1/usage')).status).toBe(403);
    const report = await call(HQ, 'GET', `/api/v1/sites/gangnam/booking-report?from=${start - HOUR}&to=${start + 2 * HOUR}`);
    expect(report.body.resources).toEqual(expect.arrayContaining([expect.objectContaining({ resourceId: 'phone-booth', bookings: 1 })]));
    const csv = await call(HQ, 'GET', `/api/v1/sites/gangnam/booking-report?format=csv&from=${start - HOUR}&to=${start + 2 * HOUR}`);
    expect(String(csv.body)).toMatch(/^resource,name,kind,bookings/);
    expect(String(csv.body)).toMatch(/phone-booth,Phone booth,phone-booth,1,/);
    const pdf = await t.api('GET', `/api/v1/sites/gangnam/booking-report?format=pdf`, { token: await t.token(HQ) });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await call(VENDOR, 'GET', '/api/v1/sites/gangnam/booking-report')).status).toBe(403);
  });

  it('lets exactly one of 20 concurrent requests for one slot win', async () => {
    const s = slot(120);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => book(HQ, { ...room, memberId: `member-00${10 + i}`, ...s })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
    const held = (await call(HQ, 'GET', `/api/v1/sites/gangnam/bookings?from=${s.start}&to=${s.end}&resourceId=meeting-room`)).body as unknown as Array<{ state: string; start: number; end: number }>;
    const holding = held.filter((b) => holdsSlot(b.state as never));
    expect(holding).toHaveLength(1);
    expect(overlaps(holding[0]!.start, holding[0]!.end, s.start, s.end)).toBe(true);
  });

  it('describes every booking endpoint in the OpenAPI document', async () => {
    const doc = (await (await t.api('GET', '/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const [path, method] of <Array<[string, string]>>[
      ['/api/v1/sites/{siteId}/resources', 'get'],
      ['/api/v1/sites/{siteId}/resources/{resourceId}', 'put'],
      ['/api/v1/sites/{siteId}/resources/{resourceId}', 'delete'],
      ['/api/v1/sites/{siteId}/bookings', 'post'],
      ['/api/v1/sites/{siteId}/bookings', 'get'],
      ['/api/v1/bookings/{id}', 'get'],
      ['/api/v1/bookings/{id}', 'patch'],
      ['/api/v1/bookings/{id}', 'delete'],
      ['/api/v1/bookings/{id}/check-in', 'post'],
      ['/api/v1/sites/{siteId}/booking-report', 'get'],
      ['/api/v1/usage', 'get'],
    ])
      expect(doc.paths).toHaveProperty([path, method]);
  });
});
