import { describe, expect, it } from 'vitest';
import { DEVICE_CHANNELS, deviceChannelFilter, deviceTopic, edgeStatusTopic, parseTopic } from './topics';

describe('MQTT topics', () => {
  it.each(DEVICE_CHANNELS)('builds and parses the %s channel', (channel) => {
    const topic = deviceTopic('gangnam', 'door-1', channel);
    expect(topic).toBe(`cr/gangnam/devices/door-1/${channel}`);
    expect(parseTopic(topic)).toEqual({ kind: 'device', siteId: 'gangnam', deviceId: 'door-1', channel });
  });

  it('builds and parses the edge status topic', () => {
    expect(edgeStatusTopic('hongdae')).toBe('cr/hongdae/edge/status');
    expect(parseTopic('cr/hongdae/edge/status')).toEqual({ kind: 'edge-status', siteId: 'hongdae' });
  });

  it('builds subscription filters', () => {
    expect(deviceChannelFilter('gangnam', 'access/request')).toBe('cr/gangnam/devices/+/access/request');
  });

  it.each(['door/1', 'door+', 'door#', 'Door', '', 'a'.repeat(65)])('refuses to build a topic for device id %j', (id) => {
    expect(() => deviceTopic('gangnam', id, 'cmd')).toThrow(/invalid device id/);
  });

  it.each([
    'cr/gangnam/devices/door-1/unknown',
    'cr/gangnam/devices/door-1',
    'cr/gangnam/devices/+/config',
    'cr/gangnam/devices/#',
    'cr/GANGNAM/devices/door-1/config',
    'xx/gangnam/devices/door-1/config',
    'cr/gangnam/edge/status/extra',
    'cr/gangnam/devices/door-1/access/request/x',
    'cr',
    '',
  ])('does not parse %j', (topic) => {
    expect(parseTopic(topic)).toBeUndefined();
  });
});
