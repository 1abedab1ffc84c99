import { describe, expect, it } from 'vitest';
import type { CloudToEdge } from '@cr/shared';
import { openDb } from '../store/db';
import { MembersStore } from '../store/members-store';
import { sqlitePort } from '../store/ports';
import { createMetrics } from '../metrics';
import { LinkHub, type EdgeSession, type LinkRouter } from './link-hub';
import { defaultCloudLog, type CloudLog } from '../log';

/** Instances joined in memory, as the Redis bus joins them: one owner per link key, broadcasts to the others. */
function routers(n: number): LinkRouter[] {
  const owners = new Map<string, number>();
  const handlers: Array<(key: string, payload: unknown) => boolean | Promise<boolean>> = [];
  const topics: Array<Map<string, (payload: unknown, from: string) => void>> = [];
  return Array.from({ length: n }, (_, i): LinkRouter => {
    topics[i] = new Map();
    return {
      claimLink: (key) => void owners.set(key, i),
      releaseLink: (key) => void (owners.get(key) === i && owners.delete(key)),
      deliver: async (key, payload) => {
        const owner = owners.get(key);
        return owner !== undefined && (await handlers[owner]!(key, payload)) ? 'sent' : 'offline';
      },
      onDeliver: (fn) => void (handlers[i] = fn),
      broadcast: async (topic, payload) => {
        topics.forEach((t, j) => j !== i && t.get(topic)?.(payload, `i${i}`));
      },
      onBroadcast: (topic, fn) => {
        topics[i]!.set(topic, fn);
        return () => topics[i]!.delete(topic);
      },
    };
  });
}

function session(siteId: string): EdgeSession & { got: CloudToEdge[] } {
  const got: CloudToEdge[] = [];
  return { tenantId: 'demo', siteId, jti: `jti-${siteId}`, permissionsVersion: 0, got, send: (m) => got.push(m) > 0, close: () => undefined };
}

describe('edge links held by other instances', () => {
  const hubs = () => {
    const members = sqlitePort(new MembersStore(openDb(':memory:')));
    const [ra, rb] = routers(2);
    const a = new LinkHub(members, createMetrics());
    const b = new LinkHub(members, createMetrics());
    a.useRouter(ra!);
    b.useRouter(rb!);
    return { a, b };
  };

  it('delivers a message to the site whose link ends at another instance, and says offline when none holds it', async () => {
    const { a, b } = hubs();
    const gangnam = session('gangnam');
    a.attach(gangnam);
    const msg: CloudToEdge = { type: 'time', serverTime: 1, echo: 1 };
    expect(await b.deliver('demo', 'gangnam', msg)).toBe('sent');
    expect(gangnam.got).toEqual([msg]);
    expect(await b.deliver('demo', 'hongdae', msg)).toBe('offline');
    a.detach(gangnam);
    expect(await b.deliver('demo', 'gangnam', msg)).toBe('offline');
  });

  it('pushes permission changes to the links of every instance', async () => {
    const { a, b } = hubs();
    const [gangnam, hongdae] = [session('gangnam'), session('hongdae')];
    a.attach(gangnam);
    b.attach(hongdae);
    await b.pushPermissions('demo');
    await new Promise((r) => setTimeout(r, 20));
    expect(gangnam.got.some((m) => m.type === 'permissions')).toBe(true);
    expect(hongdae.got.some((m) => m.type === 'permissions')).toBe(true);
  });

  it('still serves its own links when the bus is down, and says so instead of failing the change', async () => {
    const members = sqlitePort(new MembersStore(openDb(':memory:')));
    const [router] = routers(1);
    const warnings: string[] = [];
    const log = { ...defaultCloudLog(), warn: (m: unknown) => void warnings.push(String(m)) } as unknown as CloudLog;
    const hub = new LinkHub(members, createMetrics(), log);
    hub.useRouter({ ...router!, broadcast: () => Promise.reject(new Error('Redis is down')) });
    const gangnam = session('gangnam');
    let closed = '';
    hub.attach({ ...gangnam, close: (_code: number, reason: string) => void (closed = reason) });
    await hub.pushPermissions('demo');
    await hub.broadcast('demo', { type: 'time', serverTime: 2, echo: 2 });
    await hub.dropToken('jti-gangnam');
    expect(gangnam.got.map((m) => m.type)).toEqual(['permissions', 'time']);
    expect(closed).toBe('edge token revoked');
    expect(warnings.filter((w) => w.includes('Redis is down'))).toHaveLength(3);
  });

  it('closes a revoked edge token’s link whichever instance serves it', async () => {
    const { a, b } = hubs();
    const closed: string[] = [];
    a.attach({ ...session('gangnam'), close: (_c, reason) => void closed.push(reason) });
    await b.dropToken('jti-gangnam');
    expect(closed).toEqual(['edge token revoked']);
  });
});
