import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { TenantsStore } from '../tenants-store';
import type { TenantsPort } from '../ports';

// Placeholder until the PostgreSQL class exists: the suite shape every contract test follows.
const make = (b: Backend): TenantsPort => {
  if (b.kind === 'sqlite') return new TenantsStore(b.db);
  throw new Error('no PostgreSQL tenants store yet');
};

describeBackends('tenants store', (current) => {
  it('keeps a site and answers it by tenant and id only', async () => {
    const s = make(current());
    await s.addTenant('t1', 'One');
    await s.upsertSite({ tenantId: 't1', id: 'a', name: 'A', lat: 37.5, lng: 127, timezone: 'Asia/Seoul' });
    expect(await s.site('t1', 'a')).toMatchObject({ name: 'A', timezone: 'Asia/Seoul' });
    expect(await s.site('t2', 'a')).toBeUndefined();
  });
});
