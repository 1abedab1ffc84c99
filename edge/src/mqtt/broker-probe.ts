import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { deviceTopic } from '@cr/shared';

/** How long the probe waits for its forged publish to come back. */
const PROBE_WAIT_MS = 1_500;

/**
 * The URL without its user name and password: what any LAN client can do without credentials, and
 * what a log line may name (threat: the broker password of `mqtt://user:pass@host` in the logs).
 */
export function withoutCredentials(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

/**
 * Checks, once at start, whether an external broker delivers a door command published by a client
 * without credentials. Threat: a site broker left open (Mosquitto's `allow_anonymous true` without an
 * ACL), on which any LAN client can unlock doors or answer readers. The edge cannot stop such a
 * broker from delivering, so it refuses to run on it unless told it is acceptable. Returns `open`
 * when the forged command reached a subscriber using the edge's own credentials, `closed` otherwise
 * (anonymous connect refused, publish dropped by the ACL, or nothing delivered in time).
 */
export async function probeBroker(url: string, siteId: string): Promise<'open' | 'closed'> {
  const topic = deviceTopic(siteId, `probe-${randomUUID().slice(0, 8)}`, 'cmd');
  const marker = `forgery-probe-${randomUUID()}`;
  // A well-formed command that no device acts on: addressed to no real device, expired since 1970.
  const probe = JSON.stringify({ id: marker, action: 'probe', reason: 'broker forgery probe', expiresAt: 0 });
  const listener = await mqtt.connectAsync(url, { clientId: `edge-${siteId}-probe-${randomUUID().slice(0, 6)}`, reconnectPeriod: 0, connectTimeout: 5_000 });
  try {
    await listener.subscribeAsync(topic, { qos: 1 });
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_WAIT_MS);
      listener.on('message', (_t, payload) => {
        if (payload.toString() !== probe) return;
        clearTimeout(timer);
        resolve(true);
      });
    });
    let intruder: mqtt.MqttClient | undefined;
    try {
      intruder = await mqtt.connectAsync(withoutCredentials(url), { clientId: `probe-${randomUUID().slice(0, 8)}`, reconnectPeriod: 0, connectTimeout: 5_000 });
      await intruder.publishAsync(topic, probe, { qos: 1 });
    } catch {
      return 'closed';
    } finally {
      await intruder?.endAsync(true).catch(() => undefined);
    }
    return (await heard) ? 'open' : 'closed';
  } finally {
    await listener.endAsync(true).catch(() => undefined);
  }
}
