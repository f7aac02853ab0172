import { createHash, createHmac } from 'node:crypto';
import { bytesEqual, refused, type Verification, VERIFIED, verifyStandardWebhookSignature } from './signing.js';

export const PARTNER_PROVIDERS = ['stripe', 'github', 'payfast', 'standard-webhooks', 'hmac'] as const;
export type PartnerProvider = (typeof PARTNER_PROVIDERS)[number];

/** A partner callback as received: the exact body bytes and a case-insensitive header lookup. */
export interface CallbackRequest {
  body: Buffer;
  header(name: string): string | undefined;
}

export const HMAC_ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const;
export const SIGNATURE_ENCODINGS = ['hex', 'base64'] as const;

/** How a generic HMAC sender signs: HMAC(algorithm, secret, body), encoded, prefixed, in a header. */
export interface HmacScheme {
  header: string;
  algorithm: (typeof HMAC_ALGORITHMS)[number];
  encoding: (typeof SIGNATURE_ENCODINGS)[number];
  /** Text before the signature in the header, e.g. `sha256=`; empty for none. */
  prefix: string;
}

/** What verifying one integration's callbacks takes. Secrets are lists: several are valid during a rotation. */
export type PartnerVerifier =
  | { provider: 'stripe'; secrets: readonly string[]; toleranceSeconds: number }
  | { provider: 'github'; secrets: readonly string[] }
  | { provider: 'payfast'; passphrases: readonly string[] }
  | { provider: 'standard-webhooks'; secrets: readonly string[]; toleranceSeconds: number }
  | { provider: 'hmac'; secrets: readonly string[]; scheme: HmacScheme };

export function verifyPartnerSignature(verifier: PartnerVerifier, req: CallbackRequest, nowSeconds: number): Verification {
  switch (verifier.provider) {
    case 'stripe':
      return verifyStripeSignature(req.body, req.header('stripe-signature'), verifier.secrets, nowSeconds, verifier.toleranceSeconds);
    case 'github':
      return verifyGithubSignature(req.body, req.header('x-hub-signature-256'), verifier.secrets);
    case 'payfast':
      return verifyPayfastSignature(parseFormBody(req.body), verifier.passphrases);
    case 'standard-webhooks':
      return verifyStandardWebhookSignature(
        req.body,
        { id: req.header('webhook-id'), timestamp: req.header('webhook-timestamp'), signature: req.header('webhook-signature') },
        verifier.secrets,
        nowSeconds,
        verifier.toleranceSeconds,
      );
    case 'hmac':
      return verifyHmacSignature(req.body, req.header(verifier.scheme.header), verifier.secrets, verifier.scheme);
  }
}

/** The signature header a provider sends, for the audit row (PayFast signs inside the form). */
export function signatureHeaderOf(verifier: PartnerVerifier): string | null {
  switch (verifier.provider) {
    case 'stripe':
      return 'stripe-signature';
    case 'github':
      return 'x-hub-signature-256';
    case 'payfast':
      return null;
    case 'standard-webhooks':
      return 'webhook-signature';
    case 'hmac':
      return verifier.scheme.header;
  }
}

function hmacHex(secret: string, data: Buffer): Buffer {
  return Buffer.from(createHmac('sha256', secret).update(data).digest('hex'));
}

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of `<t>.<body>` keyed by
 * the whole `whsec_…` string. Stripe sends one v1 per active secret while a secret is rolled, so
 * any v1 may match. The signature is checked before the timestamp, so `stale_timestamp` always
 * means a genuine event replayed late.
 */
