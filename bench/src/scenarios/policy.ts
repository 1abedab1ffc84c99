import { readFileSync } from 'node:fs';
import { DEMO_SITES } from '@cr/shared';
import { login } from '@cr/demo/cloud-client';
import { caller, expectOk, type Call } from '../harness/api';
import { Badger, demoCard, type BadgeStep } from '../harness/badge';
import { FLEET_SITES, startFleetCloud } from '../harness/fleet';
import { startLinkedEdge } from '../harness/linked-edge';
import { connectDevice, metricValue } from '../harness/mqtt';
import { heavyPolicy, ruleCount } from '../harness/policy-load';
import { startStoppableWorker } from '../harness/stoppable-worker';
import { nowMs, sleep, waitFor } from '../harness/wait';
import { atMost, info, type Figure, type Scenario } from '../scenario';
import { round, summarize } from '../stats';

const SITE = 'gangnam';
const RATE = 100;
const SECONDS = 20;
const ROLLOUTS = 5;

/** The edge's own decision time over a phase: the histogram's sum and count before and after. */
async function decisionCounters(httpUrl: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  return { sum: metricValue(text, 'edge_access_decision_seconds_sum'), count: metricValue(text, 'edge_access_decision_seconds_count') };
}

async function phase(badger: Badger, httpUrl: string, readers: string[], tag: string): Promise<{ step: BadgeStep; meanUs: number }> {
  const before = await decisionCounters(httpUrl);
  const step = await badger.run(readers, demoCard, RATE, SECONDS, tag);
  const after = await decisionCounters(httpUrl);
  if (step.granted !== step.sent) throw new Error(`${tag}: ${step.granted} of ${step.sent} granted (${JSON.stringify(step.reasons)})`);
  return { step, meanUs: ((after.sum - before.sum) / Math.max(1, after.count - before.count)) * 1e6 };
}

/** Access at one edge without a policy, then with 50 rules and 20 scenarios in force. */
async function decisionTime(): Promise<{ figures: Figure[]; ran: string; details: unknown }> {
  const system = await startLinkedEdge(SITE, 'policy-decide');
  const client = await connectDevice(system.edge.mqttUrl, 'bench-policy-readers');
  try {
    const badger = await Badger.on(client, SITE);
    const readers = DEMO_SITES.find((s) => s.id === SITE)!.devices.filter((d) => d.kind === 'reader').map((d) => d.id);
    await badger.run(readers, demoCard, 50, 2, 'warmup');
    const none = await phase(badger, system.edge.httpUrl, readers, 'none');
    const call = caller(system.cloud.url, await login(system.cloud.url, 'admin@demo.local'));
    const body = heavyPolicy(Date.now());
    const { id } = (await expectOk(call, 'POST', '/api/v1/policies', { name: 'Bench: 50 rules, 20 scenarios', body })) as { id: string };
    await expectOk(call, 'POST', `/api/v1/policies/${id}/rollouts`, { version: 1, siteIds: [SITE] });
    await waitFor('the edge applies the policy', async () => ((await expectOk(call, 'GET', `/api/v1/sites/${SITE}/policy`)) as { appliedVersion?: number }).appliedVersion === 1, 10_000, 50);
    await badger.run(readers, demoCard, 50, 2, 'warmup-policy');
    const heavy = await phase(badger, system.edge.httpUrl, readers, 'policy');
    const pair = (what: string, a: number, b: number, unit: string, limit?: number): Figure[] => [
      info(`${what}, no policy`, round(a), unit),
      limit === undefined ? info(`${what}, 50 rules + 20 scenarios`, round(b), unit, { note: `${round(b - a)} ${unit} against no policy` }) : atMost(`${what}, 50 rules + 20 scenarios`, round(b), unit, limit, { note: `${round(b - a)} ${unit} against no policy` }),
    ];
    return {
      ran: `demo cloud + edge ${SITE} (separate processes), ${readers.length} readers, ${RATE} req/s for ${SECONDS} s with no policy, then the same with a policy of ${ruleCount(body)} rules (opening-hour ranges, closed dates, secure-mode windows) and ${body.scenarios?.length} scenarios applied; every answer granted in both`,
      figures: [
        ...pair('access request → response p50', none.step.latency.p50, heavy.step.latency.p50, 'ms'),
        ...pair('access request → response p99', none.step.latency.p99, heavy.step.latency.p99, 'ms', 10),
        ...pair('edge decision time (mean, inside the edge)', none.meanUs, heavy.meanUs, 'µs'),
      ],
      details: { none, policy: heavy },
    };
  } finally {
    client.end(true);
    await system.stop();
  }
}

