import type { z } from 'zod';
import { ApiError, errorText } from './api-error';

export interface HttpRequest<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  schema: S;
  token?: string;
  timeoutMs?: number;
}

/** One JSON request with a timeout; network failures become ApiError(0), bad bodies ApiError(502). */
export async function httpJson<S extends z.ZodType>(baseUrl: string, path: string, req: HttpRequest<S>, fetchImpl: typeof fetch = fetch): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetchImpl(`${baseUrl}${path}`, {
      method: req.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(req.token ? { authorization: `Bearer ${req.token}` } : {}),
      },
      body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
      signal: AbortSignal.timeout(req.timeoutMs ?? 8_000),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new ApiError(0, timedOut ? 'timed out' : 'unreachable', timedOut);
  }
  if (!res.ok) throw new ApiError(res.status, await errorText(res));
  const body: unknown = res.status === 204 ? {} : await res.json().catch(() => undefined);
  const parsed = req.schema.safeParse(body);
  if (!parsed.success) throw new ApiError(502, `unexpected answer from ${path}`);
  return parsed.data;
}
