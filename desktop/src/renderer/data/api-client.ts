import type { DoorAction, SiteMode } from '@cr/shared';
import { ApiError } from './api-error';
import {
  lanCommandAcceptedSchema,
  lanCommandRecordSchema,
  userSchema,
  type CommandAccepted,
  type CommandRecord,
  type LanCommandRecord,
  type LoginResponse,
  type PasswordChangeRequired,
  type User,
} from './api-types';
import { cloudRpc, type CloudRpc } from './cloud-rpc';
import { httpJson, jsonBody, send, type Attempt } from './http';
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

/** Query values as the URL carries them; unset and empty filters are left out. */
const query = <K extends string>(params: Record<K, string | number | undefined>): Partial<Record<K, string>> => {
  const q: Partial<Record<K, string>> = {};
  for (const [k, v] of Object.entries(params) as [K, string | number | undefined][]) if (v !== undefined && v !== '') q[k] = String(v);
  return q;
};

/** Path parameters: hc puts them into the URL as given, so they are encoded here. */
const p = encodeURIComponent;

/** The person the cloud signed in, as the console stores and trusts it (see `userSchema`). */
function sessionUser(user: unknown): User {
  const parsed = userSchema.safeParse(user);
  if (!parsed.success) throw new ApiError(502, 'unexpected answer from /api/v1/auth');
  return parsed.data;
}

