import type { PolicyBody } from './policy-body';

/** A starting point for a new policy. */
export interface PolicyTemplate {
  id: string;
  name: string;
  description: string;
  body: PolicyBody;
}

const weekdays = (hours: Array<[string, string]>) => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours });

/** The policies a tenant admin starts from. */
export const POLICY_TEMPLATES: readonly PolicyTemplate[] = [
  {
    id: 'office-weekdays',
    name: 'Office, weekdays',
    description: 'Open Monday to Friday 08:00–20:00, closed at weekends and on Korean public holidays; bookings released after 15 minutes without check-in.',
    body: {
      openingHours: { ...weekdays([['08:00', '20:00']]), sat: [], sun: [] },
      holidays: { country: 'KR' },
      booking: { noShowGraceMin: 15, earlyCheckInMin: 10 },
    },
  },
  {
    id: '24-7',
    name: 'Open around the clock',
    description: 'Open every day at all hours; the policy closes nothing.',
    body: {
      openingHours: {
        ...weekdays([['00:00', '24:00']]),
        sat: [['00:00', '24:00']],
        sun: [['00:00', '24:00']],
      },
    },
  },
  {
    id: 'late-closing',
    name: 'Late closing',
    description: 'Open Monday to Friday 07:00 until 02:00 the next morning, weekends 10:00–24:00, closed on Korean public holidays.',
    body: {
      openingHours: { ...weekdays([['07:00', '02:00']]), sat: [['10:00', '24:00']], sun: [['10:00', '24:00']] },
      holidays: { country: 'KR' },
    },
  },
];
