import type { HttpInput } from './http-inputs';
import { exchange } from './raw-socket';
import { preview, type FuzzStats } from './stats';
import type { EdgeTarget } from './target';
import { untilUp } from './up';

const describe = (input: HttpInput): string =>
  input.via === 'fetch'
    ? `${input.method} ${preview(input.path, 120)} headers=${preview(JSON.stringify(input.headers), 160)} body=${input.body ? preview(input.body, 80) : '-'}`
    : `raw ${preview(Buffer.concat(input.chunks), 240)}`;

/**
 * Sends one request. Findings: a 5xx other than 503, and a well-formed request (fetch) left unanswered. Broken raw
 * HTTP may leave the server legitimately waiting for the rest of a body, so silence there is only counted.
 */
export async function sendHttp(target: EdgeTarget, stats: FuzzStats, input: HttpInput): Promise<void> {
  await untilUp(target);
  const text = describe(input);
  stats.note('http', text);
  const status = input.via === 'fetch' ? await viaFetch(target, input) : await viaSocket(target, input);
  stats.outcome('http', status);
  // fetch refuses some inputs itself (a header value it will not send): the edge never saw those.
  if (status === 'refused-by-client') return;
  stats.count('http', input.kind);
  // 503 is the documented answer of an edge that has no cloud signing key yet; other 5xx are bugs.
  if (/^5\d\d$/.test(status) && status !== '503') stats.find('http', `answered ${status}`, text);
  if (status === 'no-answer' && input.via === 'fetch') stats.find('http', 'request left unanswered for 10 s', text);
}

async function viaFetch(target: EdgeTarget, input: Extract<HttpInput, { via: 'fetch' }>): Promise<string> {
  try {
    const res = await fetch(`${target.httpUrl}${input.path}`, {
      method: input.method,
      headers: input.headers,
      body: input.body ? new Uint8Array(input.body) : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    return String(res.status);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') return 'no-answer';
    if ((e.name === 'TypeError' && !e.cause) || e.cause?.code === 'UND_ERR_INVALID_ARG') return 'refused-by-client';
    return `conn-${e.cause?.code ?? 'error'}`;
  }
}

async function viaSocket(target: EdgeTarget, input: Extract<HttpInput, { via: 'raw' }>): Promise<string> {
  const r = await exchange(target.httpPort, input.chunks, {
    waitMs: input.complete ? 1_000 : 150,
    until: (reply) => /^HTTP\/1\.[01] \d{3}/.test(reply) && reply.includes('\r\n\r\n'),
  });
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(r.reply)?.[1];
  if (status) return status;
  if (r.refused) return 'refused';
  if (r.closedByServer) return 'closed-without-answer';
  return input.complete ? 'raw-no-answer-1s' : 'truncated-left-open';
}