/**
 * The REST client of the cloud (typed from its routes) and, for commands, of an edge's local API.
 * Refreshes the access token once on 401 and reports reachability of every call.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | undefined;
  /** the cloud's typed client, with this session's token; feature modules (admin) build their calls on it */
  readonly rpc: CloudRpc;

  constructor(
    readonly baseUrl: string,
    private readonly session: SessionStore,
    private readonly reach: Reachability,
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
    /** how long sign-in waits for the cloud before saying so (the password hash is deliberately slow) */
    private readonly loginTimeoutMs = 8_000,
  ) {
    this.rpc = cloudRpc(baseUrl, this.sessionFetch());
  }

  /** One attempt at the cloud; an answer of any status means the cloud is reachable. */
  private async attempt(input: RequestInfo | URL, init: RequestInit | undefined, attempt: Attempt): Promise<Response> {
    try {
      const res = await send(this.fetchImpl, String(input), init ?? {}, attempt);
      this.reach.cloudOk();
      return res;
    } catch (err) {
      if (err instanceof ApiError && err.unreachable) this.reach.cloudDown();
      throw err;
    }
  }

  /** The typed client's fetch: carries the session's token, with one refresh-and-retry on 401. */
  private sessionFetch(timeoutMs?: number): typeof fetch {
    return async (input, init) => {
      const res = await this.attempt(input, init, { token: this.session.get()?.accessToken, timeoutMs });
      if (res.status !== 401 || !(await this.refresh())) return res;
      return this.attempt(input, init, { token: this.session.get()?.accessToken, timeoutMs });
    };
  }

  /** Options of one call that carries no session token (or the one given) instead. */
  private bare(attempt: Attempt = {}) {
    return { fetch: ((input, init) => this.attempt(input, init, attempt)) as typeof fetch };
  }

  /**
   * Signs in. A person whose password an admin set gets `mustChangePassword` and a token that opens
   * only the password change: nothing is stored and no session starts until `changePassword`.
   */
  async login(email: string, password: string): Promise<LoginResponse | PasswordChangeRequired> {
    const res = await this.rpc.api.v1.auth.login.$post({ json: { email, password } }, this.bare({ timeoutMs: this.loginTimeoutMs }));
    const r = await jsonBody(res);
    if ('mustChangePassword' in r) return { mustChangePassword: true, accessToken: r.accessToken, user: sessionUser(r.user) };
    return this.startSession(r, email);
  }

  /** Replaces the password with the token sign-in gave (or the session's); starts the new session the cloud answers with. */
  async changePassword(token: string, email: string, currentPassword: string, newPassword: string): Promise<LoginResponse> {
    const res = await this.rpc.api.v1.auth.password.$post({ json: { currentPassword, newPassword } }, this.bare({ token, timeoutMs: this.loginTimeoutMs }));
    return this.startSession(await jsonBody(res), email);
  }

  private startSession(r: { accessToken: string; refreshToken: string; user: unknown }, email: string): LoginResponse {
    const signedIn = sessionUser(r.user);
    const user = { ...signedIn, email: signedIn.email ?? email };
    this.session.set({ accessToken: r.accessToken, refreshToken: r.refreshToken, user, cloudUrl: this.baseUrl });
    return { accessToken: r.accessToken, refreshToken: r.refreshToken, user };
  }

  /** Rotates the refresh token; false (and signed out) when the server refuses it. */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const cur = this.session.get();
      if (!cur) return false;
      try {
        const r = await jsonBody(await this.rpc.api.v1.auth.refresh.$post({ json: { refreshToken: cur.refreshToken } }, this.bare()));
        const user = sessionUser(r.user);
        // keep what the console learned at sign-in (e-mail) when the refresh answer omits it
        this.session.set({
          accessToken: r.accessToken,
          refreshToken: r.refreshToken,
          user: { ...cur.user, ...user, email: user.email ?? cur.user.email },
          cloudUrl: this.baseUrl,
        });
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
    if (!cur) return;
    const json = { refreshToken: cur.refreshToken, ...(lanToken ? { lanToken } : {}) };
    await this.rpc.api.v1.auth.logout.$post({ json }, this.bare()).catch(() => undefined);
  }

  health = async () => jsonBody(await this.rpc.health.$get({ query: {} }, this.bare({ timeoutMs: 4_000 })));
  sites = async () => jsonBody(await this.rpc.api.v1.sites.$get());
  site = async (siteId: string) => jsonBody(await this.rpc.api.v1.sites[':siteId'].$get({ param: { siteId: p(siteId) } }));
  events = async (q: EventQuery) =>
    jsonBody(
      await this.rpc.api.v1.sites[':siteId'].events.$get({
        param: { siteId: p(q.siteId) },
        query: query({ type: q.type, from: q.from, to: q.to, limit: q.limit, cursor: q.cursor }),
      }),
    );
  audit = async (q: { siteId?: string; from?: number; to?: number; limit?: number }) =>
    jsonBody(await this.rpc.api.v1.audit.$get({ query: query({ siteId: q.siteId, from: q.from, to: q.to, limit: q.limit }) }));
  startReport = async (json: { siteId?: string; period: 'daily' | 'weekly' | 'monthly'; format: 'csv' | 'pdf'; to?: number }) =>
    jsonBody(await this.rpc.api.v1.reports.$post({ json }));
  reportJob = async (id: string) => jsonBody(await this.rpc.api.v1.reports[':id'].$get({ param: { id: p(id) } }));
  lanToken = async () => jsonBody(await this.rpc.api.v1.auth['lan-token'].$post());

  /**
   * A cloud call by path for routes this build's typed client does not declare (bookings): the
   * session's token, one refresh on 401 and reachability, as for every other call. The caller
   * validates the answer.
   */
  cloudFetch = (path: `/${string}`, init: RequestInit = {}): Promise<Response> => this.sessionFetch()(`${this.baseUrl.replace(/\/$/, '')}${path}`, init);

  command(id: string, route: CommandRoute = { via: 'cloud' }): Promise<CommandRecord | LanCommandRecord> {
    if (route.via === 'lan')
      return httpJson(route.edgeUrl, `/api/v1/commands/${p(id)}`, { schema: lanCommandRecordSchema, token: route.lanToken, timeoutMs: 4_000 }, this.fetchImpl);
    const opts = { fetch: this.sessionFetch(4_000) };
    return this.rpc.api.v1.commands[':id'].$get({ param: { id: p(id) } }, opts).then(jsonBody);
  }

  async doorCommand(siteId: string, doorId: string, body: { action: DoorAction; reason: string; durationMs?: number }, route: CommandRoute = { via: 'cloud' }): Promise<CommandAccepted> {
    if (route.via === 'lan') return this.lanSend(route, `/api/v1/sites/${p(siteId)}/doors/${p(doorId)}/commands`, body);
    return jsonBody(await this.rpc.api.v1.sites[':siteId'].doors[':doorId'].commands.$post({ param: { siteId: p(siteId), doorId: p(doorId) }, json: body }));
  }

  async siteMode(siteId: string, body: { mode: SiteMode; reason: string }, route: CommandRoute = { via: 'cloud' }): Promise<CommandAccepted> {
    if (route.via === 'lan') return this.lanSend(route, `/api/v1/sites/${p(siteId)}/mode`, body);
    return jsonBody(await this.rpc.api.v1.sites[':siteId'].mode.$post({ param: { siteId: p(siteId) }, json: body }));
  }

  /** A command to a site's edge over the LAN (its own API and build, see `lanCommandAcceptedSchema`). */
  private lanSend(route: { edgeUrl: string; lanToken: string }, path: string, body: unknown) {
    return httpJson(route.edgeUrl, path, { method: 'POST', body, schema: lanCommandAcceptedSchema, token: route.lanToken }, this.fetchImpl);
  }

  /**
   * Downloads a finished report with progress; resolves with the file's blob. A byte stream, not
   * JSON: only its URL comes from the typed client, the body is read here as it arrives.
   */
  async downloadReport(jobId: string, onProgress: (received: number, total: number | undefined) => void): Promise<Blob> {
    const url = this.rpc.api.v1.reports[':id'].download.$url({ param: { id: p(jobId) } }).href;
    const go = () => this.fetchImpl(url, { headers: { authorization: `Bearer ${this.session.get()?.accessToken ?? ''}` } });
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
