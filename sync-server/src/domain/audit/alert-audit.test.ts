import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import {
  ALERT_MAPS,
  SiteDoc,
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

/** Records of an alert, without its raise (which most tests do not look at), in claimed order. */
const actions = async (target: string, n: number): Promise<Audit[]> =>
  eventually(async () => {
    const r = (await auditOf(t, target)).filter((a) => a.action !== 'alert.raise');
    // Received together, recorded at one time: in the order the entries claim.
    const claimed = (a: Audit) => Number(a.details?.claimedAt ?? a.ts);
    return r.length >= n ? r.sort((a, b) => claimed(a) - claimed(b)) : undefined;
  });

describe('alert actions in the audit log', () => {
  it('records acks, assignments, notes and resolutions made in a console, once each, as the signed-in user at receive time', async () => {
    const hq = await open(await t.token('hq@demo.local'));
    const alert = forcedDoor(Date.now() - 10_000);
    const at = Date.now() - 60_000;
    const before = Date.now();
    raiseAlert(hq.doc, alert);
    acknowledgeAlert(hq.doc, alert.id, { by: 'HQ Operator', at, where: 'hq' });
    assignAlert(hq.doc, alert.id, { to: 'Gangnam Manager', by: 'HQ Operator', at: at + 1 });
    addAlertNote(hq.doc, alert.id, { id: 'n1', by: 'HQ Operator', at: at + 2, where: 'hq', text: 'courier forced it' });
    resolveAlert(hq.doc, alert.id, { by: 'HQ Operator', at: at + 3, where: 'hq', reason: 'door checked' });
    // Re-writing the same entries (a client re-sending them) adds nothing.
    acknowledgeAlert(hq.doc, alert.id, { by: 'HQ Operator', at, where: 'hq' });
    const records = await actions(alert.id, 4);
    expect(records.map((r) => [r.actor, r.action, r.result, r.source, r.details?.claimedBy, r.details?.claimedAt])).toEqual([
      ['hq', 'alert.ack', 'ok', 'hq', 'HQ Operator', at],
      ['hq', 'alert.assign', 'ok', 'document', 'HQ Operator', at + 1],
      ['hq', 'alert.note', 'ok', 'hq', 'HQ Operator', at + 2],
      ['hq', 'alert.resolve', 'ok', 'hq', 'HQ Operator', at + 3],
    ]);
    for (const r of records) expect(r.ts).toBeGreaterThanOrEqual(before);
    expect(records[1]!.details).toMatchObject({ to: 'Gangnam Manager', actorName: 'HQ Operator', via: 'sync' });
    expect(records[2]!.details).toMatchObject({ noteId: 'n1', text: 'courier forced it' });
    expect(records[3]!.details).toMatchObject({ reason: 'door checked' });
    expect((await auditOf(t, alert.id)).find((r) => r.action === 'alert.raise')).toMatchObject({ actor: 'hq', details: { type: 'door.forced' } });
  });

  it('credits a forged ack to the real user, with the forged name and time beside it', async () => {
    const manager = await open(await t.token('gangnam.manager@demo.local'));
    const alert = forcedDoor(Date.now() - 5_000);
    raiseAlert(manager.doc, alert);
    const before = Date.now();
    acknowledgeAlert(manager.doc, alert.id, { by: 'someone-else', at: Date.now() - 86_400_000, where: 'hq' });
    const [ack] = await actions(alert.id, 1);
    expect(ack).toMatchObject({ actor: 'gangnam.manager', action: 'alert.ack', details: { claimedBy: 'someone-else' } });
    expect(ack!.ts).toBeGreaterThanOrEqual(before);
    expect(JSON.stringify(await auditOf(t, alert.id))).not.toMatch(/"actor":"someone-else"/);
  });

  it('records deletions, rewrites and unreadable values of entries with who did them', async () => {
    const hq = await open(await t.token('hq@demo.local'));
    const manager = await open(await t.token('gangnam.manager@demo.local'));
    const alert = forcedDoor(Date.now() - 3_000);
    raiseAlert(hq.doc, alert);
    acknowledgeAlert(hq.doc, alert.id, { by: 'HQ Operator', at: 1_000, where: 'hq' });
    addAlertNote(hq.doc, alert.id, { id: 'n-hq', by: 'HQ Operator', at: 1_001, where: 'hq', text: 'called the police' });
    await actions(alert.id, 2);
    await eventually(() => new SiteDoc(manager.doc).alerts().find((a) => a.id === alert.id)?.notes.length === 1, 5000, 'manager sees it');
    // The insider: rewrites a colleague's note, hides the ack behind junk, then deletes the alert.
    const notes = manager.doc.getMap(ALERT_MAPS.notes);
    notes.set(`${alert.id}|n-hq`, { ...(notes.get(`${alert.id}|n-hq`) as object), text: 'false alarm, nothing to do' });
    manager.doc.getMap(ALERT_MAPS.acks).set(`${alert.id}|HQ Operator|1000|hq`, { alertId: alert.id, junk: true });
    const records = await actions(alert.id, 4);
    expect(records.find((r) => r.action === 'alert.note.edit')).toMatchObject({ actor: 'gangnam.manager' });
    expect(records.find((r) => r.action === 'alert.ack.invalid')).toMatchObject({ actor: 'gangnam.manager' });
    manager.doc.getMap(ALERT_MAPS.alerts).delete(alert.id);
    const deleted = await eventually(async () => (await auditOf(t, alert.id)).find((r) => r.action === 'alert.delete'));
    expect(deleted).toMatchObject({ actor: 'gangnam.manager', details: { via: 'sync' } });
    // The same entry re-sent unchanged is still no new record.
    expect((await auditOf(t, alert.id)).filter((r) => r.action === 'alert.note.edit')).toHaveLength(1);
  });

  it('credits what an offline laptop did to the edge that relayed it, keeping who the laptop said and when', async () => {
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
    const records = await actions(alert.id, 2);
    expect(records.map((r) => [r.actor, r.action, r.source, r.details?.claimedBy, r.details?.claimedAt])).toEqual([
      ['edge:gangnam', 'alert.ack', 'lan', 'Gangnam Manager', at],
      ['edge:gangnam', 'alert.resolve', 'edge', 'edge', at + 5],
    ]);
  });
});

describe('alert audit across restarts', () => {
  it('records each entry exactly once, including entries stored while the cloud was down (as unverified)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloud-alert-audit-'));
    const alert = forcedDoor(Date.now() - 60_000);
    try {
      let cloud = await startTestCloud({ dataDir });
      await cloud.cloud.ctx.docs.mutate(GANGNAM, (doc) => {
        raiseAlert(doc, alert);
        acknowledgeAlert(doc, alert.id, { by: 'HQ Operator', at: Date.now(), where: 'hq' });
      });
      expect((await auditOf(cloud, alert.id)).filter((r) => r.action === 'alert.ack')).toHaveLength(1);
      await cloud.close();

      // An ack that reached the store without being seen live (written by an older version).
      const late = new Y.Doc();
      acknowledgeAlert(late, alert.id, { by: 'Gangnam Manager', at: Date.now(), where: 'lan' });
      const db = openDb(join(dataDir, 'cloud.db'));
      new DocUpdatesStore(db).append(GANGNAM, Y.encodeStateAsUpdate(late));
      db.close();

      for (let restart = 0; restart < 2; restart++) {
        cloud = await startTestCloud({ dataDir });
        const records = (await auditOf(cloud, alert.id)).filter((r) => r.action === 'alert.ack');
        expect(records.map((r) => r.actor).sort()).toEqual(['cloud', 'unverified:Gangnam Manager']);
        await cloud.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
