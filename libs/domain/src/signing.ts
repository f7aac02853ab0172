import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
export const MIN_SECRET_BYTES = 24;

/** `whsec_` + base64 of the given random bytes (Standard Webhooks). */
export function formatSecret(randomBytes: Uint8Array): string {
  if (randomBytes.length < MIN_SECRET_BYTES) {
    throw new RangeError(`a signing secret needs at least ${MIN_SECRET_BYTES} random bytes`);
  }
  return SECRET_PREFIX + Buffer.from(randomBytes).toString('base64');
}

export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new RangeError('signing secrets start with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** A raw secret string of `legacy_sha256_raw`: printable ASCII, as seed 004 stored (VARCHAR(500)). */
export const RAW_SECRET_PATTERN = /^[\x21-\x7e]{24,500}$/;

/**
 * How a `legacy_sha256_raw` secret string is kept: whsec_ + base64 of its bytes, so every path
 * that stores, seals, rotates and signs with whsec_ secrets serves it unchanged, and the HMAC key
 * (hmacKey: the decoded bytes) is the string itself.
 */
export function rawSecretToStored(raw: string): string {
  if (!RAW_SECRET_PATTERN.test(raw)) throw new RangeError('a raw signing secret is 24-500 printable ASCII characters');
  return SECRET_PREFIX + Buffer.from(raw, 'utf8').toString('base64');
}

/** The secret string a `legacy_sha256_raw` receiver holds, from its stored form. */
export function storedToRawSecret(stored: string): string {
  return secretKey(stored).toString('utf8');
}

const KEY_CACHE_LIMIT = 10_000;
const keyObjects = new Map<string, KeyObject>();

/**
 * The HMAC key of a `whsec_` secret, built once per secret: handing createHmac raw bytes makes it
 * build a key on every call, which costs about five times the HMAC of a 512-byte body (22 µs
 * against 4 µs here) and showed up as 5 % of the dispatcher's profile. Bounded, oldest out first.
 */
export function hmacKey(secret: string): KeyObject {
  let key = keyObjects.get(secret);
  if (!key) {
    key = createSecretKey(secretKey(secret));
    if (keyObjects.size >= KEY_CACHE_LIMIT) {
      const oldest = keyObjects.keys().next();
      if (!oldest.done) keyObjects.delete(oldest.value);
    }
    keyObjects.set(secret, key);
  }
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` as Standard Webhooks defines it. */
export function standardSignature(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', hmacKey(secret)).update(`${msgId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Signs with every active secret; during a rotation receivers accept either signature. */
export function signStandardWebhook(
  secrets: readonly string[],
  msgId: string,
  timestampSeconds: number,
  body: string,
): SignedHeaders {
  if (secrets.length === 0) throw new RangeError('at least one signing secret is required');
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => standardSignature(s, msgId, timestampSeconds, body)).join(' '),
  };
}

/** Secrets still in force at `now`: a rotated secret signs until its overlap window ends. */
export function activeSecrets(secrets: readonly { secret: string; expires_at: string | null }[], now: Date): string[] {
  return secrets.filter((s) => s.expires_at === null || Date.parse(s.expires_at) > now.getTime()).map((s) => s.secret);
}

/** Receiver-side check, used by our own receivers and tests; constant-time per candidate. */
export function verifyStandardWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  return verifyStandardWebhookSignature(Buffer.from(body), headers, [secret], nowSeconds, toleranceSeconds).ok;
}

export type VerificationFailure = 'missing_signature' | 'malformed_signature' | 'signature_mismatch' | 'stale_timestamp';
/** The outcome of checking a signature; a failure says why, for the caller's audit trail. */
export type Verification = { ok: true } | { ok: false; reason: VerificationFailure; message: string };

export const VERIFIED: Verification = { ok: true };

export function refused(reason: VerificationFailure, message: string): Verification {
  return { ok: false, reason, message };
}

/** Equal-length byte strings compared in constant time; a length mismatch is simply unequal. */
export function bytesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Standard Webhooks verification over the exact body bytes, for any of `secrets` (`whsec_` +
 * base64, or bare base64 as some senders show it). The signature is checked before the
 * timestamp, so `stale_timestamp` means a genuine message replayed late, never a forgery.
 */
export function verifyStandardWebhookSignature(
  body: Buffer,
  headers: { id?: string | undefined; timestamp?: string | undefined; signature?: string | undefined },
  secrets: readonly string[],
  nowSeconds: number,
  toleranceSeconds: number,
): Verification {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return refused('missing_signature', 'webhook-id, webhook-timestamp and webhook-signature are required');
  if (!/^\d{1,12}$/.test(timestamp)) return refused('malformed_signature', 'webhook-timestamp must be unix seconds');
  const candidates = signature
    .split(' ')
    .filter((c) => c.startsWith('v1,'))
    .map((c) => Buffer.from(c.slice(3), 'base64'));
  if (candidates.length === 0) return refused('malformed_signature', 'webhook-signature has no v1 signature');
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]);
  const matched = secrets.some((secret) => {
    const mac = createHmac('sha256', Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64')).update(signed).digest();
    return candidates.some((c) => bytesEqual(c, mac));
  });
  if (!matched) return refused('signature_mismatch', 'no webhook-signature matches the body');
  const age = Math.abs(nowSeconds - Number(timestamp));
  if (age > toleranceSeconds) return refused('stale_timestamp', `webhook-timestamp is ${age} s from now; the tolerance is ${toleranceSeconds} s`);
  return VERIFIED;
}
