import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import {
  acknowledgeAlert,
  addAlertNote,
  alertId,
  assignAlert,
  raiseAlert,
  resolveAlert,
  siteDocName,
  type AlertRaise,
} from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { connectProvider, whenSynced } from '../../testing/sync-clients';
import { openDb } from '../../store/db';
import { DocUpdatesStore } from '../../store/doc-updates-store';

const GANGNAM = siteDocName('demo', 'gangnam');
const providers: WebsocketProvider[] = [];
let t: TestCloud;
let url: string;

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
});
afterAll(async () => {
  for (const p of providers) p.destroy();
  await t.close();
});

async function open(token: string, doc?: Y.Doc): Promise<WebsocketProvider> {
  const p = connectProvider(url, GANGNAM, token, doc);
  providers.push(p);
  await whenSynced(p);
  return p;
}

function forcedDoor(at: number): AlertRaise {
  return {
    id: alertId('gangnam', 'door-lobby', 'door.forced', at),
    siteId: 'gangnam',
    type: 'door.forced',
    severity: 'major',
    raisedAt: at,
    deviceId: 'door-lobby',
    source: 'edge',
  };
}

interface Audit {
  ts: number;
  actor: string;
  action: string;
  target: string;
  result: string;
  source?: string;
  details?: Record<string, unknown>;
}

async function auditOf(cloud: TestCloud, target: string): Promise<Audit[]> {
  const res = await cloud.api('GET', '/api/v1/audit?siteId=gangnam&limit=1000', {
    token: await cloud.token('hq@demo.local'),
  });
  return ((await res.json()) as Audit[]).filter((a) => a.target === target).sort((a, b) => a.ts - b.ts);
}

describe('alert actions in the audit log', () => {
  it('records acks, assignments, notes and resolutions made in a console, once each', async () => {
    const hq = await open(await t.token('hq@demo.local'));
    const alert = forcedDoor(Date.now() - 10_000);
    const at = Date.now();
    raiseAlert(hq.doc, alert);
    acknowledgeAlert(hq.doc, alert.id, { by: 'HQ Operator', at, where: 'hq' });
    assignAlert(hq.doc, alert.id, { to: 'Gangnam Manager', by: 'HQ Operator', at: at + 1 });
    addAlertNote(hq.doc, alert.id, { id: 'n1', by: 'HQ Operator', at: at + 2, where: 'hq', text: 'courier forced it' });
    resolveAlert(hq.doc, alert.id, { by: 'HQ Operator', at: at + 3, where: 'hq', reason: 'door checked' });
    // Re-writing the same entries (a client re-sending them) adds nothing.
    acknowledgeAlert(hq.doc, alert.id, { by: 'HQ Operator', at, where: 'hq' });
    const records = await eventually(async () => {
      const r = await auditOf(t, alert.id);
      return r.length >= 4 ? r : undefined;
    });
    expect(records.map((r) => [r.actor, r.action, r.result, r.source, r.ts])).toEqual([
      ['HQ Operator', 'alert.ack', 'ok', 'hq', at],
      ['HQ Operator', 'alert.assign', 'ok', 'document', at + 1],
      ['HQ Operator', 'alert.note', 'ok', 'hq', at + 2],
      ['HQ Operator', 'alert.resolve', 'ok', 'hq', at + 3],
    ]);
    expect(records[1]!.details).toMatchObject({ to: 'Gangnam Manager' });
    expect(records[2]!.details).toMatchObject({ noteId: 'n1', text: 'courier forced it' });
    expect(records[3]!.details).toMatchObject({ reason: 'door checked' });
  });

  it('records what an offline laptop did when it merges through the edge, at the time it was done', async () => {
    const manager = await open(await t.token('gangnam.manager@demo.local'));
    const alert = forcedDoor(Date.now() - 7_200_000);
    raiseAlert(manager.doc, alert);
    const laptop = new Y.Doc();
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(manager.doc));
    manager.destroy();
    // Two hours on the site LAN without internet: the laptop syncs only with the edge.
    const at = Date.now() - 3_600_000;
    acknowledgeAlert(laptop, alert.id, { by: 'Gangnam Manager', at, where: 'lan' });
    resolveAlert(laptop, alert.id, { by: 'edge', at: at + 5, where: 'edge' });
    const edgeDoc = new Y.Doc();
    Y.applyUpdate(edgeDoc, Y.encodeStateAsUpdate(laptop));
    // The internet is back: the edge syncs its document with the cloud.
    await open(t.cloud.demoEdgeTokens.gangnam!, edgeDoc);
    const records = await eventually(async () => {
      const r = await auditOf(t, alert.id);
      return r.length >= 2 ? r : undefined;
    });
    expect(records.map((r) => [r.actor, r.action, r.source, r.ts])).toEqual([
      ['Gangnam Manager', 'alert.ack', 'lan', at],
      ['edge:gangnam', 'alert.resolve', 'edge', at + 5],
    ]);
  });

  it('records clock-skewed entries at the time they arrived', async () => {
    const hq = await open(await t.token('hq@demo.local'));
    const alert = forcedDoor(Date.now());
    raiseAlert(hq.doc, alert);
    acknowledgeAlert(hq.doc, alert.id, { by: 'HQ Operator', at: Date.now() + 86_400_000, where: 'hq' });
    const [rec] = await eventually(async () => {
      const r = await auditOf(t, alert.id);
      return r.length ? r : undefined;
    });
    expect(rec!.ts).toBeLessThanOrEqual(Date.now());
  });
});

describe('alert audit across restarts', () => {
  it('records each entry exactly once, including entries stored while the cloud was down', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloud-alert-audit-'));
    const alert = forcedDoor(Date.now() - 60_000);
    try {
      let cloud = await startTestCloud({ dataDir });
      cloud.cloud.ctx.docs.mutate(GANGNAM, (doc) => {
        raiseAlert(doc, alert);
        acknowledgeAlert(doc, alert.id, { by: 'HQ Operator', at: Date.now(), where: 'hq' });
      });
      expect(await auditOf(cloud, alert.id)).toHaveLength(1);
      await cloud.close();

      // An ack that reached the store without its audit record (a crash between the two).
      const late = new Y.Doc();
      acknowledgeAlert(late, alert.id, { by: 'Gangnam Manager', at: Date.now(), where: 'lan' });
      const db = openDb(join(dataDir, 'cloud.db'));
      new DocUpdatesStore(db).append(GANGNAM, Y.encodeStateAsUpdate(late));
      db.close();

      for (let restart = 0; restart < 2; restart++) {
        cloud = await startTestCloud({ dataDir });
        const records = await auditOf(cloud, alert.id);
        expect(records.map((r) => r.actor).sort()).toEqual(['Gangnam Manager', 'HQ Operator']);
        await cloud.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
