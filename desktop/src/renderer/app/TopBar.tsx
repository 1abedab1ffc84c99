import type { User } from '../data/api-types';
import { signOut } from '../data/sign-out';
import { dynamicKey, useI18n, type MessageKey } from '../i18n/i18n';
import type { Capabilities } from './capabilities';
import { useLiveData } from './live-data';
import { routeHash, type Route } from './router';
import { useServices, useStore } from './services-context';

interface NavItem {
  route: Route;
  label: MessageKey;
  testId: string;
  visible: boolean;
}

/** Navigation, open-alert count, sound and language toggles, and the signed-in user. */
export function TopBar({ user, caps, route, onHelp }: { user: User; caps: Capabilities; route: Route; onHelp: () => void }) {
  const { api, settings, lanTokens } = useServices();
  const { lang, muted } = useStore(settings);
  const { alerts } = useLiveData();
  const { t } = useI18n();
  const open = alerts.filter((a) => a.state === 'open').length;
  const items: NavItem[] = [
    { route: { name: 'overview' }, label: 'nav.overview', testId: 'nav-overview', visible: caps.overview },
    { route: { name: 'alerts' }, label: 'nav.alerts', testId: 'nav-alerts', visible: caps.alerts },
    { route: { name: 'events' }, label: 'nav.events', testId: 'nav-events', visible: caps.events },
    { route: { name: 'audit' }, label: 'nav.audit', testId: 'nav-audit', visible: caps.audit },
    { route: { name: 'fleet' }, label: 'nav.fleet', testId: 'nav-fleet', visible: true },
    { route: { name: 'bookings' }, label: 'nav.bookings', testId: 'nav-bookings', visible: caps.bookings },
    { route: { name: 'policies' }, label: 'nav.policies', testId: 'nav-policies', visible: caps.policies },
    { route: { name: 'notifications' }, label: 'nav.notifications', testId: 'nav-notifications', visible: caps.notifications },
    { route: { name: 'admin' }, label: 'nav.admin', testId: 'nav-admin', visible: caps.admin },
    { route: { name: 'onboarding' }, label: 'nav.onboarding', testId: 'nav-onboarding', visible: caps.admin },
    { route: { name: 'settings' }, label: 'nav.settings', testId: 'nav-settings', visible: true },
  ];
  const active = (r: Route): boolean => r.name === route.name || (r.name === 'overview' && route.name === 'site');
  return (
    <header className="topbar">
      <div className="brand">{t('app.title')}</div>
      <nav className="nav" aria-label={t('nav.label')}>
        {items
          .filter((i) => i.visible)
          .map((i) => (
            <a key={i.testId} href={routeHash(i.route)} className={active(i.route) ? 'nav-item active' : 'nav-item'} aria-current={active(i.route) ? 'page' : undefined} data-testid={i.testId}>
              {t(i.label)}
              {i.route.name === 'alerts' && (
                <span className={open > 0 ? 'badge badge-open' : 'badge'} data-testid="open-alert-count">
                  {open}
                </span>
              )}
            </a>
          ))}
      </nav>
      <div className="topbar-tools">
        <button type="button" className="btn btn-ghost" onClick={() => settings.patch({ muted: !muted })} aria-pressed={muted} data-testid="sound-toggle" title={t('help.mute')}>
          {muted ? t('top.soundOff') : t('top.soundOn')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => settings.patch({ lang: lang === 'ko' ? 'en' : 'ko' })} data-testid="lang-toggle">
          {lang === 'ko' ? 'English' : '한국어'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onHelp} aria-label={t('help.title')} data-testid="help-button">
          ?
        </button>
        <span className="user" data-testid="current-user" data-role={user.role}>
          {user.email ?? user.name ?? user.id} · {t(dynamicKey('role', user.role))}
        </span>
        <button type="button" className="btn btn-ghost" onClick={() => void signOut({ api, lanTokens })} data-testid="logout">
          {t('top.logout')}
        </button>
      </div>
    </header>
  );
}
