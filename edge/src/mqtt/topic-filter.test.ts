import { describe, expect, it } from 'vitest';
import { topicMatches } from './topic-filter';

describe('topic filter', () => {
  it.each([
    ['cr/s/devices/+/events', 'cr/s/devices/door-1/events', true],
    ['cr/s/devices/+/events', 'cr/s/devices/door-1/state', false],
    ['cr/s/devices/+/events', 'cr/s/devices/a/b/events', false],
    ['cr/s/devices/+/cmd/result', 'cr/s/devices/door-1/cmd/result', true],
    ['cr/s/#', 'cr/s/devices/x/y/z', true],
    ['cr/s/#', 'cr/other/devices/x/events', false],
    ['cr/s/devices/+/events', 'cr/s/devices/door-1/events/extra', false],
  ])('%s vs %s → %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
