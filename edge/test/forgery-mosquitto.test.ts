import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findUnresolved } from '@cr/shared';
import type { RunningEdge } from '../src/edge';
import { MOSQUITTO_URL, startTestEdge, uniqueSite } from './support/test-edge';
import { TestDevices } from './support/device';
import { Eavesdropper, forgeries, publishForgeries } from './support/forger';
import { SHIPPED_ACL, startPrivateMosquitto, type PrivateMosquitto } from './support/private-mosquitto';
import { waitFor } from './support/wait';

const EDGE = { edge: 'edge-secret-1', sim: 'sim-secret-2', 'door-9': 'door-secret-3' };
/** The test's device simulator speaks for every device of the site, like `npm run sim` does. */
const SIM_ACL = `${SHIPPED_ACL}
user sim
topic write cr/+/devices/+/config
topic write cr/+/devices/+/availability
topic write cr/+/devices/+/state
topic write cr/+/devices/+/events
topic write cr/+/devices/+/access/request
topic write cr/+/devices/+/cmd/result
topic read cr/+/devices/+/cmd
topic read cr/+/devices/+/access/response
topic read cr/+/edge/status
`;

describe('an edge on an external broker', () => {
  it('refuses to start on a broker that delivers door commands from anonymous clients, unless told to accept it', async () => {
    await expect(startTestEdge({ site: uniqueSite(), mqttUrl: MOSQUITTO_URL })).rejects.toThrow(/delivers door commands published without credentials.*--insecure-open-broker/);
    const edge = await startTestEdge({ site: uniqueSite(), broker: 'mosquitto' });
    await edge.stop();
  });
});

describe.each([
  ['the shipped ACL', SIM_ACL, false],
  // An installer's mistake: device logins may publish commands. The broker delivers; the edge must notice.
  ['an ACL that lets devices publish commands', `${SIM_ACL}\nuser door-9\ntopic readwrite cr/#\n`, true],
] as const)('a closed Mosquitto with %s', (_name, acl, delivers) => {
  let broker: PrivateMosquitto;
  let edge: RunningEdge | undefined;
  let devices: TestDevices | undefined;
  let ear: Eavesdropper | undefined;
  const site = uniqueSite('mq');

  beforeAll(async () => {
    broker = await startPrivateMosquitto(EDGE, acl);
  });
  afterEach(async () => {
    await ear?.close();
    await devices?.close();
    await edge?.stop();
  });
  afterAll(() => broker.stop());

  it(delivers ? 'raises a forgery alarm for a command the edge did not send' : 'starts, decides, and never delivers a device login\'s forged command', async () => {
    edge = await startTestEdge({ site, mqttUrl: broker.url('edge', EDGE.edge) });
    devices = await TestDevices.connect(broker.url(), site, { username: 'sim', password: EDGE.sim });
    const { readerId } = await devices.doorWithReader('lobby');
    await waitFor(() => edge!.ctx.registry.doorOfReader(readerId), 'reader registered');
    ear = await Eavesdropper.connect(broker.url(), site, { username: 'edge', password: EDGE.edge });
    const marker = `forged-${randomUUID()}`;
    await publishForgeries(broker.url(), forgeries(site, marker), { username: 'door-9', password: EDGE['door-9'] });
    const answer = await devices.swipe(readerId, 'card-unknown');
    expect(answer).toMatchObject({ granted: false, reason: 'unknown-credential' });
    await waitFor(() => ear!.heard.some((m) => m.payload.includes(answer.requestId)), 'the genuine answer was heard');
    if (delivers) {
      expect(ear.carrying(marker).length).toBeGreaterThan(0);
      await waitFor(() => findUnresolved(edge!.doc, { type: 'mqtt.forgery' }).length === 1, 'forgery alarm raised');
    } else {
      expect(ear.carrying(marker)).toEqual([]);
      expect(devices.commands.filter((c) => c.id === marker)).toEqual([]);
      expect(findUnresolved(edge.doc, { type: 'mqtt.forgery' })).toEqual([]);
    }
  });
});
