import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnresolved } from '@cr/shared';
import { hashPassword } from '../src/mqtt/password';
import { startScenario, type Scenario } from './support/scenario';
import { tempDir } from './support/test-edge';
import { Eavesdropper, forgeries, publishForgeries } from './support/forger';
import { waitFor } from './support/wait';

const SIM_PASSWORD = 'site-secret-456';

/** Proves absence: a legitimate message published after the forgeries has arrived, the forgeries have not. */
async function expectNothingForgedArrived(s: Scenario, ear: Eavesdropper, marker: string, readerId: string): Promise<void> {
  const answer = await s.devices.swipe(readerId, 'card-ok');
  expect(answer).toMatchObject({ granted: true });
  await waitFor(() => ear.heard.some((m) => m.payload.includes(answer.requestId ?? '')), 'the genuine answer reached the eavesdropper');
  expect(ear.carrying(marker)).toEqual([]);
  expect(s.devices.commands.filter((c) => c.id === marker)).toEqual([]);
  expect(s.devices.responses.filter((r) => r.requestId === marker)).toEqual([]);
}

describe.each([
  ['open embedded broker', false],
  ['embedded broker with device logins (a site-wide login)', true],
] as const)('forged edge-only publishes on the %s', (_name, logins) => {
  let s: Scenario;
  let ear: Eavesdropper;
  let readerId: string;
  const auth = logins ? { username: 'sim', password: SIM_PASSWORD } : {};

  beforeAll(async () => {
    const flags: string[] = [];
    if (logins) {
      const file = join(tempDir(), 'mqtt-users.json');
      writeFileSync(file, JSON.stringify([{ username: 'sim', passwordHash: await hashPassword(SIM_PASSWORD, 2 ** 10), deviceIds: '*' }]));
      flags.push('--mqtt-users', file);
    }
    s = await startScenario({ flags, deviceAuth: auth });
    ({ readerId } = await s.devices.doorWithReader('lobby'));
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    ear = await Eavesdropper.connect(s.edge.mqttUrl, s.siteId, auth);
  });
  afterAll(async () => {
    await ear.close();
    await s.close();
  });

  it('never delivers a forged unlock, granted answer, firmware offer or edge status, and raises a forgery alarm', async () => {
    const marker = `forged-${randomUUID()}`;
    await publishForgeries(s.edge.mqttUrl, forgeries(s.siteId, marker), auth);
    await expectNothingForgedArrived(s, ear, marker, readerId);
    expect(findUnresolved(s.edge.doc, { type: 'mqtt.forgery' })).toHaveLength(1);
  });

  it('keeps a forged retained message from reaching a subscriber that connects later', async () => {
    const marker = `retained-${randomUUID()}`;
    await publishForgeries(s.edge.mqttUrl, forgeries(s.siteId, marker), auth, true);
    const late = await Eavesdropper.connect(s.edge.mqttUrl, s.siteId, auth);
    try {
      await expectNothingForgedArrived(s, late, marker, readerId);
    } finally {
      await late.close();
    }
  });
});
