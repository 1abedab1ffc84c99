import { useState } from 'react';
import { useLiveData } from '../../app/live-data';
import { useServices, useStore } from '../../app/services-context';
import type { User } from '../../data/api-types';
import { edgeUrlSchema } from '../../data/settings-store';
import { useI18n } from '../../i18n/i18n';
import { DisplaySettings } from './DisplaySettings';

/** Language, sound, and the site LAN: the edge address per site for local sync and local door commands. */
export function SettingsPage({ user }: { user: User }) {
  const { settings, lanTokens, reach, platform } = useServices();
  const s = useStore(settings);
  const snapshot = useStore(reach);
  useStore(lanTokens);
  const { sites } = useLiveData();
  const { t } = useI18n();
  const [drafts, setDrafts] = useState<Record<string, string>>(s.edges);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const mayUseLan = user.role === 'hq-operator' || user.role === 'site-manager';

  const save = (): void => {
    const edges: Record<string, string> = {};
    const errs: Record<string, string> = {};
    for (const [siteId, raw] of Object.entries(drafts)) {
      if (!raw.trim()) continue;
      const r = edgeUrlSchema.safeParse(raw);
      if (r.success) edges[siteId] = r.data;
      else errs[siteId] = t('settings.badUrl');
    }
    setErrors(errs);
    if (Object.keys(errs).length === 0) settings.patch({ edges });
  };
  const lanToken = lanTokens.get();
  return (
    <div className="settings-page" data-testid="settings-page">
      <section>
        <h2>{t('settings.general')}</h2>
        <label className="check">
          <input type="checkbox" checked={s.lang === 'en'} onChange={(e) => settings.patch({ lang: e.target.checked ? 'en' : 'ko' })} data-testid="settings-lang-en" /> English
        </label>
        <label className="check">
          <input type="checkbox" checked={s.muted} onChange={(e) => settings.patch({ muted: e.target.checked })} data-testid="settings-muted" /> {t('settings.mute')}
        </label>
      </section>
      {platform.multiDisplay && <DisplaySettings />}
      {mayUseLan && (
        <section>
          <h2>{t('settings.lanTitle')}</h2>
          <p className="muted">{t('settings.lanHelp')}</p>
          <table className="data-table">
            <tbody>
              {sites.map((site) => (
                <tr key={site.id}>
                  <td>{site.name}</td>
                  <td>
                    <input value={drafts[site.id] ?? ''} onChange={(e) => setDrafts({ ...drafts, [site.id]: e.target.value })} placeholder="http://192.168.0.10:8081" data-testid={`settings-edge-url-${site.id}`} aria-label={t('settings.edgeUrlFor', { site: site.name })} />
                    {errors[site.id] && <span className="error-text">{errors[site.id]}</span>}
                  </td>
                  <td data-testid={`settings-edge-state-${site.id}`}>{s.edges[site.id] ? (snapshot.edges[site.id]?.reachable ? t('settings.edgeReachable') : t('settings.edgeUnreachable')) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <label className="check">
            <input type="checkbox" checked={s.preferLan} onChange={(e) => settings.patch({ preferLan: e.target.checked })} data-testid="settings-prefer-lan" /> {t('settings.preferLan')}
          </label>
          <p className="muted" data-testid="settings-lan-token">
            {lanToken && lanToken.userId === user.id ? t('settings.lanTokenUntil', { at: new Date(lanToken.expiresAt).toLocaleString() }) : t('settings.lanTokenNone')}
          </p>
          <button type="button" className="btn btn-primary" onClick={save} data-testid="settings-save">
            {t('common.save')}
          </button>
        </section>
      )}
    </div>
  );
}
