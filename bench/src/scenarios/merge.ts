import * as Y from 'yjs';
import { acknowledgeAlert, addAlertNote, alertId, listAlerts, raiseAlert, resolveAlert, SiteDoc } from '@cr/shared';
import { benchSite } from '../harness/site-plan';
import { info, type Scenario } from '../scenario';
import { round } from '../stats';

const SITE = 'gangnam';
const SIMULATED_MS = 2 * 3600_000;
const ALERTS = 500;
const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);

/** A replica that keeps every update it produced, as the stores append them before compaction. */
function replica(base: Uint8Array, clientId: number): { doc: Y.Doc; appended: number[] } {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  Y.applyUpdate(doc, base);
  const appended: number[] = [];
  doc.on('update', (u: Uint8Array) => appended.push(u.byteLength));
  return { doc, appended };
}

function seedBase(): Uint8Array {
  const doc = new Y.Doc();
  const plan = benchSite(SITE, 0);
  const sd = new SiteDoc(doc);
  doc.transact(() => {
    sd.setMeta({ id: SITE, tenantId: 'demo', name: plan.name, lat: plan.lat, lng: plan.lng, timezone: plan.timezone, mode: 'normal', fireActive: false });
    for (const z of plan.zones) sd.setZone(z);
    for (const d of plan.devices) {
      sd.upsertDevice({ id: d.id, kind: d.kind, name: d.name, zoneId: d.zoneId, ...(d.doorId ? { doorId: d.doorId } : {}) });
      sd.setDevicePosition(d.id, d.position, 'seed', 0);
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

interface AlertRef {
  id: string;
  raisedAt: number;
}

/** Raises `count` device.offline alerts from the edge, spread over `from`…`from + 2 h`. */
function raiseAlerts(doc: Y.Doc, devices: string[], from: number, first: number, count: number): AlertRef[] {
  const out: AlertRef[] = [];
  for (let n = first; n < first + count; n++) {
    const at = from + Math.floor(((n - first) * SIMULATED_MS) / count);
    const deviceId = devices[n % devices.length]!;
    const id = alertId(SITE, deviceId, 'device.offline', at);
    raiseAlert(doc, { id, siteId: SITE, type: 'device.offline', severity: 'minor', raisedAt: at, deviceId, source: 'edge', message: `${deviceId} stopped reporting` });
    out.push({ id, raisedAt: at });
  }
  return out;
}

/** The edge's branch while cut off: device state once a simulated minute per device, occupancy, availability flips, new alerts; the site manager acks and notes half of all alerts on the LAN, the edge resolves a quarter. */
function edgeBranch(doc: Y.Doc, devices: string[], zones: string[], known: AlertRef[]): void {
  const sd = new SiteDoc(doc);
  const from = T0 + SIMULATED_MS;
  for (let t = 0; t < SIMULATED_MS; t += 60_000) {
    for (const [i, id] of devices.entries()) sd.setDeviceState(id, { locked: (t / 60_000 + i) % 2 === 0, open: false, value: (t / 1000 + i) % 97 }, from + t + i);
    for (const [i, z] of zones.entries()) sd.setOccupancy(z, (t / 60_000 + i) % 7, from + t);
    if (t % 600_000 === 0) sd.setAvailability(devices[(t / 600_000) % devices.length]!, (t / 600_000) % 2 === 1, from + t);
  }
  const all = [...known, ...raiseAlerts(doc, devices, from, known.length, ALERTS - known.length)];
  for (const [n, a] of all.entries()) {
    if (n % 2 === 0) {
      acknowledgeAlert(doc, a.id, { by: 'gangnam.manager', at: from + n * 1000, where: 'lan' });
      addAlertNote(doc, a.id, { id: `lan-${n}`, by: 'gangnam.manager', at: from + n * 1000 + 500, where: 'lan', text: 'on site, checking the device cabling' });
    }
    if (n % 4 === 0) resolveAlert(doc, a.id, { by: 'edge', at: from + n * 1000 + 900, where: 'edge', reason: 'device back online' });
  }
}

/** The cloud's branch meanwhile: HQ acknowledges and notes every alert it knew of, moves pins, changes the mode. */
function hqBranch(doc: Y.Doc, known: AlertRef[], devices: string[]): void {
  const sd = new SiteDoc(doc);
  const from = T0 + SIMULATED_MS;
  for (const [n, a] of known.entries()) {
    acknowledgeAlert(doc, a.id, { by: 'hq', at: from + n * 2000, where: 'hq' });
    addAlertNote(doc, a.id, { id: `hq-${n}`, by: 'hq', at: from + n * 2000 + 700, where: 'hq', text: 'vendor dispatched' });
  }
  for (let i = 0; i < 20; i++) sd.setDevicePosition(devices[i]!, { x: 100 + i * 10, y: 200 }, 'hq', from + i * 1000);
  sd.setMeta({ mode: 'secure', modeChangedAt: from + 3_600_000, modeChangedBy: 'hq' });
}

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

/** Exchanges state vectors and missing updates as two y-websocket peers do on reconnect. */
function reconcile(a: Y.Doc, b: Y.Doc): { bytes: number; ms: number } {
  const started = performance.now();
  const svA = Y.encodeStateVector(a);
  const svB = Y.encodeStateVector(b);
  const toB = Y.encodeStateAsUpdate(a, svB);
  const toA = Y.encodeStateAsUpdate(b, svA);
  Y.applyUpdate(b, toB, 'remote');
  Y.applyUpdate(a, toA, 'remote');
  return { bytes: svA.byteLength + svB.byteLength + toA.byteLength + toB.byteLength, ms: performance.now() - started };
}

export const merge: Scenario = {
  name: 'merge',
  title: 'two branches of a site document diverge for 2 h, then reconcile',
  async run() {
    const plan = benchSite(SITE, 0);
    const devices = plan.devices.map((d) => d.id);
    const zones = plan.zones.map((z) => z.id);
    // Before the cut, half of the alerts were raised and synced: both branches start from them.
    const seeded = new Y.Doc();
    Y.applyUpdate(seeded, seedBase());
    const known = raiseAlerts(seeded, devices, T0, 0, ALERTS / 2);
    const base = Y.encodeStateAsUpdate(seeded);
    const edge = replica(base, 1);
    const cloud = replica(base, 2);
    edgeBranch(edge.doc, devices, zones, known);
    hqBranch(cloud.doc, known, devices);
    const edgeUpdates = edge.appended.length;
    const cloudUpdates = cloud.appended.length;
    const result = reconcile(edge.doc, cloud.doc);

    const alertsEdge = listAlerts(edge.doc);
    const alerts = listAlerts(cloud.doc);
    const converged = Buffer.from(Y.encodeStateAsUpdate(edge.doc)).byteLength > 0 && JSON.stringify(alertsEdge) === JSON.stringify(alerts) && JSON.stringify(new SiteDoc(edge.doc).devices()) === JSON.stringify(new SiteDoc(cloud.doc).devices());
    const hqAcks = alerts.filter((a) => a.acks.some((k) => k.by === 'hq')).length;
    const lanAcks = alerts.filter((a) => a.acks.some((k) => k.by === 'gangnam.manager')).length;
    if (!converged || alerts.length !== ALERTS || hqAcks !== ALERTS / 2 || lanAcks !== ALERTS / 2) {
      throw new Error(`branches did not merge cleanly: converged=${converged}, alerts=${alerts.length}, hq acks=${hqAcks}, lan acks=${lanAcks}`);
    }
    const storedBefore = base.byteLength + sum(cloud.appended);
    const compactStarted = performance.now();
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(cloud.doc));
    const compacted = Y.encodeStateAsUpdate(scratch);
    const compactMs = performance.now() - compactStarted;
    return {
      ran: `${ALERTS} alerts (${ALERTS / 2} synced before the cut, ${ALERTS / 2} raised offline), ${devices.length} devices' state once a simulated minute for 2 h on the edge branch (${edgeUpdates} updates), HQ acks + notes on ${ALERTS / 2} alerts, 20 pin moves and a mode change on the cloud branch (${cloudUpdates} updates); reconciled by state-vector exchange as two y-websocket peers do; verified: both sides equal, every HQ and LAN ack kept`,
      figures: [
        info('reconcile time', round(result.ms), 'ms', { note: 'both directions: state vectors, diffs, apply' }),
        info('reconcile bytes', round(result.bytes / 1024), 'KiB'),
        info('edge store before compaction', round((base.byteLength + sum(edge.appended)) / 1024), 'KiB', { note: `base + ${edge.appended.length} appended updates` }),
        info('cloud store before compaction', round(storedBefore / 1024), 'KiB', { note: `base + ${cloud.appended.length} appended updates` }),
        info('doc after compaction (re-encode)', round(compacted.byteLength / 1024), 'KiB'),
        info('compaction time', round(compactMs), 'ms'),
      ],
      details: { edgeUpdates, cloudUpdates, alerts: alerts.length, hqAcks, lanAcks },
    };
  },
};
