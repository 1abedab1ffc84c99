import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { I18nProvider } from '../i18n/i18n';
import { LoginPage } from '../features/login/LoginPage';
import { createServices, type Services } from './services';
import { ServicesContext, useStore } from './services-context';
import { SignedIn } from './SignedIn';

/** The console: services for the window (given by tests), then the login page or the signed-in shell. */
export function App({ services: given }: { services?: Services } = {}) {
  const [services] = useState(() => given ?? createServices());
  const queryClient = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          // Keep showing the last answer while refetching or offline: the console never goes blank.
          queries: { staleTime: 10_000, gcTime: 30 * 60_000, retry: 1, refetchOnWindowFocus: false, networkMode: 'always' },
        },
      }),
    [],
  );
  const session = useStore(services.session);
  const { lang } = useStore(services.settings);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    if (!session) queryClient.clear();
  }, [session, queryClient]);
  return (
    <ServicesContext.Provider value={services}>
      <I18nProvider lang={lang}>
        <QueryClientProvider client={queryClient}>{session ? <SignedIn key={`${session.user.id}@${session.cloudUrl}`} user={session.user} /> : <LoginPage />}</QueryClientProvider>
      </I18nProvider>
    </ServicesContext.Provider>
  );
}
