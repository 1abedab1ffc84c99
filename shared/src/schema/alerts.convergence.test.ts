import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { acknowledgeAlert, addAlertNote, assignAlert, listAlerts, markAlertCause, pruneResolvedAlerts, raiseAlert, resolveAlert, type Ack } from './alerts';
import { alertLatch, type AlertType } from './alert-types';

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

const TYPES: AlertType[] = ['door.forced', 'door.held-open', 'device.offline', 'fire.alarm', 'cache-stale'];

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
  /** alerts a person resolved somewhere, and alerts some replica pruned (each resolved there when pruned) */
  const resolvedByPerson = new Set<string>();
  const pruned = new Set<string>();
  const raised = new Set<string>();
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
      const inc = incident(Math.floor(rand() * 10));
      raiseAlert(doc, inc);
      raised.add(inc.id);
    } else if (op >= 0.95) {
      // A replica keeps its document small: resolved alerts go, with all their entries.
      const before = new Set(listAlerts(doc).map((a) => a.id));
      const resolvedHere = new Set(listAlerts(doc).filter((a) => a.state === 'resolved').map((a) => a.id));
      pruneResolvedAlerts(doc, clock);
      for (const id of before) if (!listAlerts(doc).some((a) => a.id === id)) {
        expect(resolvedHere.has(id), `pruned ${id} while unresolved`).toBe(true);
        pruned.add(id);
      }
    } else {
      const alert = pick(known);
      if (op < 0.5) {
        const ack = { by, at: clock, where };
        acknowledgeAlert(doc, alert.id, ack);
        issuedAcks.push({ alertId: alert.id, ack });
      } else if (op < 0.7) addAlertNote(doc, alert.id, { id: `n-${i}-${step}`, by, at: clock, where, text: `note ${step}` });
      else if (op < 0.78) assignAlert(doc, alert.id, { to: `user-${Math.floor(rand() * peers)}`, by, at: clock });
      // The edge reports the cause clearing (mostly) or coming back: never a resolution.
      else if (op < 0.9) markAlertCause(doc, alert.id, { state: rand() < 0.7 ? 'cleared' : 'active', by: 'edge', at: clock });
      else {
        resolveAlert(doc, alert.id, { by, at: clock, where });
        resolvedByPerson.add(alert.id);
      }
    }
    if (rand() < 0.05) sync(docs[i]!, pick(docs));
  }

  // Reconnect: pairwise syncs in random order until everyone has seen everyone.
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < peers; a++) for (let b = 0; b < peers; b++) if (a !== b) pairs.push([a, b]);
  for (let round = 0; round < 2; round++) {
    for (const [a, b] of [...pairs].sort(() => rand() - 0.5)) sync(docs[a]!, docs[b]!);
  }
  return { docs, issuedAcks, resolvedByPerson, pruned, raised };
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
    it(`seed ${seed}: ${peers} replicas reach identical state with every ack preserved, across cause clears and prunes`, () => {
      const { docs, issuedAcks, resolvedByPerson, pruned, raised } = runScenario(seed, peers, 60);
      const views = docs.map((d) => JSON.stringify(listAlerts(d)));
      for (const v of views) expect(v).toBe(views[0]);

      const alerts = listAlerts(docs[0]!);
      const visible = new Set(alerts.map((a) => a.id));
      for (const { alertId, ack } of issuedAcks) {
        // Gone only if some replica pruned it once resolved (the same incident may be raised afresh
        // after that, without the pruned entries); otherwise the ack is there.
        if (pruned.has(alertId)) continue;
        expect(visible.has(alertId), `alert ${alertId} vanished unpruned`).toBe(true);
        expect(alerts.find((a) => a.id === alertId)!.acks).toContainEqual(ack);
      }
      expect(issuedAcks.length).toBeGreaterThan(10);
      expect(alerts.some((a) => a.causeCleared)).toBe(true);
      // Latching: an alarm that must be resolved by a person and never was is still there, whatever its cause did.
      for (const id of raised) {
        const a = alerts.find((x) => x.id === id);
        if (!resolvedByPerson.has(id) && alertLatch(incident(Number(/dev-(\d+)/.exec(id)![1])).type) === 'resolve') {
          expect(a, `latched alarm ${id}`).toBeDefined();
          expect(a!.state).not.toBe('resolved');
        }
      }
      for (const a of alerts) {
        const ackLatchDone = alertLatch(a.type) === 'ack' && a.causeCleared && a.acks.length > 0;
        const expected = a.resolutions.length > 0 || ackLatchDone ? 'resolved' : a.acks.length > 0 ? 'acknowledged' : 'open';
        expect(a.state).toBe(expected);
        expect(a.causeCleared).toBe(a.causes.at(-1)?.state === 'cleared');
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

describe('latching alarms', () => {
  it('a forced door that closes leaves the alarm open, saying its cause cleared; only a person resolves it', () => {
    const d = new Y.Doc();
    const forced = incident(0);
    raiseAlert(d, forced);
    markAlertCause(d, forced.id, { state: 'cleared', by: 'edge', at: 2000, reason: 'door closed' });
    let a = listAlerts(d)[0]!;
    expect([a.state, a.causeCleared, a.clearedAt]).toEqual(['open', true, 2000]);
    acknowledgeAlert(d, forced.id, { by: 'hq', at: 2100, where: 'hq' });
    expect(listAlerts(d)[0]!.state).toBe('acknowledged');
    // Forced again before anyone resolved it: the same alarm, cause present again.
    markAlertCause(d, forced.id, { state: 'active', by: 'edge', at: 2200 });
    a = listAlerts(d)[0]!;
    expect([a.causeCleared, a.clearedAt, a.causes.map((c) => c.state)]).toEqual([false, undefined, ['cleared', 'active']]);
    expect(pruneResolvedAlerts(d, Number.MAX_SAFE_INTEGER)).toBe(0);
    resolveAlert(d, forced.id, { by: 'hq', at: 2300, where: 'hq', reason: 'door checked' });
    expect(listAlerts(d)[0]!).toMatchObject({ state: 'resolved', resolvedAt: 2300 });
  });

  it('a gateway report on its own state ends once acknowledged and cleared, in either order, and not before', () => {
    const stale = { ...incident(4), type: 'cache-stale' as const };
    for (const order of [['clear', 'ack'], ['ack', 'clear']] as const) {
      const d = new Y.Doc();
      raiseAlert(d, stale);
      for (const step of order) {
        expect(listAlerts(d)[0]!.state).not.toBe('resolved');
        if (step === 'clear') markAlertCause(d, stale.id, { state: 'cleared', by: 'edge', at: 3000 });
        else acknowledgeAlert(d, stale.id, { by: 'hq', at: 3100, where: 'hq' });
      }
      expect(listAlerts(d)[0]!).toMatchObject({ state: 'resolved', resolvedAt: 3100 });
      expect(pruneResolvedAlerts(d, 3101)).toBe(1);
    }
  });
});
