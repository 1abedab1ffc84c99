import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SITE_MODES } from '@cr/shared';
import type { FuzzStats } from './stats';
import type { EdgeTarget } from './target';

export interface Health {
  siteId: string;
  cloud: string;
  mode: string;
  fireActive?: boolean;
  outboxDepth: number;
  permissionsSyncedAt: number | null;
}

/**
 * One GET on a connection of its own: a pooled keep-alive socket the server has just timed out
 * would make the check fail for the client's reasons, not the edge's.
 */
function getOnce(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 5_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
  });
}

/** `GET /health` (CONTRACT.md §4) and what makes its body sane; `problem` says what is not. */
export async function readHealth(httpUrl: string, siteId: string): Promise<{ health?: Health; problem?: string }> {
  let status: number;
  let text: string;
  try {
    ({ status, text } = await getOnce(`${httpUrl}/health`));
  } catch (err) {
    return { problem: `/health did not answer: ${(err as Error).message}` };
  }
  if (status !== 200) return { problem: `/health answered ${status}: ${text.slice(0, 200)}` };
  let body: Health;
  try {
    body = JSON.parse(text) as Health;
  } catch {
    return { problem: `/health body is not JSON: ${text.slice(0, 200)}` };
  }
  if (body.siteId !== siteId) return { problem: `/health names site ${JSON.stringify(body.siteId)}` };
  if (!Number.isSafeInteger(body.outboxDepth) || body.outboxDepth < 0)
    return { problem: `outboxDepth is ${JSON.stringify(body.outboxDepth)}` };
  if (body.cloud !== 'connected' && body.cloud !== 'disconnected')
    return { problem: `cloud is ${JSON.stringify(body.cloud)}` };
  if (!(SITE_MODES as readonly string[]).includes(body.mode))
    return { problem: `mode is ${JSON.stringify(body.mode)}` };
  return { health: body };
}

/**
 * Polls /health every `everyMs` while the fuzz runs. A failed check while the process is alive is
 * a liveness failure; one that coincides with a crash is left to the crash record.
 */
export function watchLiveness(target: EdgeTarget, stats: FuzzStats, everyMs = 1_000): { stop(): Promise<void> } {
  let stopped = false;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      await sleep(everyMs);
      if (stopped || !target.alive) continue;
      const crashes = target.crashes.length;
      const r = await readHealth(target.httpUrl, target.siteId);
      stats.livenessChecks++;
      if (r.problem && target.alive && target.crashes.length === crashes)
        stats.livenessFailures.push(`${new Date().toISOString()} ${r.problem}`);
    }
  };
  const running = loop();
  return {
    async stop() {
      stopped = true;
      await running;
    },
  };
}
