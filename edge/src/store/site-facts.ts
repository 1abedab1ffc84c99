import { DEFAULT_TIMEZONE, isValidTimeZone } from '@cr/shared';
import type { Settings } from './db';

const KEY = 'site.timezone';

/** Facts about the site that the cloud owns and sends in its welcome. */
export interface CloudSiteFacts {
  timezone: string;
}

const bySettings = new WeakMap<Settings, SiteFacts>();

/**
 * Facts of the site that access decisions depend on and the cloud owns: its time zone (opening
 * hours, schedules). Taken from the cloud's welcome, kept in SQLite so an offline restart decides
 * by the same zone, and read from memory on the decision path. Never taken from the site document:
 * that is a copy consoles write. Threat: a console writing another (valid) zone into the document
 * to shift a site's opening hours or members' schedules.
 */
export class SiteFacts {
  private zone: string;

  private constructor(private readonly settings: Settings) {
    const stored = settings.get(KEY);
    this.zone = stored !== undefined && isValidTimeZone(stored) ? stored : DEFAULT_TIMEZONE;
  }

  /** The one instance over these settings, shared by the cloud link and the decision path. */
  static of(settings: Settings): SiteFacts {
    let facts = bySettings.get(settings);
    if (!facts) {
      facts = new SiteFacts(settings);
      bySettings.set(settings, facts);
    }
    return facts;
  }

  /** The site's time zone: the cloud's last word, or the default before the cloud ever said one. */
  get timeZone(): string {
    return this.zone;
  }

  /** Takes the cloud's facts; a zone this runtime does not know is refused and the last good one kept. */
  adopt(facts: CloudSiteFacts): 'changed' | 'same' | 'refused' {
    if (!isValidTimeZone(facts.timezone)) return 'refused';
    if (facts.timezone === this.zone && this.settings.get(KEY) === facts.timezone) return 'same';
    this.settings.set(KEY, facts.timezone);
    this.zone = facts.timezone;
    return 'changed';
  }
}
