import { hc } from 'hono/client';
// Type-only: the renderer takes the cloud's route types, never its code (eslint.config.js).
import type { CloudApi } from '@cr/sync-server/src/api-type';

/**
 * The cloud's REST API as Hono's typed client: paths, parameters, bodies and answers are the server
 * routes' own types, so a change there fails the console's type check instead of a request at runtime.
 * `fetch` carries the session (token, one refresh on 401), time limits and reachability.
 */
export const cloudRpc = (baseUrl: string, fetch: typeof globalThis.fetch) => hc<CloudApi>(baseUrl, { fetch });
export type CloudRpc = ReturnType<typeof cloudRpc>;
