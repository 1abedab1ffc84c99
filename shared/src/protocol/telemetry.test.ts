import { describe, expect, it } from 'vitest';
import { classifyStateChange, liveTelemetryOf, withLiveState } from './telemetry';

describe('classifyStateChange', () => {
  it('keeps readings of sensors, meters and motion detectors out of the document', () => {
    expect(classifyStateChange('env', undefined, { temperatureC: 22, humidityPct: 40, ts: 1 })).toBe('telemetry');
    expect(classifyStateChange('power', { watts: 10, ts: 1 }, { watts: 900, ts: 2 })).toBe('telemetry');
    expect(classifyStateChange('pir', { motion: false, occupancy: 0, ts: 1 }, { motion: true, occupancy: 4, ts: 2 })).toBe('telemetry');
  });

  it('writes a door, a panel, a light or an HVAC unit when what people act on changed', () => {
    expect(classifyStateChange('door', undefined, { locked: true, open: false, ts: 1 })).toBe('durable');
    expect(classifyStateChange('door', { locked: true, open: false }, { locked: false, open: false })).toBe('durable');
    expect(classifyStateChange('fire-panel', { alarm: false }, { alarm: true })).toBe('durable');
    expect(classifyStateChange('light', { on: false }, { on: true })).toBe('durable');
    expect(classifyStateChange('hvac', { on: true, mode: 'cool', setpointC: 22, currentC: 25 }, { on: true, mode: 'cool', setpointC: 21, currentC: 25 })).toBe('durable');
  });

  it('treats a repeated state whose readings alone moved as telemetry', () => {
    expect(classifyStateChange('door', { locked: true, open: false, battery: 80 }, { locked: true, open: false, battery: 79 })).toBe('telemetry');
    expect(classifyStateChange('hvac', { on: true, mode: 'cool', setpointC: 22, currentC: 25 }, { on: true, mode: 'cool', setpointC: 22, currentC: 24.5 })).toBe('telemetry');
    expect(classifyStateChange('camera', { recording: true, in: 3, out: 1 }, { recording: true, in: 4, out: 1 })).toBe('telemetry');
  });
});

describe('live telemetry in views', () => {
  const gateway = { telemetry: { 'env-1': { state: { temperatureC: 24 }, ts: 200 }, 'bad id!': { state: {}, ts: 1 }, 'env-2': { state: 'hot', ts: 1 } } };

  it('reads the newest valid entry per device and skips presence without telemetry', () => {
    const live = liveTelemetryOf([{ user: 'hq' }, null, gateway, { telemetry: { 'env-1': { state: { temperatureC: 20 }, ts: 100 } } }]);
    expect(live).toEqual({ 'env-1': { state: { temperatureC: 24 }, ts: 200 } });
  });

  it('prefers the live reading unless the document holds a newer state', () => {
    const live = liveTelemetryOf([gateway]);
    const device = { id: 'env-1', state: { temperatureC: 21 }, stateAt: 150 };
    expect(withLiveState(device, live)).toEqual({ id: 'env-1', state: { temperatureC: 24 }, stateAt: 200 });
    expect(withLiveState({ ...device, stateAt: 300 }, live)).toEqual({ ...device, stateAt: 300 });
    expect(withLiveState(device, undefined)).toBe(device);
    expect(withLiveState({ id: 'env-9' }, live)).toEqual({ id: 'env-9' });
  });
});
