import { useEffect, useState } from 'react';
import { liveTelemetryOf, withLiveState, type DeviceView } from '@cr/shared';
import type { LiveDoc } from '../../data/live-doc';

/**
 * Devices with the site gateway's live readings (its presence on the document, from the cloud or
 * the site LAN) where they are newer than the document's last state; an older gateway that still
 * writes readings into the document, or no live state at all, leaves the document's.
 */
export function devicesWithTelemetry(devices: DeviceView[], presence: Pick<LiveDoc['awareness'], 'getStates'>): DeviceView[] {
  const live = liveTelemetryOf(presence.getStates().values());
  return devices.map((d) => withLiveState(d, live));
}

/** A number that changes when the document's presence changes, at most every 100 ms. */
export function usePresenceVersion(live: LiveDoc | undefined): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!live) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bump = (): void => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, 100);
    };
    live.awareness.on('change', bump);
    return () => {
      live.awareness.off('change', bump);
      clearTimeout(timer);
    };
  }, [live]);
  return version;
}
