import { describe, expect, it } from 'vitest';
import { mayPublish, maySubscribe } from './device-acl';
import type { DeviceUser } from './device-users';

const door: DeviceUser = { username: 'door-1', passwordHash: 'x', deviceIds: ['door-1', 'reader-1'] };
const all: DeviceUser = { username: 'sim', passwordHash: 'x', deviceIds: '*' };

describe('device ACL', () => {
  it.each<[string, DeviceUser, string, boolean]>([
    ['own event', door, 'cr/s1/devices/door-1/events', true],
    ['own reader request', door, 'cr/s1/devices/reader-1/access/request', true],
    ['own command result', door, 'cr/s1/devices/door-1/cmd/result', true],
    ['another device', door, 'cr/s1/devices/fire-panel/events', false],
    ['a command to its own door (edge-only channel)', door, 'cr/s1/devices/door-1/cmd', false],
    ['an access answer (edge-only channel)', door, 'cr/s1/devices/reader-1/access/response', false],
    ['the edge status', all, 'cr/s1/edge/status', false],
    ['another site', all, 'cr/s2/devices/door-1/events', false],
    ['any device for a site-wide login', all, 'cr/s1/devices/fire-panel/events', true],
    ['an id smuggling a level', door, 'cr/s1/devices/door-1/x/events', false],
    ['outside the root', all, 'other/s1/devices/door-1/events', false],
  ])('publish: %s', (_n, user, topic, allowed) => {
    expect(mayPublish(user, 's1', topic)).toBe(allowed);
  });

  it.each<[string, DeviceUser, string, boolean]>([
    ['own commands', door, 'cr/s1/devices/door-1/cmd', true],
    ['own reader answers', door, 'cr/s1/devices/reader-1/access/response', true],
    ['everything of its own device', door, 'cr/s1/devices/door-1/#', true],
    ['the edge status', door, 'cr/s1/edge/status', true],
    ["another reader's answers", door, 'cr/s1/devices/reader-2/access/response', false],
    ['every device by wildcard', door, 'cr/s1/devices/+/cmd', false],
    ['the whole site', door, 'cr/s1/#', false],
    ['the whole site, site-wide login', all, 'cr/s1/#', true],
    ['another site, site-wide login', all, 'cr/s2/#', false],
    ['everything', all, '#', false],
  ])('subscribe: %s', (_n, user, filter, allowed) => {
    expect(maySubscribe(user, 's1', filter)).toBe(allowed);
  });
});
