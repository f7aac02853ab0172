import { describe, expect, it } from '@jest/globals';
import { contentSecurityPolicy, newNonce } from './security-headers.js';

describe('the console\'s Content-Security-Policy', () => {
  it('allows scripts only from the console\'s own files, and inline styles only with the page\'s nonce', () => {
    const csp = contentSecurityPolicy('abc123==');
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self' 'nonce-abc123=='",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'manifest-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(csp).not.toContain('unsafe');
  });

  it('makes a new 128-bit nonce for every page', () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    for (const n of nonces) expect(Buffer.from(n, 'base64')).toHaveLength(16);
  });
});
