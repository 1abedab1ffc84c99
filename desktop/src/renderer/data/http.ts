import type { z } from 'zod';
import { ApiError, errorText } from './api-error';

/** One attempt of a request: its bearer token (if any) and how long it may wait for an answer. */
export interface Attempt {
  token?: string | undefined;
  timeoutMs?: number;
}

/**
 * Sends one request with a time limit, asking for JSON and carrying the token; failing to reach the
 * server (network down, timeout) becomes ApiError(0). Any HTTP answer, error statuses included, is returned.
 */
export async function send(fetchImpl: typeof fetch, url: string, init: RequestInit, attempt: Attempt = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  if (attempt.token) headers.set('authorization', `Bearer ${attempt.token}`);
  try {
    return await fetchImpl(url, { ...init, headers, signal: AbortSignal.timeout(attempt.timeoutMs ?? 8_000) });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new ApiError(0, timedOut ? 'timed out' : 'unreachable', timedOut);
  }
}

/** The JSON body of a successful answer; an error status becomes ApiError with the server's reason, a body that is not JSON ApiError(502). */
export async function jsonBody<T>(res: { ok: boolean; status: number; statusText: string; url: string; json(): Promise<T> }): Promise<T> {
  if (!res.ok) throw new ApiError(res.status, await errorText(res));
  if (res.status === 204) return {} as T;
  try {
    return await res.json();
  } catch {
    throw new ApiError(502, `unexpected answer from ${res.url ? new URL(res.url).pathname : 'the server'}`);
  }
}

export interface HttpRequest<S extends z.ZodType> {
  method?: 'GET' | 'POST';
  body?: unknown;
  schema: S;
  token?: string;
  timeoutMs?: number;
}

/**
 * One JSON request validated with `schema`, for servers whose types the console does not share at
 * build time (a site's edge on the LAN); a body of the wrong shape becomes ApiError(502).
 */
export async function httpJson<S extends z.ZodType>(baseUrl: string, path: string, req: HttpRequest<S>, fetchImpl: typeof fetch = fetch): Promise<z.infer<S>> {
  const init: RequestInit = {
    method: req.method ?? 'GET',
    headers: req.body !== undefined ? { 'content-type': 'application/json' } : {},
    body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
  };
  const res = await send(fetchImpl, `${baseUrl}${path}`, init, { token: req.token, timeoutMs: req.timeoutMs });
  if (!res.ok) throw new ApiError(res.status, await errorText(res));
  const body: unknown = res.status === 204 ? {} : await res.json().catch(() => undefined);
  const parsed = req.schema.safeParse(body);
  if (!parsed.success) throw new ApiError(502, `unexpected answer from ${path}`);
  return parsed.data;
}
