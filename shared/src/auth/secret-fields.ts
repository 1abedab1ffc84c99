/**
 * Field names whose values never reach a log line, wherever they sit in the structured extras
 * (the edge's and the cloud's pino `redact`). Threat: a bearer token, a password (or its hash) or a
 * card value copied from a log file by anyone who can read the logs or the log shipper's store.
 */
export const SECRET_FIELDS = [
  'token',
  'accessToken',
  'refreshToken',
  'password',
  'passwordHash',
  'credential',
  'credentials',
  'value-of-credential',
  'authorization',
] as const;

/** What a redacted value reads as. */
export const REDACTED = '[redacted]';

/** How deep below the top level of a line's extras a secret field is still found (`a.b.token`). */
const REDACT_DEPTH = 2;

/** `*.*.token`, `*.*["value-of-credential"]`: the field `name` under `depth` levels of any keys. */
function fieldPath(name: string, depth: number): string {
  const parents = Array.from({ length: depth }, () => '*');
  if (/^[A-Za-z_$][\w$]*$/.test(name)) return [...parents, name].join('.');
  return `${parents.join('.')}[${JSON.stringify(name)}]`;
}

/** pino `redact.paths` for every SECRET_FIELDS name at the top level and up to REDACT_DEPTH levels below. */
export function secretFieldPaths(): string[] {
  return SECRET_FIELDS.flatMap((name) =>
    Array.from({ length: REDACT_DEPTH + 1 }, (_, depth) => fieldPath(name, depth)),
  );
}

// A JWT (three base64url parts, the first a JSON header) or the value of an Authorization header.
const SECRET_TEXT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*|\b(Bearer|Basic)\s+[\w.~+/=-]+/g;

/**
 * A log message with anything shaped like a token replaced. Call sites put secrets in no message;
 * this is the second line of defence for the text of a foreign error (`err.message`) that might.
 */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET_TEXT, (_m, scheme: string | undefined) => (scheme ? `${scheme} ${REDACTED}` : REDACTED));
}
