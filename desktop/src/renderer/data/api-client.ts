import { z } from 'zod';
import type { DoorAction, SiteMode } from '@cr/shared';
import { ApiError } from './api-error';
import {
  auditPageSchema,
  commandAcceptedSchema,
  commandRecordSchema,
  eventPageSchema,
  lanTokenSchema,
  loginResponseSchema,
  passwordChangeRequiredSchema,
  reportJobSchema,
  siteDetailSchema,
  siteSummarySchema,
  type LoginResponse,
  type PasswordChangeRequired,
} from './api-types';
import { httpJson, type HttpRequest } from './http';
import type { Reachability } from './reachability';
import type { SessionStore } from './session-store';

/** Where a command goes: the cloud, or a site's edge on the LAN with a LAN token. */
export type CommandRoute = { via: 'cloud' } | { via: 'lan'; edgeUrl: string; lanToken: string };

export interface EventQuery {
  siteId: string;
  type?: string;
  from?: number;
  to?: number;
  limit?: number;
  cursor?: string;
}

const query = (params: Record<string, string | number | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

/**
 * The typed REST client of the cloud (and, for commands, of an edge's local API). Refreshes the
 * access token once on 401 and reports reachability of every call.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly session: SessionStore,
    private readonly reach: Reachability,
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
    /** how long sign-in waits for the cloud before saying so (the password hash is deliberately slow) */
    private readonly loginTimeoutMs = 8_000,
  ) {}

  private async raw<S extends z.ZodType>(path: string, req: HttpRequest<S>): Promise<z.infer<S>> {
    try {
      const out = await httpJson(this.baseUrl, path, req, this.fetchImpl);
      this.reach.cloudOk();
      return out;
    } catch (err) {
      if (err instanceof ApiError && err.unreachable) this.reach.cloudDown();
      else this.reach.cloudOk();
      throw err;
    }
  }

  /** An authenticated call; one refresh-and-retry on 401. */
  async call<S extends z.ZodType>(path: string, req: Omit<HttpRequest<S>, 'token'>): Promise<z.infer<S>> {
    const token = this.session.get()?.accessToken;
    try {
      return await this.raw(path, { ...req, token });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401 || !(await this.refresh())) throw err;
      return this.raw(path, { ...req, token: this.session.get()?.accessToken });
    }
  }

  /**
   * Signs in. A person whose password an admin set gets `mustChangePassword` and a token that opens
   * only the password change: nothing is stored and no session starts until `changePassword`.
   */
  async login(email: string, password: string): Promise<LoginResponse | PasswordChangeRequired> {
    const schema = z.union([passwordChangeRequiredSchema, loginResponseSchema]);
    const r = await this.raw('/api/v1/auth/login', { method: 'POST', body: { email, password }, schema, timeoutMs: this.loginTimeoutMs });
    if ('mustChangePassword' in r) return r;
    return this.startSession(r, email);
  }

  /** Replaces the password with the token sign-in gave (or the session's); starts the new session the cloud answers with. */
  async changePassword(token: string, email: string, currentPassword: string, newPassword: string): Promise<LoginResponse> {
    const body = { currentPassword, newPassword };
    const r = await this.raw('/api/v1/auth/password', { method: 'POST', token, body, schema: loginResponseSchema, timeoutMs: this.loginTimeoutMs });
    return this.startSession(r, email);
  }

  private startSession(r: LoginResponse, email: string): LoginResponse {
    const user = { ...r.user, email: r.user.email ?? email };
    this.session.set({ ...r, user, cloudUrl: this.baseUrl });
    return { ...r, user };
  }

  /** Rotates the refresh token; false (and signed out) when the server refuses it. */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const cur = this.session.get();
      if (!cur) return false;
      try {
        const r = await this.raw('/api/v1/auth/refresh', { method: 'POST', body: { refreshToken: cur.refreshToken }, schema: loginResponseSchema });
        // keep what the console learned at sign-in (e-mail) when the refresh answer omits it
        this.session.set({ ...r, user: { ...cur.user, ...r.user, email: r.user.email ?? cur.user.email }, cloudUrl: this.baseUrl });
        return true;
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) this.session.set(undefined);
        return false;
      }
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Ends the session here at once, then at the cloud, which also revokes `lanToken` at the site edges. */
  async logout(lanToken?: string): Promise<void> {
    const cur = this.session.get();
    this.session.set(undefined);
    const body = { refreshToken: cur?.refreshToken, ...(lanToken ? { lanToken } : {}) };
    if (cur) await this.raw('/api/v1/auth/logout', { method: 'POST', body, schema: z.unknown() }).catch(() => undefined);
  }

  health = () => this.raw('/health', { schema: z.object({ status: z.string() }), timeoutMs: 4_000 });
  sites = () => this.call('/api/v1/sites', { schema: z.array(siteSummarySchema) });
  site = (siteId: string) => this.call(`/api/v1/sites/${encodeURIComponent(siteId)}`, { schema: siteDetailSchema });
  events = (q: EventQuery) =>
    this.call(`/api/v1/sites/${encodeURIComponent(q.siteId)}/events${query({ type: q.type, from: q.from, to: q.to, limit: q.limit, cursor: q.cursor })}`, {
      schema: eventPageSchema,
    });
  audit = (q: { siteId?: string; from?: number; to?: number; limit?: number; cursor?: string }) =>
    this.call(`/api/v1/audit${query(q)}`, { schema: auditPageSchema });
  startReport = (body: { siteId?: string; period: 'daily' | 'weekly' | 'monthly'; format: 'csv' | 'pdf'; to?: number }) =>
    this.call('/api/v1/reports', { method: 'POST', body, schema: reportJobSchema });
  reportJob = (id: string) => this.call(`/api/v1/reports/${encodeURIComponent(id)}`, { schema: reportJobSchema });
  lanToken = () => this.call('/api/v1/auth/lan-token', { method: 'POST', schema: lanTokenSchema });
  command = (id: string, route: CommandRoute = { via: 'cloud' }) =>
    route.via === 'cloud'
      ? this.call(`/api/v1/commands/${encodeURIComponent(id)}`, { schema: commandRecordSchema, timeoutMs: 4_000 })
      : httpJson(route.edgeUrl, `/api/v1/commands/${encodeURIComponent(id)}`, { schema: commandRecordSchema, token: route.lanToken, timeoutMs: 4_000 }, this.fetchImpl);

  doorCommand(siteId: string, doorId: string, body: { action: DoorAction; reason: string; durationMs?: number }, route: CommandRoute = { via: 'cloud' }) {
    const path = `/api/v1/sites/${encodeURIComponent(siteId)}/doors/${encodeURIComponent(doorId)}/commands`;
    return this.send(path, body, route);
  }

  siteMode(siteId: string, body: { mode: SiteMode; reason: string }, route: CommandRoute = { via: 'cloud' }) {
    return this.send(`/api/v1/sites/${encodeURIComponent(siteId)}/mode`, body, route);
  }

  private send(path: string, body: unknown, route: CommandRoute) {
    const req = { method: 'POST' as const, body, schema: commandAcceptedSchema };
    return route.via === 'cloud' ? this.call(path, req) : httpJson(route.edgeUrl, path, { ...req, token: route.lanToken }, this.fetchImpl);
  }

  /** An authenticated download (reports) with progress; resolves with the file's blob. */
  async download(path: string, onProgress: (received: number, total: number | undefined) => void): Promise<Blob> {
    const go = () => this.fetchImpl(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.session.get()?.accessToken ?? ''}` } });
    let res = await go().catch(() => undefined);
    if (res?.status === 401 && (await this.refresh())) res = await go().catch(() => undefined);
    if (!res) throw new ApiError(0, 'unreachable');
    if (!res.ok || !res.body) throw new ApiError(res.status, res.statusText || `HTTP ${res.status}`);
    const total = Number(res.headers.get('content-length')) || undefined;
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress(received, total);
    }
    return new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' });
  }
}
