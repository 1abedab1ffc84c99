import { useEffect, useState } from 'react';
import { DocHub, syncUrlOf } from '../data/doc-hub';
import { localCopyPrefix } from '../data/sign-out';
import type { User } from '../data/api-types';
import { DocHubContext, useServices } from './services-context';
import { Shell } from './Shell';
import { useBackground } from './use-background';

/** Everything that exists only while someone is signed in: the document hub and background work. */
export function SignedIn({ user }: { user: User }) {
  const { api, session, reach, platform } = useServices();
  const [hub] = useState(
    () =>
      new DocHub({
        cloudSyncUrl: syncUrlOf(platform.cloudUrl),
        token: () => session.get()?.accessToken,
        refresh: () => api.refresh(),
        reach,
        storagePrefix: localCopyPrefix(new URL(platform.cloudUrl).host, user.tenantId, user.id),
      }),
  );
  useEffect(() => () => hub.destroy(), [hub]);
  return (
    <DocHubContext.Provider value={hub}>
      <Background hub={hub} user={user} />
      <Shell user={user} />
    </DocHubContext.Provider>
  );
}

function Background({ hub, user }: { hub: DocHub; user: User }) {
  useBackground(hub, user);
  return null;
}
