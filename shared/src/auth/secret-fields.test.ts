import { describe, expect, it } from 'vitest';
import { scrubSecrets, secretFieldPaths } from './secret-fields';

describe('secret fields of log lines', () => {
  it('names every secret field at the top level and two levels below, hyphenated names in brackets', () => {
    const paths = secretFieldPaths();
    expect(paths).toEqual(
      expect.arrayContaining(['token', '*.token', '*.*.token', 'authorization', '*.*.passwordHash']),
    );
    expect(paths).toEqual(
      expect.arrayContaining(['["value-of-credential"]', '*["value-of-credential"]', '*.*["value-of-credential"]']),
    );
  });

  it.each([
    [
      'a JWT in an error message',
      'verify failed for eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
      'verify failed for [redacted]',
    ],
    ['an unsigned JWT', 'token eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'token [redacted]'],
    ['a bearer header', 'sent Authorization: Bearer abc.def-123', 'sent Authorization: Bearer [redacted]'],
    ['basic credentials', 'Basic dXNlcjpwYXNz rejected', 'Basic [redacted] rejected'],
  ])('scrubs %s from a message', (_name, text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
  });

  it.each([
    ['an ordinary message', 'cloud link up'],
    ['ids and words that only look alike', 'device eyJ-reader at door bearer-door opened'],
  ])('leaves %s as it is', (_name, text) => {
    expect(scrubSecrets(text)).toBe(text);
  });
});
