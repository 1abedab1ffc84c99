import { z } from 'zod';

/** Who an alert is for: vendors see `facility` only. */
export const ALERT_CATEGORIES = ['security', 'safety', 'facility', 'system'] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

export const SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** Rank for sorting: lower is worse. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, info: 3 };

/**
 * How an alarm ends once its cause cleared (it never ends while the cause is present):
 * `resolve` — only when a person resolves it; `ack` — for the gateway's reports on its own state,
 * once a person has acknowledged it (before or after the cause cleared), so nobody must resolve
 * every start-up or short outage by hand, yet none passes unseen.
 */
export type AlertLatch = 'resolve' | 'ack';

/** The alert types the product raises, with the category and severity each carries (and `latch: 'ack'` where it applies). */
export const ALERT_TYPES = {
  'fire.alarm': { category: 'safety', severity: 'critical' },
  'door.forced': { category: 'security', severity: 'critical' },
  'door.held-open': { category: 'security', severity: 'major' },
  tamper: { category: 'security', severity: 'major' },
  'device.offline': { category: 'facility', severity: 'minor' },
  'device.fault': { category: 'facility', severity: 'major' },
  'site.offline': { category: 'system', severity: 'major' },
  'cache-stale': { category: 'system', severity: 'major', latch: 'ack' },
  'outbox-pressure': { category: 'system', severity: 'major', latch: 'ack' },
  /** the edge's disk refused a commit: events are held in memory until it takes them again */
  'storage.failed': { category: 'system', severity: 'critical' },
  /** the edge's clock and the cloud's disagree by more than the allowed skew */
  'clock-skew': { category: 'system', severity: 'major', latch: 'ack' },
  /** a message on an edge-only MQTT topic that the edge did not send (external broker without ACL) */
  'mqtt.forgery': { category: 'security', severity: 'critical' },
  /** repeated wrong PINs on a reader (or for one credential): PIN entry refused for a growing delay */
  'pin-throttled': { category: 'security', severity: 'major' },
  /** people counted inside outside the site's staffed hours (still inside at closing, or in at night) */
  'presence.after-hours': { category: 'security', severity: 'major' },
  /** motion in a zone behind an access-controlled door that nobody was granted into since it was last empty */
  'presence.unauthorized': { category: 'security', severity: 'major' },
  /** a people counter saw more people enter a zone than were granted into it */
  'presence.tailgating': { category: 'security', severity: 'major' },
  /** more people counted in a zone than its capacity */
  'zone.over-capacity': { category: 'safety', severity: 'major' },
  /** CO2 above the limit for the sustained time (ventilation not keeping up) */
  'env.co2-high': { category: 'facility', severity: 'major' },
  /** temperature outside the comfort range for the sustained time */
  'env.temperature': { category: 'facility', severity: 'minor' },
  /** humidity outside the comfort range for the sustained time */
  'env.humidity': { category: 'facility', severity: 'minor' },
  /** an HVAC unit running in a zone that has been empty for a long time */
  'hvac.empty-zone': { category: 'facility', severity: 'minor' },
  /** an HVAC unit running but not reaching its set-point within the allowed time */
  'hvac.setpoint-missed': { category: 'facility', severity: 'minor' },
  /** a power meter reading above the site's limit for the sustained time */
  'power.high-draw': { category: 'facility', severity: 'minor' },
  /** a device going offline and back more often than allowed: one alarm for the whole episode */
  'device.flapping': { category: 'facility', severity: 'minor' },
} as const satisfies Record<string, { category: AlertCategory; severity: Severity; latch?: AlertLatch }>;

export type AlertType = keyof typeof ALERT_TYPES;
export const alertTypeSchema = z.enum(Object.keys(ALERT_TYPES) as [AlertType, ...AlertType[]]);

export function alertLatch(type: AlertType): AlertLatch {
  const t = ALERT_TYPES[type];
  return 'latch' in t ? t.latch : 'resolve';
}

export function alertCategory(type: AlertType): AlertCategory {
  return ALERT_TYPES[type].category;
}
