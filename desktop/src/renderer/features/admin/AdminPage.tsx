import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useServices } from '../../app/services-context';
import { useI18n } from '../../i18n/i18n';
import { adminApi } from './admin-api';
import { EdgeTokenPanel } from './EdgeTokenPanel';
import { MemberPanel } from './MemberPanel';
import { SiteCreateForm } from './SiteCreateForm';
import { ZonesPanel } from './ZonesPanel';

/**
 * Tenant administration (tenant-admin): create a site, give it zones, issue its gateway's edge
 * token, and add members with a card. Each part is a plain form: Tab moves, Enter submits.
 */
export function AdminPage() {
  const { api } = useServices();
  const { t } = useI18n();
  const admin = useMemo(() => adminApi(api), [api]);
  const queries = useQueryClient();
  const sites = useQuery({ queryKey: ['admin', 'sites'], queryFn: () => api.sites() });
  const [picked, setPicked] = useState('');
  const siteId = picked || sites.data?.[0]?.id || '';
  const zones = useQuery({
    queryKey: ['admin', 'zones', siteId],
    queryFn: () => admin.zones(siteId),
    enabled: siteId !== '',
  });
  const members = useQuery({ queryKey: ['admin', 'members'], queryFn: () => admin.members() });
  const refresh = (key: string): void => void queries.invalidateQueries({ queryKey: ['admin', key] });

  return (
    <div className="settings-page" data-testid="admin-page">
      <section aria-labelledby="admin-sites">
        <h2 id="admin-sites">{t('admin.sites')}</h2>
        <SiteCreateForm
          admin={admin}
          onCreated={(id) => {
            setPicked(id);
            refresh('sites');
            // The overview and the rest of the console list sites from their own queries.
            void queries.invalidateQueries({ queryKey: ['sites'] });
          }}
        />
        {sites.data && sites.data.length === 0 && <p className="muted">{t('admin.noSites')}</p>}
        {sites.data && sites.data.length > 0 && (
          <label className="inline-label">
            {t('admin.pickSite')}
            <select value={siteId} onChange={(e) => setPicked(e.target.value)} data-testid="admin-site-pick">
              {sites.data.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.id})
                </option>
              ))}
            </select>
          </label>
        )}
      </section>
      {siteId && (
        <>
          <ZonesPanel
            key={`z-${siteId}`}
            admin={admin}
            siteId={siteId}
            zones={zones.data ?? []}
            onSaved={() => refresh('zones')}
          />
          <EdgeTokenPanel key={siteId} admin={admin} siteId={siteId} cloudUrl={api.baseUrl} />
          <MemberPanel
            key={`m-${siteId}`}
            admin={admin}
            siteId={siteId}
            zones={zones.data ?? []}
            members={members.data?.members ?? []}
            onSaved={() => refresh('members')}
          />
        </>
      )}
    </div>
  );
}
