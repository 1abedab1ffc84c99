import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { SiteDoc, siteDocName } from '@cr/shared';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

const post = (url: string, token: string | undefined, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

describe('local door API and local sync on the site LAN', () => {
  let s: Scenario;
  afterEach(() => s.close());

  it('opens a door for a site manager with the cloud unreachable, verifying the token offline', async () => {
    s = await startScenario();
    const { doorId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s.edge.ctx.registry.get(doorId), 'door registered');
    s.edge.uplink!.setEnabled(false);
    const manager = await s.cloud.userToken('site-manager', [s.siteId]);
    const url = `${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/${doorId}/commands`;
    const res = await post(url, manager, { action: 'unlock', reason: 'delivery' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const status = await waitFor(async () => {
      const r = (await (await fetch(`${s.edge.httpUrl}/api/v1/commands/${id}`, { headers: { authorization: `Bearer ${manager}` } })).json()) as { status: string };
      return r.status === 'executed' ? r : undefined;
    }, 'command executed');
    expect(status).toMatchObject({ status: 'executed', source: 'local' });
    expect(s.devices.commandsFor(doorId).map((c) => c.action)).toEqual(['unlock']);
  });

  it.each([
    ['no token', undefined, 401],
    ['a forged token', 'eyJhbGciOiJFZERTQSJ9.eyJ0eXAiOiJhY2Nlc3MifQ.AAAA', 401],
  ])('refuses %s', async (_n, token, status) => {
    s = await startScenario();
    const res = await post(`${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/door-x/commands`, token, { action: 'unlock', reason: 'x' });
    expect(res.status).toBe(status);
  });

  it('refuses a vendor, a manager of another site, and a bad body', async () => {
    s = await startScenario();
    const url = `${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/door-x/commands`;
    expect((await post(url, await s.cloud.userToken('vendor', [s.siteId]), { action: 'unlock', reason: 'x' })).status).toBe(403);
    expect((await post(url, await s.cloud.userToken('site-manager', ['elsewhere']), { action: 'unlock', reason: 'x' })).status).toBe(403);
    expect((await post(url, await s.cloud.userToken('hq-operator'), { action: 'explode', reason: 'x' })).status).toBe(400);
  });

  it('serves the site document to a LAN laptop and merges its edits', async () => {
    s = await startScenario();
    await s.devices.config({ id: 'env-1', kind: 'env', name: 'Climate', zoneId: 'lounge' });
    await waitFor(() => new SiteDoc(s.edge.doc).device('env-1'), 'device in edge doc');
    const token = await s.cloud.userToken('site-manager', [s.siteId]);
    const laptop = new Y.Doc();
    const provider = new WebsocketProvider(`${s.edge.httpUrl.replace('http', 'ws')}/sync`, siteDocName('demo', s.siteId), laptop, {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    try {
      await waitFor(() => new SiteDoc(laptop).device('env-1'), 'device on the laptop');
      new SiteDoc(laptop).setDevicePosition('env-1', { x: 1, y: 2 }, 'manager', Date.now());
      await waitFor(() => new SiteDoc(s.edge.doc).device('env-1')?.position?.x === 1, 'laptop edit at the edge');
      // …and on to the cloud over the edge's own sync.
      await waitFor(() => new SiteDoc(s.cloud.doc).device('env-1')?.position?.x === 1, 'laptop edit in the cloud');
    } finally {
      provider.destroy();
    }
  });

  it('closes the local sync for a vendor token', async () => {
    s = await startScenario();
    const token = await s.cloud.userToken('vendor', [s.siteId]);
    const ws = new WebSocket(`${s.edge.httpUrl.replace('http', 'ws')}/sync/${siteDocName('demo', s.siteId)}?token=${token}`);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(4403);
  });
});
