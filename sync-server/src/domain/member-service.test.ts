import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOtherTenant, startTestCloud, type TestCloud } from '../testing/test-cloud';

let t: TestCloud;
let admin: string;
beforeAll(async () => {
  t = await startTestCloud({ demo: true });
  await seedOtherTenant(t.cloud);
  admin = await t.token('admin@demo.local');
});
afterAll(() => t.close());

const HOLDER_NAME = 'Jung Haneul-2d7';
const body = (name: string, card: string) => ({
  name,
  active: true,
  credentials: [{ type: 'card', value: card }],
  grants: [{ zoneIds: ['lobby'] }],
  secureMode: false,
  offlineWhitelist: false,
});

describe('credential uniqueness through the API', () => {
  it('PUT with a card another member holds is 409 naming the holder by id, not name, and changes nothing', async () => {
    expect(
      (await t.api('PUT', '/api/v1/members/holder-1', { token: admin, body: body(HOLDER_NAME, 'card-unique-77') }))
        .status,
    ).toBe(200);
    const before = ((await (await t.api('GET', '/api/v1/members', { token: admin })).json()) as { version: number })
      .version;

    const res = await t.api('PUT', '/api/v1/members/taker-1', { token: admin, body: body('Taker', 'card-unique-77') });
    expect(res.status).toBe(409);
    const err = (await res.json()) as { error: string; message: string };
    expect(err.error).toBe('conflict');
    expect(err.message).toContain('holder-1');
    expect(err.message).not.toContain(HOLDER_NAME);
    expect(err.message).not.toContain('card-unique-77');

    expect((await t.api('GET', '/api/v1/members/taker-1', { token: admin })).status).toBe(404);
    const after = ((await (await t.api('GET', '/api/v1/members', { token: admin })).json()) as { version: number })
      .version;
    expect(after).toBe(before);
  });

  it('adding a held card as an extra credential is 409 too', async () => {
    await t.api('PUT', '/api/v1/members/taker-2', { token: admin, body: body('Taker Two', 'card-own-2') });
    const res = await t.api('POST', '/api/v1/members/taker-2/credentials', {
      token: admin,
      body: { type: 'card', value: 'card-unique-77' },
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toContain('holder-1');
  });

  it('another tenant may use the same value: the 409 never reveals a member of another tenant', async () => {
    const other = await t.token('admin@acme.test');
    const res = await t.api('PUT', '/api/v1/members/acme-1', {
      token: other,
      body: { ...body('Acme person', 'card-unique-77'), grants: [{ zoneIds: ['lobby'] }] },
    });
    expect(res.status).toBe(200);
  });

  it('stores member names and card values sealed: the database file shows neither', async () => {
    await t.cloud.ctx.sqlite!.commits.whenDurable();
    t.cloud.ctx.sqlite!.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = ['cloud.db', 'cloud.db-wal']
      .map((f) => join(t.dataDir, f))
      .filter(existsSync)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('');
    expect(bytes).not.toContain(HOLDER_NAME);
    expect(bytes).not.toContain('card-unique-77');
    // The demo members too (seeded at start).
    expect(bytes).not.toContain('card-0042');
  });
});
