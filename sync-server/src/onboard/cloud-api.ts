/** A small client of the cloud's REST API for the onboarding tool: JSON in and out, errors as one line. */
export class CloudApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async login(baseUrl: string, email: string, password: string): Promise<CloudApi> {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    }).catch((err: Error) => {
      throw new Error(`cloud ${baseUrl} does not answer (${err.message})`);
    });
    if (!res.ok) throw new Error(`sign-in as ${email} refused: HTTP ${res.status}`);
    return new CloudApi(baseUrl, ((await res.json()) as { accessToken: string }).accessToken);
  }

  /** The answer's status and JSON body (undefined when empty); network failures throw. */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Like `call`, but any status but `ok` throws with the server's message. */
  async expect<T = unknown>(ok: number[], method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call<T & { error?: string; message?: string }>(method, path, body);
    if (!ok.includes(r.status)) throw new Error(`${method} ${path}: HTTP ${r.status} ${r.body?.message ?? r.body?.error ?? ''}`.trim());
    return r.body;
  }
}
