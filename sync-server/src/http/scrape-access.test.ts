import { describe, expect, it } from 'vitest';
import { scrapeAccess } from './scrape-access';

const TOKEN = 'scrape-token-0123456789abcdef';

describe('scrapeAccess', () => {
  it.each([
    ['no token configured, no header', undefined, undefined, 'process'],
    ['no token configured, any bearer', `Bearer ${TOKEN}`, undefined, 'process'],
    ['token configured, no header', undefined, TOKEN, 'process'],
    ['the token', `Bearer ${TOKEN}`, TOKEN, 'fleet'],
    ['the token, scheme in lower case', `bearer ${TOKEN}`, TOKEN, 'fleet'],
    ['a wrong token', 'Bearer scrape-token-0123456789abcdeX', TOKEN, 'refused'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, 'refused'],
    ['the token and more', `Bearer ${TOKEN}x`, TOKEN, 'refused'],
    ['an empty bearer', 'Bearer ', TOKEN, 'refused'],
    ['another scheme', `Basic ${TOKEN}`, TOKEN, 'refused'],
    ['the bare token', TOKEN, TOKEN, 'refused'],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`, TOKEN, 'refused'],
  ] as const)('%s → %s', (_, header, token, expected) => {
    expect(scrapeAccess(header, token)).toBe(expected);
  });
});
