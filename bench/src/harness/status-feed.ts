import { alertId, raiseAlert, resolveAlert } from '@cr/shared';
import type { SiteAlarms } from './alarm-probe';

/**
 * Changes the overview status of every listed site `perSecond` times a second the way a real site
 * does: its edge raises or resolves a minor alert in the site document, and the cloud's site-status
 * service writes the tenant document the console follows (a console cannot write it).
 */
export async function startStatusFeed(alarms: SiteAlarms, siteIds: readonly string[], perSecond: number): Promise<{ ticks: () => number; stop: () => void }> {
  const links = await Promise.all(siteIds.map((s) => alarms.docOf(s)));
  let tick = 0;
  const open = new Map<string, string>();
  const timer = setInterval(() => {
    tick++;
    for (const [i, siteId] of siteIds.entries()) {
      const doc = links[i]!;
      const cur = open.get(siteId);
      if (cur) {
        resolveAlert(doc, cur, { by: 'bench', at: Date.now(), where: 'hq' });
        open.delete(siteId);
      } else {
        const id = alertId(siteId, 'env-status', 'device.offline', tick);
        raiseAlert(doc, { id, siteId, type: 'device.offline', severity: 'minor', deviceId: 'env-status', raisedAt: Date.now(), source: 'edge' });
        open.set(siteId, id);
      }
    }
  }, 1000 / perSecond);
  return {
    ticks: () => tick,
    stop: () => {
      clearInterval(timer);
      for (const [i, siteId] of siteIds.entries()) {
        const cur = open.get(siteId);
        if (cur) resolveAlert(links[i]!, cur, { by: 'bench', at: Date.now(), where: 'hq' });
      }
    },
  };
}
