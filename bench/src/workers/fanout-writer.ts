import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { SiteDoc } from '@cr/shared';
import { CLIENT_KINDS, connectClient, type ClientKind } from '../harness/providers';
import { ArrivalTally, steadyFigures } from '../harness/fanout-ledger';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';
import { nowMs, sleep } from '../harness/wait';

const DEVICES = ['door-lobby', 'door-lounge', 'door-meeting', 'door-office'];

type FromClients =
  | { t: 'synced'; clients: number }
  | { t: 'ack'; seq: number; at: number }
  | { t: 'receipts'; steadyAt: Array<Array<number | null>> };

/**
 * The writer of the fan-out workload (the site's gateway, one provider of `--kind`) and the
 * referee of its client processes: it prints `READY <port>`, waits until `--processes` client
 * processes have connected there with all their clients synced, then sets a device state
 * (SiteDoc) carrying its sequence number. An edit counts as delivered when every client process
 * has said all its clients saw it. Phase 1 edits at a fixed rate; phase 2 keeps `--window` edits
 * outstanding and counts edits delivered to all clients per second.
 */
runMain(async () => {
  const f = workerFlags(['url', 'doc', 'tokens', 'kind', 'processes', 'rate', 'seconds', 'saturate-seconds', 'window']);
  if (!CLIENT_KINDS.includes(f.kind as ClientKind)) throw new Error(`--kind must be one of ${CLIENT_KINDS.join(', ')}`);
  const token =
    f.tokens === '-' ? undefined : (JSON.parse(readFileSync(f.tokens, 'utf8')) as { writer: string }).writer;
  const processes = Number(f.processes);
  const writer = connectClient(f.kind as ClientKind, f.url, f.doc, token);
  await writer.synced;

  const sentAt: number[] = [];
  const everyAt: Array<number | undefined> = [];
  const tally = new ArrivalTally(processes);
  const sockets: Socket[] = [];
  const receipts: Array<Array<number | null>> = [];
  let clients = 0;
  let syncedProcesses = 0;
  let satFrom = Number.POSITIVE_INFINITY;
  let satCompleted = 0;
  let allSynced: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => (allSynced = resolve));
  let reportsIn: () => void = () => undefined;
  const reported = new Promise<void>((resolve) => (reportsIn = resolve));
  let reports = 0;
  let topUp: () => void = () => undefined;
  const onMessage = (m: FromClients): void => {
    if (m.t === 'ack') {
      const at = tally.arrive(m.seq, m.at);
      if (at === undefined) return;
      everyAt[m.seq] = at;
      if (m.seq < satFrom) return;
      satCompleted++;
      topUp();
    } else if (m.t === 'synced') {
      clients += m.clients;
      if (++syncedProcesses === processes) allSynced();
    } else {
      receipts.push(...m.steadyAt);
      if (++reports === processes) reportsIn();
    }
  };
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.push(socket);
    createInterface({ input: socket }).on('line', (line) => onMessage(JSON.parse(line) as FromClients));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ready(String((server.address() as AddressInfo).port));
  const waitOrFail = (p: Promise<void>, what: string, ms: number): Promise<void> =>
    Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what} within ${ms / 1000} s`)))]);
  await waitOrFail(synced, `not all ${processes} client processes synced`, 90_000);

  const site = new SiteDoc(writer.doc);
  let seq = 0;
  const edit = (): void => {
    const n = seq++;
    sentAt[n] = nowMs();
    site.setDeviceState(DEVICES[n % DEVICES.length]!, { locked: n % 2 === 0, open: false, seq: n }, Date.now());
  };
  // Phase 1: a steady rate (open loop).
  const rate = Number(f.rate);
  const steadyEdits = rate * Number(f.seconds);
  const started = nowMs();
  for (let i = 0; i < steadyEdits; i++) {
    edit();
    await sleep(Math.max(0, started + ((i + 1) * 1000) / rate - nowMs()));
  }
  await sleep(1000);
  const steadyEvery = everyAt.slice(0, steadyEdits);
  console.log('PHASE saturate');
  // Phase 2: saturation, closed loop with a bounded number of edits in flight, topped up as
  // deliveries complete (the writer idles while it waits, leaving the cores to the server).
  const window = Number(f.window);
  satFrom = seq;
  const satStart = nowMs();
  let saturating = true;
  topUp = () => {
    while (saturating && seq - satFrom - satCompleted < window) edit();
  };
  topUp();
  await sleep(Number(f['saturate-seconds']) * 1000);
  saturating = false;
  const satSeconds = (nowMs() - satStart) / 1000;
  const delivered = satCompleted;
  console.log('PHASE done');
  for (const s of sockets) s.write(`${JSON.stringify({ t: 'report' })}\n`);
  await waitOrFail(reported, 'not every client process reported', 30_000);
  writer.destroy();
  finish({
    steady: steadyFigures(sentAt.slice(0, steadyEdits), receipts, steadyEvery),
    saturation: { editsPerSec: delivered / satSeconds, deliveriesPerSec: (delivered * clients) / satSeconds, window },
    clients,
    processes,
    rate,
    seconds: Number(f.seconds),
  });
});
