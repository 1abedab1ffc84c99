/**
 * Where a site's events live in the event stream: one subject per (tenant, site),
 * `<prefix>.<tenant>.<site>`. Ids are escaped into single subject tokens, so an id holding `.`,
 * `*`, `>` or a space can never name another site's subject or a wildcard.
 */

/** A subject prefix: dot-separated tokens of letters, digits, `_` and `-`. */
const PREFIX_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** What encodeURIComponent leaves as it is but a subject token must not hold. */
const UNSAFE_IN_TOKEN = /[.!~*'()]/g;

export function assertSubjectPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) throw new Error(`event stream: subject prefix ${JSON.stringify(prefix)} is not valid`);
}

/** One subject token for an id: letters, digits, `_`, `-` as they are, everything else %XX (UTF-8). */
export function subjectToken(id: string): string {
  if (id === '') throw new Error('event stream: an empty tenant or site id has no subject');
  return encodeURIComponent(id).replace(
    UNSAFE_IN_TOKEN,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** The id a token stands for, or undefined when the token is not one subjectToken() writes. */
function idOfToken(token: string): string | undefined {
  try {
    const id = decodeURIComponent(token);
    return id !== '' && subjectToken(id) === token ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The subject of a site's events. */
export function eventSubject(prefix: string, tenantId: string, siteId: string): string {
  return `${prefix}.${subjectToken(tenantId)}.${subjectToken(siteId)}`;
}

/** The tenant and site of an event subject, or undefined for any other subject. */
export function siteOfSubject(prefix: string, subject: string): { tenantId: string; siteId: string } | undefined {
  if (!subject.startsWith(`${prefix}.`)) return undefined;
  const tokens = subject.slice(prefix.length + 1).split('.');
  if (tokens.length !== 2) return undefined;
  const tenantId = idOfToken(tokens[0]!);
  const siteId = idOfToken(tokens[1]!);
  return tenantId !== undefined && siteId !== undefined ? { tenantId, siteId } : undefined;
}

/** The message id that makes a re-sent event a duplicate in the stream: unique per (tenant, site, event id). */
export function eventMessageId(tenantId: string, siteId: string, eventId: string): string {
  return `${tenantId}/${siteId}/${eventId}`;
}
