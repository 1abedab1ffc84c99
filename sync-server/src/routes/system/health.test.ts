import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';

let t: TestCloud;
beforeEach(async () => {
  t = await startTestCloud({ demo: false });
});
afterEach(() => t.close());

const down = () => Promise.reject(new Error('connection refused'));
const hangs = () => new Promise<void>(() => undefined);

describe('GET /health', () => {
  it('answers {"status":"ok"} with every dependency up, lists them on ?detail and names the instance', async () => {
    const res = await t.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-instance')).toBe(t.cloud.ctx.instanceId);
    const detail = await t.api('GET', '/health?detail');
    expect(await detail.json()).toEqual({ status: 'ok', dependencies: { store: 'up' } });
  });

  it('says degraded, and which, when the bus or the stream does not answer (or hangs)', async () => {
    t.cloud.ctx.dependencies.push({ name: 'bus', ping: down }, { name: 'stream', ping: hangs });
    const res = await t.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'degraded', dependencies: { store: 'up', bus: 'down', stream: 'down' } });
  }, 10_000);

  it('answers 503 down when the store does not answer, so a balancer sends clients elsewhere', async () => {
    t.cloud.ctx.dependencies[0] = { name: 'store', ping: down };
    const res = await t.api('GET', '/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'down', dependencies: { store: 'down' } });
  });
});
