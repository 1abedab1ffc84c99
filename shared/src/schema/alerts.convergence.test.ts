import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acknowledgeAlert, addAlertNote, assignAlert, listAlerts, raiseAlert, resolveAlert, type Ack } from './alerts';
import type { AlertType } from './alert-types';

/** Small deterministic PRNG so a failing seed can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES: AlertType[] = ['door.forced', 'door.held-open', 'device.offline', 'fire.alarm'];

/** Deterministic alert content: the same incident has the same id and facts on every replica. */
function incident(n: number) {
  const type = TYPES[n % TYPES.length]!;
  return {
    id: `gangnam.dev-${n}.${type}.${1000 + n}`,
    siteId: 'gangnam',
    type,
    severity: 'major' as const,
    raisedAt: 1000 + n,
    deviceId: `dev-${n}`,
    source: 'edge',
  };
}

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

function runScenario(seed: number, peers: number, opsPerPeer: number) {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const docs = Array.from({ length: peers }, (_, i) => {
    const d = new Y.Doc();
    d.clientID = i + 1; // fixed ids make the run replayable
    return d;
  });
  const issuedAcks: Array<{ alertId: string; ack: Ack }> = [];
  let clock = 2000;

  // Before the partition every replica knows the first few incidents.
  for (let n = 0; n < 3; n++) raiseAlert(docs[0]!, incident(n));
  for (const d of docs.slice(1)) sync(docs[0]!, d);

  // Partitioned: each replica acts on what it knows; occasionally two replicas meet.
  for (let step = 0; step < peers * opsPerPeer; step++) {
    const i = Math.floor(rand() * peers);
    const doc = docs[i]!;
    const known = listAlerts(doc);
    const op = rand();
    clock += 1 + Math.floor(rand() * 3);
    const where = i === 0 ? 'hq' : `lan-${i}`;
    const by = `user-${i}`;
    if (op < 0.2 || known.length === 0) {
      raiseAlert(doc, incident(Math.floor(rand() * 8)));
    } else {
      const alert = pick(known);
      if (op < 0.5) {
        const ack = { by, at: clock, where };
        acknowledgeAlert(doc, alert.id, ack);
        issuedAcks.push({ alertId: alert.id, ack });
      } else if (op < 0.7) addAlertNote(doc, alert.id, { id: `n-${i}-${step}`, by, at: clock, where, text: `note ${step}` });
      else if (op < 0.85) assignAlert(doc, alert.id, { to: `user-${Math.floor(rand() * peers)}`, by, at: clock });
      else resolveAlert(doc, alert.id, { by, at: clock, where });
    }
    if (rand() < 0.05) sync(docs[i]!, pick(docs));
  }

  // Reconnect: pairwise syncs in random order until everyone has seen everyone.
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < peers; a++) for (let b = 0; b < peers; b++) if (a !== b) pairs.push([a, b]);
  for (let round = 0; round < 2; round++) {
    for (const [a, b] of [...pairs].sort(() => rand() - 0.5)) sync(docs[a]!, docs[b]!);
  }
  return { docs, issuedAcks };
}

describe('alert convergence across partitioned replicas', () => {
  for (const [seed, peers] of [
    [1, 3],
    [2, 4],
    [3, 5],
    [42, 5],
    [7, 3],
    [99, 4],
  ] as const) {
    it(`seed ${seed}: ${peers} replicas reach identical state with every ack preserved`, () => {
      const { docs, issuedAcks } = runScenario(seed, peers, 40);
      const views = docs.map((d) => JSON.stringify(listAlerts(d)));
      for (const v of views) expect(v).toBe(views[0]);

      const alerts = listAlerts(docs[0]!);
      for (const { alertId, ack } of issuedAcks) {
        const alert = alerts.find((a) => a.id === alertId);
        expect(alert, `alert ${alertId}`).toBeDefined();
        expect(alert!.acks).toContainEqual(ack);
      }
      expect(issuedAcks.length).toBeGreaterThan(10);
      for (const a of alerts) {
        const expected = a.resolutions.length > 0 ? 'resolved' : a.acks.length > 0 ? 'acknowledged' : 'open';
        expect(a.state).toBe(expected);
      }
    });
  }

  it('an HQ ack and an offline site-manager ack of the same alert both survive', () => {
    const hq = new Y.Doc();
    const lan = new Y.Doc();
    raiseAlert(hq, incident(1));
    sync(hq, lan);
    acknowledgeAlert(hq, incident(1).id, { by: 'hq@demo.local', at: 5000, where: 'hq' });
    assignAlert(hq, incident(1).id, { to: 'tech-1', by: 'hq@demo.local', at: 5001 });
    acknowledgeAlert(lan, incident(1).id, { by: 'gangnam.manager@demo.local', at: 5002, where: 'lan' });
    addAlertNote(lan, incident(1).id, { id: 'n1', by: 'gangnam.manager@demo.local', at: 5003, where: 'lan', text: '확인 중' });
    sync(lan, hq);
    sync(hq, lan);
    for (const d of [hq, lan]) {
      const a = listAlerts(d)[0]!;
      expect(a.acks.map((x) => x.where)).toEqual(['hq', 'lan']);
      expect(a.notes[0]?.text).toBe('확인 중');
      expect(a.assignee).toBe('tech-1');
      expect(a.state).toBe('acknowledged');
    }
  });

  it('a resolve wins over a later ack, and a second raise of the same incident adds nothing', () => {
    const d = new Y.Doc();
    expect(raiseAlert(d, incident(2))).toBe(true);
    expect(raiseAlert(d, incident(2))).toBe(false);
    resolveAlert(d, incident(2).id, { by: 'edge', at: 10, where: 'edge' });
    acknowledgeAlert(d, incident(2).id, { by: 'hq', at: 20, where: 'hq' });
    expect(listAlerts(d)).toHaveLength(1);
    expect(listAlerts(d)[0]!.state).toBe('resolved');
  });
});
