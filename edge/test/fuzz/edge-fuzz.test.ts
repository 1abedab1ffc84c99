import { beforeAll, describe, expect, it } from 'vitest';
import { GRANTED_CARD, seedFrom, SLICE_SIZE } from './fuzz-site';
import { failuresOf, formatReport } from './report';
import { runFuzz, type FuzzReport } from './runner';

/**
 * A seeded slice of the fuzz (`npm run fuzz` runs the full one): a real edge process linked to a
 * fake cloud takes a few hundred generated MQTT publishes, raw MQTT frames, HTTP requests and
 * WebSocket upgrades at once, then must still be alive, answer /health, decide swipes correctly,
 * commit a fresh event, and never have delivered a forged publish on an edge-only topic.
 */
describe('the edge under a seeded fuzz slice', () => {
  const seed = seedFrom(process.env);
  let report: FuzzReport;

  beforeAll(async () => {
    report = await runFuzz({ seed, size: SLICE_SIZE, maxCrashes: 0 });
    console.log(formatReport(report));
  }, 60_000);

  it('sent a few hundred inputs on every surface, forgeries and broker disconnects included', () => {
    expect(report.stats.mqttPublishes).toBeGreaterThanOrEqual(SLICE_SIZE.mqtt);
    expect(report.stats.http.inputs).toBeGreaterThanOrEqual(SLICE_SIZE.http);
    expect(report.stats.ws.inputs).toBeGreaterThanOrEqual(SLICE_SIZE.ws);
    expect(report.stats.forgedSent).toBeGreaterThan(10);
    expect(report.stats.clientDisconnects).toBeGreaterThan(0);
  });

  it('never crashed, and /health stayed sane throughout', () => {
    expect(
      report.crashes.map((c) => ({ exit: c.exit, inFlight: c.suspects, stderr: c.stderrTail.slice(-1_500) })),
    ).toEqual([]);
    expect(report.stats.livenessChecks).toBeGreaterThan(0);
    expect(report.stats.livenessFailures).toEqual([]);
    expect(report.effects.alive).toBe(true);
    expect(report.effects.healthProblem).toBeUndefined();
    expect(report.effects.health).toMatchObject({ siteId: report.siteId, mode: 'normal', cloud: 'connected' });
    expect(report.effects.health?.fireActive ?? false).toBe(false);
  });

  it('delivered none of the forged publishes on edge-only topics, live or retained', () => {
    expect(report.forgedDeliveries).toEqual([]);
    expect(report.effects.retainedForgeries).toEqual([]);
  });

  it('still decides swipes: unknown card refused, demo card granted with a pulse-unlock, and no other command moved the door', () => {
    expect(report.effects.doorCommandsDuringFuzz).toEqual([]);
    expect(report.effects.unknownCard).toMatchObject({ granted: false, reason: 'unknown-credential' });
    expect(report.effects.grantedCard, GRANTED_CARD).toMatchObject({ granted: true, reason: 'granted' });
    expect(report.effects.pulse).toMatchObject({ action: 'pulse-unlock' });
  });

  it('still commits a fresh event: outboxDepth grows by exactly one and the cloud receives it', () => {
    expect(report.effects.outboxProblem).toBeUndefined();
    const { before, after, uploaded } = report.effects.outbox!;
    expect(before).toBeGreaterThanOrEqual(0);
    expect(after).toBe(before + 1);
    expect(uploaded).toBe(true);
  });

  it('has nothing else in its failure list', () => {
    expect(failuresOf(report)).toEqual([]);
  });
});
