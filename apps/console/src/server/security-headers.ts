import { randomBytes } from 'node:crypto';

/**
 * The Content-Security-Policy of every page: scripts and styles only from the console's own
 * files, no inline script at all. Mantine writes its theme variables in one <style> element; it
 * carries this response's nonce (read from the page's meta tag), so `style-src` needs no
 * 'unsafe-inline'. `connect-src 'self'`: the browser talks only to this server, which forwards
 * to the services (docs/adr/0010-console.md).
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh nonce per page (128 bits). */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Headers every answer carries, pages, files and forwarded API answers alike. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};
