import { SEVERITIES, SITE_MODES, TenantDoc, tenantDocName } from '@cr/shared';
import { connectProvider, whenSynced } from './providers';

/**
 * Changes the overview status of every listed site `perSecond` times a second through the tenant
 * document (as the cloud's site-status service does), one Yjs transaction per tick.
 */
export async function startStatusFeed(cloudUrl: string, hqToken: string, siteIds: readonly string[], perSecond: number): Promise<{ ticks: () => number; stop: () => void }> {
  const provider = connectProvider(cloudUrl, tenantDocName('demo'), hqToken);
  await whenSynced(provider);
  const tenant = new TenantDoc(provider.doc);
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    provider.doc.transact(() => {
      for (const [i, siteId] of siteIds.entries()) {
        const alerts = (tick + i) % 4;
        tenant.setStatus(siteId, {
          online: (tick + i) % 10 !== 0,
          mode: SITE_MODES[(tick + i) % 3] ?? 'normal',
          openAlerts: alerts,
          worstSeverity: alerts ? SEVERITIES[(tick + i) % 3] : undefined,
          lastSeenAt: Date.now(),
          ts: Date.now(),
        });
      }
    });
  }, 1000 / perSecond);
  return {
    ticks: () => tick,
    stop: () => {
      clearInterval(timer);
      provider.destroy();
    },
  };
}
