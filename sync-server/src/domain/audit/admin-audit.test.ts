import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(() => t.close());

interface Audit {
  actor: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

describe('administrative changes in the audit log', () => {
  it('credits each change to the account, so an admin who takes a colleague’s display name cannot pass as them', async () => {
    const admin = await t.token('admin@demo.local');
    const adminId = (await t.cloud.ctx.users.byEmail('admin@demo.local'))!.id;
    const created = await t.api('POST', '/api/v1/users', {
      token: admin,
      body: { email: 'twin@demo.local', name: 'Tenant Admin', role: 'tenant-admin', siteIds: [], password: DEMO_PASSWORD },
    });
    expect(created.status).toBe(201);
    const twinId = ((await created.json()) as { id: string }).id;
    const twin = await t.token('twin@demo.local');

    // The look-alike issues and revokes an edge token and creates a zone; the original renames a site.
    const issued = await t.api('POST', '/api/v1/sites/gangnam/edge-tokens', { token: twin });
    expect(issued.status).toBe(201);
    const { jti } = (await issued.json()) as { jti: string };
    expect((await t.api('DELETE', `/api/v1/edge-tokens/${jti}`, { token: twin })).status).toBe(204);
    expect((await t.api('PUT', '/api/v1/sites/gangnam/zones/vault', { token: twin, body: { name: 'Vault' } })).status).toBe(200);
    expect((await t.api('PATCH', '/api/v1/sites/gangnam', { token: admin, body: { name: 'Gangnam Station' } })).status).toBe(200);

    const records = (await (await t.api('GET', '/api/v1/audit?limit=1000', { token: admin })).json()) as Audit[];
    const by = (action: string) => records.find((r) => r.action === action);
    for (const action of ['edge-token.issue', 'edge-token.revoke', 'zone.create', 'user.create'])
      expect(by(action), action).toMatchObject({ details: { actorName: 'Tenant Admin' } });
    expect(by('edge-token.issue')).toMatchObject({ actor: twinId, target: `gangnam/${jti}` });
    expect(by('edge-token.revoke')).toMatchObject({ actor: twinId, target: jti });
    expect(by('zone.create')).toMatchObject({ actor: twinId, target: 'zone:gangnam/vault' });
    expect(by('site.update')).toMatchObject({ actor: adminId, details: { actorName: 'Tenant Admin', changed: ['name'] } });
    expect(by('user.create')).toMatchObject({ actor: adminId });
    expect(records.some((r) => r.actor === 'Tenant Admin')).toBe(false);
  });
});
