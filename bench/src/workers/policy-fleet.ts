import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { EDGE_LINK_PATH, policyBodySchema, type CloudToEdge } from '@cr/shared';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';

/**
 * One edge link per site, each answering a policy as the real edge does: validated with the same
 * schema, then `policy.applied` (or `policy.refused`). Prints `APPLIED {siteId} {policyId}
 * {version} {epoch ms}` as each arrives; stops on SIGTERM (or after --max-seconds).
 */
runMain(async () => {
  const f = workerFlags(['url', 'tokens', 'max-seconds']);
  const tokens = JSON.parse(readFileSync(f.tokens, 'utf8')) as Record<string, string>;
  let received = 0;
  const links = await Promise.all(Object.entries(tokens).map(([siteId, token]) => link(f.url, siteId, token, () => received++)));
  ready(`${links.length} edges linked`);
  const stop = () => {
    for (const ws of links) ws.close();
    finish({ sites: links.length, received });
  };
  process.once('SIGTERM', stop);
  setTimeout(stop, Number(f['max-seconds']) * 1000).unref();
  await new Promise(() => undefined);
});

function link(cloudUrl: string, siteId: string, token: string, onPolicy: () => void): Promise<WebSocket> {
  const ws = new WebSocket(`${cloudUrl.replace(/^http/, 'ws')}${EDGE_LINK_PATH}`, { headers: { authorization: `Bearer ${token}` } });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as CloudToEdge;
      if (msg.type === 'welcome') return resolve(ws);
      if (msg.type !== 'policy') return;
      const at = Date.now();
      onPolicy();
      const parsed = policyBodySchema.safeParse(msg.body);
      const report = parsed.success
        ? { type: 'policy.applied', policyId: msg.policyId, version: msg.version }
        : { type: 'policy.refused', policyId: msg.policyId, version: msg.version, error: parsed.error.issues[0]?.message ?? 'invalid' };
      ws.send(JSON.stringify(report));
      process.stdout.write(`APPLIED ${siteId} ${msg.policyId} ${msg.version} ${at}\n`);
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', siteId, permissionsVersion: 0, mode: 'normal', outboxDepth: 0, version: 'bench', ts: Date.now() })));
  });
}
