import type { Socket } from 'node:net';
import type { MqttClient } from 'mqtt';

/**
 * Turns Nagle's algorithm off on an MQTT client's socket, now and after every reconnect. mqtt.js
 * opens plain TCP (and TLS) sockets with Nagle on, so a small packet written while an earlier one
 * is unacknowledged waits for the peer's delayed ACK (up to 40 ms): access answers, PUBACKs and
 * door commands are all small packets.
 */
export function keepNoDelay(client: MqttClient): MqttClient {
  const apply = (): void => void (client.stream as Partial<Socket> | undefined)?.setNoDelay?.(true);
  client.on('connect', apply);
  apply();
  return client;
}
