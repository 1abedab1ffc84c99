import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { SiteDoc } from '@cr/shared';
import { devicesWithTelemetry } from './site-telemetry';
import { readingOf } from './floor-plan';

function siteWith(writeState: boolean): SiteDoc {
  const site = new SiteDoc(new Y.Doc());
  site.upsertDevice({ id: 'env-1', kind: 'env', name: 'Climate' });
  site.upsertDevice({ id: 'door-1', kind: 'door', name: 'Lobby' });
  site.setDeviceState('door-1', { locked: true, open: false }, 50);
  if (writeState) site.setDeviceState('env-1', { temperatureC: 21, humidityPct: 40 }, 100);
  return site;
}

/** The gateway's presence as a console's awareness holds it after the relay. */
function gatewayPresence(doc: Y.Doc, telemetry: Record<string, unknown>): Awareness {
  const aw = new Awareness(doc);
  aw.setLocalState({ user: { name: 'me' } });
  aw.states.set(4242, { telemetry });
  return aw;
}

describe('devices with the gateway’s live telemetry', () => {
  it('shows the live reading over the document’s last state', () => {
    const site = siteWith(true);
    const aw = gatewayPresence(site.doc, { 'env-1': { state: { temperatureC: 24.5, humidityPct: 41 }, ts: 200 } });
    const env = devicesWithTelemetry(site.devices(), aw).find((d) => d.id === 'env-1')!;
    expect(env).toMatchObject({ state: { temperatureC: 24.5 }, stateAt: 200 });
    expect(readingOf(env)).toBe('24.5 °C · 41 %');
    // Durable state stays the document's.
    expect(devicesWithTelemetry(site.devices(), aw).find((d) => d.id === 'door-1')?.state).toEqual({ locked: true, open: false });
    aw.destroy();
  });

  it('falls back to the document’s last state written by an older gateway, or with no live state', () => {
    const site = siteWith(true);
    const aw = new Awareness(site.doc);
    expect(devicesWithTelemetry(site.devices(), aw).find((d) => d.id === 'env-1')).toMatchObject({ state: { temperatureC: 21 }, stateAt: 100 });
    aw.states.set(4242, { telemetry: { 'env-1': { state: { temperatureC: 19 }, ts: 10 } } });
    expect(devicesWithTelemetry(site.devices(), aw).find((d) => d.id === 'env-1')?.state?.temperatureC).toBe(21);
    aw.destroy();
  });

  it('shows a new gateway’s reading that the document never held', () => {
    const site = siteWith(false);
    const aw = gatewayPresence(site.doc, { 'env-1': { state: { temperatureC: 22, humidityPct: 50, co2ppm: 800 }, ts: 300 } });
    expect(readingOf(devicesWithTelemetry(site.devices(), aw).find((d) => d.id === 'env-1')!)).toBe('22.0 °C · 50 % · 800 ppm');
    expect(readingOf({ kind: 'power', state: { watts: 1234.4 } })).toBe('1234 W');
    expect(readingOf({ kind: 'door', state: { locked: true } })).toBeUndefined();
    aw.destroy();
  });
});
