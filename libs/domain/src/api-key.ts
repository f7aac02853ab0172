import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `hsk_<id>_<secret>`. The id finds the row without a scan; only a SHA-256
 * of the whole key is stored (the secret is 32 random bytes, so a slow hash adds nothing).
 */
const KEY_RE = /^hsk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  id: string;
  full: string;
}

export function parseApiKey(raw: string): ParsedApiKey | null {
  const m = KEY_RE.exec(raw);
  return m ? { id: m[1], full: raw } : null;
}

export function formatApiKey(id: string, secretBytes: Uint8Array): string {
  if (!/^[a-z0-9]{16}$/.test(id)) throw new RangeError('api key ids are 16 lowercase alphanumerics');
  if (secretBytes.length !== 32) throw new RangeError('api key secrets are 32 bytes');
  return `hsk_${id}_${Buffer.from(secretBytes).toString('base64url')}`;
}

export function hashApiKey(full: string): Buffer {
  return createHash('sha256').update(full).digest();
}

export function apiKeyMatches(full: string, storedHash: Buffer): boolean {
  const h = hashApiKey(full);
  return h.length === storedHash.length && timingSafeEqual(h, storedHash);
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
