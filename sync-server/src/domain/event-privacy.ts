import { createHmac } from 'node:crypto';
import type { SiteEvent } from '@cr/shared';

/** Keys whose values identify a person's credential: stored only as a keyed hash. */
const CREDENTIAL_KEY = /^(credential|credentialValue|card|cardNumber|pin|qr|ble|value)$/i;
/** Keys that name a person: dropped, the member id is enough to follow up. */
const NAME_KEY = /^(memberName|holderName|name|email|phone)$/i;

/**
 * Minimises personal data in stored events (DESIGN.md "Security"): credential values become
 * `h:` + HMAC-SHA256 (keyed with a secret of this installation, so a leaked table cannot be
 * reversed by hashing every card number), names are dropped, everything else stays.
 */
export class EventPrivacy {
  constructor(private readonly secret: Buffer) {}

  hash(value: string): string {
    return `h:${createHmac('sha256', this.secret).update(value).digest('base64url').slice(0, 22)}`;
  }

  minimise(event: SiteEvent): SiteEvent {
    if (!event.data) return event;
    return { ...event, data: this.scrub(event.data, 0) as Record<string, unknown> };
  }

  private scrub(value: unknown, depth: number): unknown {
    if (depth > 4 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.scrub(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (NAME_KEY.test(k)) continue;
      if (CREDENTIAL_KEY.test(k) && typeof v === 'string') out[k] = v.startsWith('h:') ? v : this.hash(v);
      else if (CREDENTIAL_KEY.test(k) && v && typeof v === 'object' && 'value' in v)
        out[k] = { ...(v as object), value: this.hash(String((v as { value: unknown }).value)) };
      else out[k] = this.scrub(v, depth + 1);
    }
    return out;
  }
}
