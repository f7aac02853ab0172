import { createHmac, timingSafeEqual } from 'node:crypto';

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

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` as Standard Webhooks defines it. */
export function standardSignature(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${msgId}.${timestampSeconds}.${body}`).digest('base64');
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
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(standardSignature(secret, headers.id, ts, body));
  return headers.signature.split(' ').some((candidate) => {
    const got = Buffer.from(candidate);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
