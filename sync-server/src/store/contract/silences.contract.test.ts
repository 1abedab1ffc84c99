import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { SilencesStore } from '../silences-store';
import { PgSilencesStore } from '../postgres/pg-silences-store';
import { sqlitePort, type SilencesPort } from '../ports';
import type { SilenceRecord } from '../notification-records';

const storeOf = (b: Backend): SilencesPort => (b.kind === 'sqlite' ? sqlitePort(new SilencesStore(b.db)) : new PgSilencesStore(b.pg));

const silence = (id: string, over: Partial<SilenceRecord> = {}): SilenceRecord => ({
  tenantId: 't1',
  id,
  siteId: 'gangnam',
  startsAt: 1_000,
  endsAt: 5_000,
  reason: 'HVAC vendor on site',
  authorId: 'u1',
  authorName: 'Kim Minji',
  createdAt: 900,
  ...over,
});

describeBackends('silences store', (current) => {
  it('keeps silences per tenant with their device, types and author, and lists those not ended by a time', async () => {
    const store = storeOf(current());
    const door = silence('s1', { deviceId: 'door-1', types: ['door.held-open', 'device.offline'] });
    const later = silence('s2', { startsAt: 10_000, endsAt: 20_000 });
    await store.add(later);
    await store.add(door);
    await store.add(silence('s1', { tenantId: 't2', siteId: 'busan' }));
    expect(await store.one('t1', 's1')).toEqual(door);
    expect(await store.since('t1', 2_000)).toEqual([door, later]);
    expect(await store.since('t1', 5_000)).toEqual([later]);
    expect(await store.since('t2', 0)).toEqual([silence('s1', { tenantId: 't2', siteId: 'busan' })]);
    expect(await store.one('t3', 's1')).toBeUndefined();
  });

  it('ends a silence once, never one that already ran out, and never another tenant’s', async () => {
    const store = storeOf(current());
    await store.add(silence('s1'));
    expect(await store.end('t2', 's1', 2_000)).toBe(false);
    expect(await store.end('t1', 's1', 6_000)).toBe(false);
    expect(await store.end('t1', 's1', 2_000)).toBe(true);
    expect(await store.end('t1', 's1', 3_000)).toBe(false);
    expect(await store.one('t1', 's1')).toEqual(silence('s1', { endedAt: 2_000 }));
    expect(await store.since('t1', 2_500)).toEqual([]);
    expect(await store.since('t1', 1_500)).toEqual([silence('s1', { endedAt: 2_000 })]);
  });
});
