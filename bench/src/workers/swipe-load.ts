import { deviceChannelFilter, deviceTopic } from '@cr/shared';
import { connectDevice, subscribe } from '../harness/mqtt';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';
import { nowMs, sleep } from '../harness/wait';

/** What the swipe load generator hands back: one entry per request, in sending order. */
export interface SwipeLoadResult {
  rate: number;
  readers: number;
  /** absolute `nowMs()` of each request's publish (comparable with the scenario's clock) */
  sentAt: number[];
  /** request → answer received, ms; -1 when no answer came before the worker stopped */
  latencyMs: number[];
  /** answers by `reason` */
  reasons: Record<string, number>;
  /** ms spent waiting for the last answers after SIGTERM */
  drainMs: number;
}

/**
 * Readers swiping cards at the edge: `rate` access requests per second, open loop (each leaves on
 * schedule whether or not earlier ones were answered), round-robin over the readers, until the
 * scenario sends SIGTERM (or `max-seconds` passes). Then waits up to `drain-ms` for outstanding
 * answers and prints every request's send time and latency.
 */
runMain(async () => {
  const f = workerFlags(['url', 'site', 'readers', 'rate', 'max-seconds', 'drain-ms']);
  const readers = f.readers.split(',');
  const rate = Number(f.rate);
  const client = await connectDevice(f.url, `swipe-load-${process.pid}`);
  const sentAt: number[] = [];
  const latencyMs: number[] = [];
  const index = new Map<string, number>();
  const reasons: Record<string, number> = {};
  let answered = 0;
  client.on('message', (_topic, payload) => {
    const at = nowMs();
    const r = JSON.parse(payload.toString()) as { requestId: string; reason?: string };
    const i = index.get(r.requestId);
    if (i === undefined) return;
    index.delete(r.requestId);
    latencyMs[i] = at - sentAt[i]!;
    answered++;
    const reason = r.reason ?? '?';
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  });
  await subscribe(client, deviceChannelFilter(f.site, 'access/response'));

  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = (): void => {
    stopping = true;
    wake?.();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const deadline = nowMs() + Number(f['max-seconds']) * 1000;
  ready(`${rate} req/s over ${readers.length} readers`);

  const started = nowMs();
  let sent = 0;
  while (!stopping && nowMs() < deadline) {
    const due = Math.floor(((nowMs() - started) / 1000) * rate) + 1;
    for (; sent < due; sent++) {
      const requestId = `s${process.pid}-${sent}`;
      const reader = readers[sent % readers.length]!;
      const card = `card-${String((sent % 100) + 1).padStart(4, '0')}`;
      index.set(requestId, sent);
      latencyMs[sent] = -1;
      sentAt[sent] = nowMs();
      client.publish(deviceTopic(f.site, reader, 'access/request'), JSON.stringify({ requestId, credential: { type: 'card', value: card }, ts: Date.now() }), { qos: 1 });
    }
    const wait = Math.max(0, started + (sent / rate) * 1000 - nowMs());
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, wait);
    });
    wake = undefined;
  }
  const drainFrom = nowMs();
  const drainUntil = drainFrom + Number(f['drain-ms']);
  while (answered < sent && nowMs() < drainUntil) await sleep(5);
  const drainMs = nowMs() - drainFrom;
  client.end(true);
  finish({ rate, readers: readers.length, sentAt, latencyMs, reasons, drainMs } satisfies SwipeLoadResult);
});
