import { DEMO_PASSWORD } from '@cr/shared';

/** Minimal REST calls the launcher and the tests make against the cloud. */
export async function login(cloudUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${cloudUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login as ${email} failed: HTTP ${res.status}`);
  const body = (await res.json()) as { accessToken: string };
  return body.accessToken;
}

/** The demo edge token of a site (tenant-admin only, demo mode only). */
export async function demoEdgeToken(cloudUrl: string, siteId: string): Promise<string> {
  const admin = await login(cloudUrl, 'admin@demo.local');
  const res = await fetch(`${cloudUrl}/api/v1/demo/edge-token/${siteId}`, { headers: { authorization: `Bearer ${admin}` } });
  if (!res.ok) throw new Error(`edge token for ${siteId}: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export async function getJson<T>(url: string, token?: string): Promise<T> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export async function postJson<T>(url: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
