import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import * as Y from 'yjs';
import { SITE_MAPS } from '@cr/shared';
import { CLIENT_KINDS, connectClient, type ClientKind } from '../harness/providers';
import { ArrivalTally, ClientReceipts } from '../harness/fanout-ledger';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';
import { nowMs } from '../harness/wait';

/**
 * One client process of the fan-out workload: `--clients` console clients (unmodified providers
 * of `--kind`; on our server each signed in as its own operator, `--first` is the index of its
 * first operator in the `--tokens` file, `-` for a server without authentication) on one site
 * document. Every edit carries its sequence number; once all clients of this process have seen
 * one, the process tells the writer (`--ack-port`, a line per edit). Asked to report, it sends
 * when each client first saw each of the `--steady-edits` edits, then exits.
 */
runMain(async () => {
  const f = workerFlags(['url', 'doc', 'tokens', 'kind', 'first', 'clients', 'steady-edits', 'ack-port']);
  if (!CLIENT_KINDS.includes(f.kind as ClientKind)) throw new Error(`--kind must be one of ${CLIENT_KINDS.join(', ')}`);
  const tokens = f.tokens === '-' ? undefined : (JSON.parse(readFileSync(f.tokens, 'utf8')) as { readers: string[] });
  const clients = Number(f.clients);
  const first = Number(f.first);
  const tally = new ArrivalTally(clients);
  const receipts = Array.from({ length: clients }, () => new ClientReceipts(Number(f['steady-edits'])));
  const ack = connect({ port: Number(f['ack-port']), host: '127.0.0.1', noDelay: true });
  await new Promise<void>((resolve, reject) => ack.once('connect', resolve).once('error', reject));
  const send = (m: unknown): void => void (ack.writable && ack.write(`${JSON.stringify(m)}\n`));
  // What the documents held before this run (earlier runs on the same server) is not an edit of it.
  let counting = false;
  const sessions = receipts.map((seen, i) => {
    const doc = new Y.Doc();
    doc.getMap(SITE_MAPS.state).observe((ev) => {
      if (!counting) return;
      const at = nowMs();
      for (const key of ev.keysChanged) {
        const seq = (ev.target.get(key) as { state?: { seq?: unknown } } | undefined)?.state?.seq;
        if (typeof seq !== 'number' || !seen.see(seq, at)) continue;
        const lastAt = tally.arrive(seq, at);
        if (lastAt !== undefined) send({ t: 'ack', seq, at: lastAt });
      }
    });
    return connectClient(
      f.kind as ClientKind,
      f.url,
      f.doc,
      tokens ? tokens.readers[(first + i) % tokens.readers.length] : undefined,
      doc,
    );
  });
  await Promise.all(sessions.map((s) => s.synced));
  counting = true;
  const reported = new Promise<void>((resolve) => {
    createInterface({ input: ack }).on('line', (line) => {
      if ((JSON.parse(line) as { t?: string }).t !== 'report') return;
      counting = false;
      send({ t: 'receipts', steadyAt: receipts.map((r) => r.steadyAt) });
      ack.end(resolve);
    });
    ack.once('close', () => resolve());
  });
  send({ t: 'synced', clients });
  ready();
  await reported;
  for (const s of sessions) s.destroy();
  finish({ clients, incompleteEdits: tally.pending });
});
