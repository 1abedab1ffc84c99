import { readFileSync } from 'node:fs';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { Page } from 'playwright-core';
import { TenantDoc, alertId, raiseAlert, resolveAlert, siteDocName, tenantDocName } from '@cr/shared';
import { connectProvider, whenSynced } from './providers';
import { waitFor } from './wait';

/** Records, in the page's clock, when each alert row first appears (page scripts are plain strings). */
export const WATCH_ALERT_ROWS = `(() => {
  const w = window;
  w.__rowSeen = {};
  const scan = () => {
    for (const el of document.querySelectorAll('[data-testid^="alert-row-"]')) {
      const id = el.getAttribute('data-testid').slice('alert-row-'.length);
      if (!(id in w.__rowSeen)) w.__rowSeen[id] = Date.now();
    }
    const b = document.querySelector('[data-testid="critical-banner"]');
    if (b && !w.__bannerFor) w.__bannerFor = {};
    if (b) { const id = b.getAttribute('data-alert-id'); if (!(id in w.__bannerFor)) w.__bannerFor[id] = Date.now(); }
  };
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-alert-id'] });
  scan();
})()`;

/** The edges of the bench sites, as their gateways write site documents over the sync link. */
export class SiteAlarms {
  private readonly links = new Map<string, WebsocketProvider>();
  private constructor(
    private readonly cloudUrl: string,
    private readonly tokens: Record<string, string>,
  ) {}

  static open(cloudUrl: string, tokensFile: string): SiteAlarms {
    return new SiteAlarms(cloudUrl, JSON.parse(readFileSync(tokensFile, 'utf8')) as Record<string, string>);
  }

  private async link(siteId: string): Promise<WebsocketProvider> {
    let p = this.links.get(siteId);
    if (!p) {
      const token = this.tokens[siteId];
      if (!token) throw new Error(`no edge token for ${siteId}`);
      p = connectProvider(this.cloudUrl, siteDocName('demo', siteId), token);
      this.links.set(siteId, p);
      await whenSynced(p);
    }
    return p;
  }

  /** The site document as its edge holds it. */
  async docOf(siteId: string): Promise<Y.Doc> {
    return (await this.link(siteId)).doc;
  }

  /** `perSite` open minor alerts (a sensor gone quiet) at every site; resolves once the tenant feed holds them all. */
  async seedMinor(siteIds: readonly string[], perSite: number, hqToken: string): Promise<number> {
    for (const siteId of siteIds) {
      const p = await this.link(siteId);
      p.doc.transact(() => {
        for (let i = 0; i < perSite; i++)
          raiseAlert(p.doc, { id: alertId(siteId, `env-${i}`, 'device.offline', 1_000 + i), siteId, type: 'device.offline', severity: 'minor', deviceId: `env-${i}`, raisedAt: Date.now(), source: 'edge' });
      });
    }
    const feed = connectProvider(this.cloudUrl, tenantDocName('demo'), hqToken);
    try {
      await whenSynced(feed);
      const want = siteIds.length * perSite;
      let have = 0;
      await waitFor(`${want} minor alerts in the tenant feed`, () => (have = new TenantDoc(feed.doc).activeAlerts().filter((a) => a.severity === 'minor').length) >= want, 120_000, 200);
      return have;
    } finally {
      feed.destroy();
    }
  }

  /** A forced door at the site, as its edge raises it; returns the alert id and the raise time. */
  async raiseCritical(siteId: string, n: number): Promise<{ id: string; raisedAt: number }> {
    const p = await this.link(siteId);
    const raisedAt = Date.now();
    const id = alertId(siteId, `door-${n}`, 'door.forced', raisedAt);
    raiseAlert(p.doc, { id, siteId, type: 'door.forced', severity: 'critical', deviceId: `door-${n}`, raisedAt, source: 'edge' });
    return { id, raisedAt };
  }

  /** A person resolves it (written beside the raise, as an operator's console would). */
  async resolve(siteId: string, id: string): Promise<void> {
    const p = await this.link(siteId);
    resolveAlert(p.doc, id, { by: 'bench operator', at: Date.now(), where: 'hq' });
  }

  close(): void {
    for (const p of this.links.values()) p.destroy();
    this.links.clear();
  }
}

/** Milliseconds from the raise to the row on screen and to the banner naming it (the page's clock, same machine). */
export async function timeOnScreen(page: Page, alarm: { id: string; raisedAt: number }, timeoutMs = 15_000): Promise<{ rowMs: number; bannerMs?: number }> {
  const key = JSON.stringify(alarm.id);
  let seen: { row?: number; banner?: number } = {};
  await waitFor(`alarm ${alarm.id} on screen`, async () => {
    seen = (await page.evaluate(`({ row: window.__rowSeen[${key}], banner: window.__bannerFor && window.__bannerFor[${key}] })`)) as typeof seen;
    return seen.row !== undefined;
  }, timeoutMs, 10);
  return { rowMs: seen.row! - alarm.raisedAt, ...(seen.banner !== undefined ? { bannerMs: seen.banner - alarm.raisedAt } : {}) };
}