/** A version rolled out to all 200 sites, five times: 202, every edge received, every report in the cloud. */
async function rolloutTime(): Promise<{ figures: Figure[]; ran: string; details: unknown }> {
  const fleet = await startFleetCloud('policy-rollout');
  const received = new Map<string, Map<string, number>>();
  const worker = await startStoppableWorker<{ sites: number; received: number }>('policy fleet', 'policy-fleet.ts', ['--url', fleet.cloud.url, '--tokens', fleet.tokensFile, '--max-seconds', '600'], 660_000, {
    readyTimeoutMs: 120_000,
    onLine: (line) => {
      const m = /^APPLIED (\S+) (\S+) (\d+) (\d+)$/.exec(line);
      if (!m) return;
      const key = `${m[2]}/v${m[3]}`;
      if (!received.has(key)) received.set(key, new Map());
      received.get(key)!.set(m[1]!, Number(m[4]));
    },
  });
  try {
    const sites = Object.keys(JSON.parse(readFileSync(fleet.tokensFile, 'utf8')) as Record<string, string>);
    const call: Call = caller(fleet.cloud.url, await login(fleet.cloud.url, 'admin@demo.local'));
    const body = heavyPolicy(Date.now());
    const { id } = (await expectOk(call, 'POST', '/api/v1/policies', { name: 'Bench fleet policy', body })) as { id: string };
    await expectOk(call, 'POST', `/api/v1/policies/${id}/versions`, { body: { ...body, booking: { noShowGraceMin: 10 } } });
    const trials: Array<{ acceptedMs: number; perSite: number[]; allReceivedMs: number; allReportedMs: number }> = [];
    for (let t = 0; t < ROLLOUTS; t++) {
      // v1, v2, v1 (a rollback), …: each rollout changes what every site runs.
      const version = (t % 2) + 1;
      received.delete(`${id}/v${version}`);
      const wall = Date.now();
      const started = nowMs();
      await expectOk(call, 'POST', `/api/v1/policies/${id}/rollouts`, { version, siteIds: sites });
      const acceptedMs = nowMs() - started;
      await waitFor(`every site received v${version}`, () => (received.get(`${id}/v${version}`)?.size ?? 0) >= sites.length, 60_000, 5);
      const perSite = [...received.get(`${id}/v${version}`)!.values()].map((at) => at - wall);
      const allReceivedMs = Math.max(...perSite);
      await waitFor(`every site reported v${version} applied`, async () => {
        const status = (await expectOk(call, 'GET', `/api/v1/policies/${id}/rollout-status`)) as Array<{ status: string; appliedVersion?: number }>;
        return status.filter((s) => s.status === 'applied' && s.appliedVersion === version).length >= sites.length;
      }, 60_000, 20);
      trials.push({ acceptedMs, perSite, allReceivedMs, allReportedMs: nowMs() - started });
      await sleep(500);
    }
    const median = (xs: number[]) => summarize(xs).p50;
    const perSite = summarize(trials.flatMap((t) => t.perSite));
    return {
      ran: `cloud with ${FLEET_SITES} sites linked from one process (each link validates the version with the edge's schema and reports it applied); ${ROLLOUTS} rollouts of a ${ruleCount(body)}-rule, ${body.scenarios?.length}-scenario policy to all ${sites.length} sites (v1, v2, v1 …), times from the rollout request; figures are medians of the ${ROLLOUTS} rollouts`,
      figures: [
        info('rollout request → 202 (200 sites)', round(median(trials.map((t) => t.acceptedMs))), 'ms'),
        info('rollout → a site has the version, p50', round(perSite.p50), 'ms'),
        info('rollout → a site has the version, p99', round(perSite.p99), 'ms'),
        atMost('rollout → all 200 sites have it', round(median(trials.map((t) => t.allReceivedMs))), 'ms', 5_000, { note: 'CONTRACT §9: a site applies a new version within 5 s' }),
        info('rollout → all 200 reported applied in the cloud', round(median(trials.map((t) => t.allReportedMs))), 'ms'),
      ],
      details: { trials: trials.map(({ perSite: p, ...t }) => ({ ...t, perSite: summarize(p) })) },
    };
  } finally {
    await worker.finish().catch(() => undefined);
    await fleet.cloud.stop();
  }
}

export const policy: Scenario = {
  name: 'policy',
  title: 'access decisions with a 50-rule, 20-scenario site policy against none, and a policy rollout to 200 sites',
  limitMs: 420_000,
  async run() {
    const decide = await decisionTime();
    const rollout = await rolloutTime();
    return { ran: `${decide.ran}; ${rollout.ran}`, figures: [...decide.figures, ...rollout.figures], details: { decide: decide.details, rollout: rollout.details } };
  },
};
