import { describe, expect, it } from 'vitest';
import { eventDetails, formatSiteTime } from './site-time';

describe('formatSiteTime', () => {
  it('shows the site-local time with seconds', () => {
    expect(formatSiteTime(Date.UTC(2025, 2, 9, 15, 4, 7), 'Asia/Seoul')).toBe('2025-03-10 00:04:07');
    expect(formatSiteTime(Date.UTC(2025, 2, 9, 15, 4, 7), 'UTC')).toBe('2025-03-09 15:04:07');
  });
});

describe('eventDetails', () => {
  it('lists facts and leaves out request ids', () => {
    expect(eventDetails({ reason: 'granted', memberId: 'member-0072', requestId: 'x' })).toBe('reason=granted · memberId=member-0072');
    expect(eventDetails(undefined)).toBe('');
  });
});
