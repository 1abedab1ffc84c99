import { GRANTED_CARD, PROBE } from './fuzz-site';
import type { FuzzReport } from './runner';

/** Everything that makes a run fail, one line each; empty when the edge held. */
export function failuresOf(r: FuzzReport): string[] {
  const f: string[] = [];
  const e = r.effects;
  for (const c of r.crashes)
    f.push(
      `crash: exit ${c.exit.code ?? c.exit.signal}; in flight: ${c.suspects.join(' | ')}; stderr: ${c.stderrTail.slice(-600)}`,
    );
  for (const d of r.forgedDeliveries.slice(0, 5)) f.push(`forged delivery on ${d.topic}: ${d.payload}`);
  if (r.forgedDeliveries.length > 5) f.push(`… ${r.forgedDeliveries.length - 5} more forged deliveries`);
  for (const d of e.retainedForgeries.slice(0, 5))
    f.push(`forged message kept as retained on ${d.topic}: ${d.payload}`);
  for (const l of r.stats.livenessFailures.slice(0, 5)) f.push(`liveness: ${l}`);
  if (!e.alive) f.push('the edge process is not alive after the run');
  if (e.healthProblem) f.push(`health after the run: ${e.healthProblem}`);
  if (e.health && (e.health.mode !== 'normal' || e.health.fireActive))
    f.push(
      `site left in mode ${e.health.mode}${e.health.fireActive ? ' with a fire alarm' : ''}: no fuzz input may change it`,
    );
  for (const c of e.doorCommandsDuringFuzz.slice(0, 3))
    f.push(`${PROBE.doorId} received ${c.action} (${c.id}) during the fuzz: no fuzz input may move it`);
  if (e.alive && (e.unknownCard?.granted !== false || e.unknownCard.reason !== 'unknown-credential'))
    f.push(
      `unknown card answered ${JSON.stringify(e.unknownCard ?? 'nothing')}, expected granted:false unknown-credential`,
    );
  if (e.alive && r.withCloud) {
    if (e.grantedCard?.granted !== true || e.grantedCard.reason !== 'granted')
      f.push(`${GRANTED_CARD} answered ${JSON.stringify(e.grantedCard ?? 'nothing')}, expected granted`);
    if (!e.pulse) f.push(`${PROBE.doorId} got no pulse-unlock after the grant`);
  }
  if (e.outboxProblem) f.push(`outbox check: ${e.outboxProblem}`);
  if (e.outbox && e.outbox.after !== e.outbox.before + 1)
    f.push(`outboxDepth went ${e.outbox.before} → ${e.outbox.after} for one fresh event (expected +1)`);
  if (e.outbox?.uploaded === false) f.push('the fresh event never reached the cloud');
  if (r.crashes.length === 0) {
    const s = r.stats;
    if (s.mqttPublishes < r.size.mqtt || s.http.inputs < r.size.http || s.ws.inputs < r.size.ws)
      f.push(
        `fewer inputs than asked: mqtt ${s.mqttPublishes}/${r.size.mqtt}, http ${s.http.inputs}/${r.size.http}, ws ${s.ws.inputs}/${r.size.ws}`,
      );
  }
  return f;
}

const top = (counts: Record<string, number>, n = 12): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The printable summary of a run: counts per surface, then the verdict lines. */
export function formatReport(r: FuzzReport): string {
  const s = r.stats;
  const failures = failuresOf(r);
  const lines = [
    `fuzz seed ${r.seed} (reproduce: npm run fuzz -- --seed ${r.seed}), site ${r.siteId}, ${r.withCloud ? 'with' : 'without'} cloud, ${(r.ms / 1000).toFixed(1)} s`,
    `mqtt: ${s.mqtt.inputs} inputs = ${s.mqttPublishes} publishes (${s.forgedSent} forged) + ${s.mqtt.inputs - s.mqttPublishes} raw-TCP connections`,
    `  kinds: ${top(s.mqtt.byKind, 30)}`,
    `  outcomes: ${top(s.mqtt.outcomes)}`,
    `http: ${s.http.inputs} requests (${s.http.byKind.fetch ?? 0} fetch, ${(s.http.byKind.raw ?? 0) + (s.http.byKind['raw-truncated'] ?? 0)} raw socket); statuses: ${top(s.http.outcomes, 20)}`,
    `ws: ${s.ws.inputs} inputs = ${s.ws.inputs - (s.ws.byKind.frame ?? 0)} upgrades + ${s.ws.byKind.frame ?? 0} frames; upgrade answers: ${top(s.ws.outcomes)}`,
    `client disconnects by the broker: ${s.clientDisconnects}`,
    `crashes: ${r.crashes.length}`,
    `forged deliveries: ${r.forgedDeliveries.length} live, ${r.effects.retainedForgeries.length} retained (of ${s.forgedSent} forged publishes and wills)`,
    `liveness checks: ${s.livenessChecks}, failures: ${s.livenessFailures.length}`,
    `findings (not failures): ${s.findings.length}${
      s.findings.length
        ? `\n${s.findings
            .slice(0, 10)
            .map((x) => `  ${x.surface} ${x.what}: ${x.input}`)
            .join('\n')}`
        : ''
    }`,
    failures.length ? `FAILED:\n${failures.map((l) => `  - ${l}`).join('\n')}` : 'OK: the edge held',
    ...(failures.length && r.effects.siteMeta
      ? [`site meta after the run: ${JSON.stringify(r.effects.siteMeta)}`]
      : []),
    ...(failures.length && r.effects.stderrTail ? [`edge stderr (tail):\n${r.effects.stderrTail}`] : []),
  ];
  return lines.join('\n');
}