export function verifyStripeSignature(body: Buffer, header: string | undefined, secrets: readonly string[], nowSeconds: number, toleranceSeconds: number): Verification {
  if (!header) return refused('missing_signature', 'no Stripe-Signature header');
  let timestamp: string | null = null;
  const v1: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') v1.push(Buffer.from(value));
  }
  if (timestamp === null || !/^\d{1,12}$/.test(timestamp) || v1.length === 0) {
    return refused('malformed_signature', 'Stripe-Signature needs t=<unix seconds> and at least one v1=');
  }
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`), body]);
  if (!secrets.some((s) => v1.some((candidate) => bytesEqual(candidate, hmacHex(s, signed))))) {
    return refused('signature_mismatch', 'no v1 signature in Stripe-Signature matches the body');
  }
  const age = Math.abs(nowSeconds - Number(timestamp));
  if (age > toleranceSeconds) return refused('stale_timestamp', `Stripe-Signature t= is ${age} s from now; the tolerance is ${toleranceSeconds} s`);
  return VERIFIED;
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. GitHub signs no timestamp; dedup on X-GitHub-Delivery stops replays. */
export function verifyGithubSignature(body: Buffer, header: string | undefined, secrets: readonly string[]): Verification {
  if (!header) return refused('missing_signature', 'no X-Hub-Signature-256 header');
  if (!/^sha256=[0-9a-f]{64}$/i.test(header)) return refused('malformed_signature', 'X-Hub-Signature-256 must be sha256=<64 hex digits>');
  const got = Buffer.from(header.slice(7).toLowerCase());
  if (!secrets.some((s) => bytesEqual(got, hmacHex(s, body)))) return refused('signature_mismatch', 'X-Hub-Signature-256 does not match the body');
  return VERIFIED;
}

/** A generic HMAC over the body, as an integration's scheme describes it. */
export function verifyHmacSignature(body: Buffer, header: string | undefined, secrets: readonly string[], scheme: HmacScheme): Verification {
  if (!header) return refused('missing_signature', `no ${scheme.header} header`);
  if (!header.startsWith(scheme.prefix)) return refused('malformed_signature', `${scheme.header} must start with "${scheme.prefix}"`);
  const encoded = header.slice(scheme.prefix.length).trim();
  const wellFormed = scheme.encoding === 'hex' ? /^(?:[0-9a-fA-F]{2})+$/.test(encoded) : /^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded);
  if (!wellFormed) return refused('malformed_signature', `${scheme.header} is not ${scheme.encoding}`);
  const got = Buffer.from(encoded, scheme.encoding);
  if (!secrets.some((s) => bytesEqual(got, createHmac(scheme.algorithm, s).update(body).digest()))) {
    return refused('signature_mismatch', `${scheme.header} does not match the body`);
  }
  return VERIFIED;
}

/** One `name=value` of a form body; the value as bytes, exactly as percent-decoded. */
export interface FormField {
  name: string;
  value: Buffer;
}

/**
 * `application/x-www-form-urlencoded` in the order received, values kept as bytes so a
 * signature can be recomputed whatever charset the sender used. `+` is a space; an invalid
 * `%` escape stays as written (as PHP's decoder does, which PayFast's own examples use).
 */
export function parseFormBody(body: Buffer): FormField[] {
  return body
    .toString('latin1')
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
      return { name: percentDecode(name).toString('utf8'), value: percentDecode(value) };
    });
}

function percentDecode(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b) out.push(0x20);
    else if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c);
  }
  return Buffer.from(out);
}

/** PHP's `urlencode`: letters, digits and `-_.` stay; a space is `+`; every other byte is `%XX`, upper case. */
export function phpUrlencode(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const keep = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f || b === 0x2e;
    out += keep ? String.fromCharCode(b) : b === 0x20 ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * PayFast's ITN signature: MD5 (hex) of `name=urlencode(value)` for every field in the order
 * received except `signature`, joined by `&`, then `&passphrase=urlencode(passphrase)`.
 */
export function payfastSignature(fields: readonly FormField[], passphrase: string): string {
  const params = fields.filter((f) => f.name !== 'signature').map((f) => `${f.name}=${phpUrlencode(f.value)}`);
  params.push(`passphrase=${phpUrlencode(Buffer.from(passphrase))}`);
  return createHash('md5').update(params.join('&')).digest('hex');
}

export function verifyPayfastSignature(fields: readonly FormField[], passphrases: readonly string[]): Verification {
  const signature = fields.find((f) => f.name === 'signature')?.value.toString('latin1');
  if (!signature) return refused('missing_signature', 'the ITN has no signature field');
  if (!/^[0-9a-f]{32}$/i.test(signature)) return refused('malformed_signature', 'the ITN signature must be 32 hex digits');
  const got = Buffer.from(signature.toLowerCase());
  if (!passphrases.some((p) => bytesEqual(got, Buffer.from(payfastSignature(fields, p))))) {
    return refused('signature_mismatch', 'the ITN signature does not match its fields and the passphrase');
  }
  return VERIFIED;
}
