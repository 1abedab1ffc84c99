import { nowMs } from './wait';

/** A signed-in caller of the cloud's API: status and parsed body. */
export type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export function caller(url: string, token: string): Call {
  return async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
}

export async function expectOk(call: Call, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await call(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
  return r.body;
}

/** Runs `jobs` with at most `width` in flight; returns each job's duration (ms). */
export async function pool(jobs: Array<() => Promise<unknown>>, width: number): Promise<number[]> {
  const took: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const at = nowMs();
      await job();
      took.push(nowMs() - at);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return took;
}

