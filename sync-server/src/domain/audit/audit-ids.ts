import { createHash } from 'node:crypto';

/**
 * A stable audit record id for a fact that may be reported more than once (an event re-sent by an
 * edge, an alert entry seen again after a restart): a name-based UUID (version 8) over the parts,
 * so the second report finds the first record and adds nothing. The tenant is always one of the
 * parts, so one tenant's edge cannot occupy the id of another tenant's record.
 */
export function stableAuditId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
