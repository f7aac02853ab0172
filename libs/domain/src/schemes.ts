import type { SignatureSchemeName } from '@hookstream/contracts';
import { createHmac, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { hmacKey, signStandardWebhook } from './signing.js';

export type SignatureScheme = SignatureSchemeName;

export const ED25519_SECRET_PREFIX = 'whsk_';
export const ED25519_PUBLIC_PREFIX = 'whpk_';

// DER prefixes that wrap a raw 32-byte Ed25519 seed / public key as PKCS#8 / SPKI.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** `whsk_` + base64 seed and `whpk_` + base64 public key, from 32 random bytes. */
export function ed25519KeyPair(seed: Uint8Array): { secret: string; publicKey: string } {
  if (seed.length !== 32) throw new RangeError('an ed25519 seed is 32 bytes');
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  return {
    secret: ED25519_SECRET_PREFIX + Buffer.from(seed).toString('base64'),
    publicKey: ED25519_PUBLIC_PREFIX + spki.subarray(SPKI_PREFIX.length).toString('base64'),
  };
}

function ed25519Sign(secret: string, content: string): string {
  const seed = Buffer.from(secret.slice(ED25519_SECRET_PREFIX.length), 'base64');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return sign(null, Buffer.from(content), key).toString('base64');
}

/** Receiver side of `v1a`: checks one signature against a `whpk_` public key. */
export function verifyEd25519(publicKey: string, msgId: string, timestampSeconds: number, body: string, signatureB64: string): boolean {
  const raw = Buffer.from(publicKey.slice(ED25519_PUBLIC_PREFIX.length), 'base64');
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return verify(null, Buffer.from(`${msgId}.${timestampSeconds}.${body}`), key, Buffer.from(signatureB64, 'base64'));
}

export interface SignInput {
  scheme: SignatureScheme;
  /** Active secrets, newest first (several during a rotation). */
  secrets: readonly string[];
  msgId: string;
  timestampSeconds: number;
  body: string;
  /** For `legacy_sha256`: the header that carries `sha256=<hex>`. */
  signatureHeader?: string | null;
}

/**
 * The signing headers for one attempt. Every scheme sends webhook-id and webhook-timestamp so
 * receivers can dedupe and bound replays; the signature follows the subscription's scheme:
 * Standard Webhooks HMAC (`v1,`), Standard Webhooks ed25519 (`v1a,`), or the legacy
 * `sha256=<hex HMAC of the body>` in a header the subscription names (`legacy_sha256_raw` is the
 * same computation: its stored secret is whsec_ + base64 of the secret string, so the HMAC key is
 * that string's bytes, see rawSecretToStored).
 */
export function signDelivery(input: SignInput): Record<string, string> {
  const { scheme, secrets, msgId, timestampSeconds, body } = input;
  if (secrets.length === 0) throw new RangeError('at least one signing secret is required');
  if (scheme === 'standard') return { ...signStandardWebhook(secrets, msgId, timestampSeconds, body) };
  const base = { 'webhook-id': msgId, 'webhook-timestamp': String(timestampSeconds) };
  if (scheme === 'ed25519') {
    const content = `${msgId}.${timestampSeconds}.${body}`;
    return { ...base, 'webhook-signature': secrets.map((s) => `v1a,${ed25519Sign(s, content)}`).join(' ') };
  }
  const header = input.signatureHeader;
  if (!header) throw new RangeError('the legacy scheme needs a signature header name');
  // One header value per secret would break receivers that compare the whole value; during a
  // rotation the legacy scheme signs with the newest secret only.
  const newest = secrets[0];
  return { ...base, [header.toLowerCase()]: `sha256=${createHmac('sha256', hmacKey(newest)).update(body).digest('hex')}` };
}
