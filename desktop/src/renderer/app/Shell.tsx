import { useEffect, useMemo, useState } from 'react';
import type { User } from '../data/api-types';
import { AlertConsole } from '../features/alerts/AlertConsole';
import { CriticalWatcher } from '../features/alerts/CriticalWatcher';
import { AuditPage } from '../features/audit/AuditPage';
import { ConnectionBanner } from '../features/connection/ConnectionBanner';
import { EventsPage } from '../features/events/EventsPage';
import { HelpOverlay } from '../features/help/HelpOverlay';
import { OverviewPage } from '../features/overview/OverviewPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { AdminPage } from '../features/admin/AdminPage';
import { NotificationsPage } from '../features/notifications/NotificationsPage';
import { FleetPage } from '../features/fleet/FleetPage';
import { BookingsPage } from '../features/bookings/BookingsPage';
import { PoliciesPage } from '../features/policies/PoliciesPage';
import { OnboardingPage } from '../features/onboarding/OnboardingPage';
import { SitePage } from '../features/site/SitePage';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { capabilitiesFor } from './capabilities';
import { LiveDataProvider } from './live-data';
import { navigate, parseRoute, routeHash, useHash, type Route } from './router';
import { useServices, useStore } from './services-context';
import { SHORTCUT_HELP } from './shortcut-help';
import { useShortcuts, type Shortcut } from './shortcuts';
import { TopBar } from './TopBar';

/** The signed-in console: top bar, connection banner, the current view, help and alert watcher. */
export function Shell({ user }: { user: User }) {
  const { platform, settings } = useServices();
  const { lang, muted } = useStore(settings);
  const caps = useMemo(() => capabilitiesFor(user), [user]);
  const hash = useHash();
  const route = parseRoute(hash);
  const [help, setHelp] = useState(false);
  const { t } = useI18n();

  // Vendors have no map and no bookings: their console starts at the alert list.
  const hidden = (!caps.overview && (route.name === 'overview' || route.name === 'site')) || (!caps.bookings && route.name === 'bookings') || (!caps.policies && route.name === 'policies');
  const shown: Route = hidden ? { name: 'alerts' } : route;
  useEffect(() => platform.rememberRoute(routeHash(shown) as `#/${string}`), [platform, shown]);
  useEffect(() => platform.onNavigate((r) => (window.location.hash = r)), [platform]);
  useEffect(() => {
    const titles: Record<Route['name'], MessageKey> = { overview: 'nav.overview', alerts: 'nav.alerts', site: 'nav.site', events: 'nav.events', audit: 'nav.audit', settings: 'nav.settings', admin: 'nav.admin', onboarding: 'nav.onboarding', notifications: 'nav.notifications', fleet: 'nav.fleet', bookings: 'nav.bookings', policies: 'nav.policies' };
    document.title = `${t(titles[shown.name])} · ${t('app.title')}`;
  }, [shown.name, t]);

  const shortcuts: Shortcut[] = [
    { key: '?', help: 'help.showHelp', run: () => setHelp((h) => !h) },
    { key: 'Escape', help: 'help.close', run: () => setHelp(false), inFields: true },
    { key: '1', help: 'help.goOverview', run: () => caps.overview && navigate({ name: 'overview' }) },
    { key: '2', help: 'help.goAlerts', run: () => navigate({ name: 'alerts' }) },
    { key: '3', help: 'help.goEvents', run: () => caps.events && navigate({ name: 'events' }) },
    { key: '4', help: 'help.goAudit', run: () => caps.audit && navigate({ name: 'audit' }) },
    { key: '5', help: 'help.goSettings', run: () => navigate({ name: 'settings' }) },
    { key: '6', help: 'help.goPolicies', run: () => caps.policies && navigate({ name: 'policies' }) },
    { key: 'm', help: 'help.mute', run: () => settings.patch({ muted: !muted }) },
    { key: 'l', help: 'help.language', run: () => settings.patch({ lang: lang === 'ko' ? 'en' : 'ko' }) },
  ];
  useShortcuts(shortcuts);

  return (
    <LiveDataProvider user={user}>
      <div className="shell">
        <TopBar user={user} caps={caps} route={shown} onHelp={() => setHelp(true)} />
        <ConnectionBanner />
        <main className="content" id="main">
          {shown.name === 'overview' && <OverviewPage />}
          {shown.name === 'site' && <SitePage siteId={shown.siteId} user={user} />}
          {shown.name === 'alerts' && <AlertConsole user={user} selectedId={shown.alertId} />}
          {shown.name === 'events' && caps.events && <EventsPage siteId={shown.siteId} />}
          {shown.name === 'audit' && caps.audit && <AuditPage />}
          {shown.name === 'settings' && <SettingsPage user={user} />}
          {shown.name === 'admin' && caps.admin && <AdminPage />}
          {shown.name === 'onboarding' && caps.admin && <OnboardingPage />}
          {shown.name === 'notifications' && caps.notifications && <NotificationsPage caps={caps} />}
          {shown.name === 'fleet' && <FleetPage />}
          {shown.name === 'bookings' && caps.bookings && <BookingsPage user={user} siteId={shown.siteId} />}
          {shown.name === 'policies' && caps.policies && <PoliciesPage canWrite={caps.managePolicies} policyId={shown.policyId} />}
        </main>
        <CriticalWatcher />
        {help && <HelpOverlay shortcuts={SHORTCUT_HELP as Shortcut[]} onClose={() => setHelp(false)} />}
      </div>
    </LiveDataProvider>
  );
}
