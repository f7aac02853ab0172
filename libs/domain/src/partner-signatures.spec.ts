import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import {
  type CallbackRequest,
  type HmacScheme,
  parseFormBody,
  payfastSignature,
  phpUrlencode,
  verifyPartnerSignature,
} from './partner-signatures.js';

// Signatures below come from the providers' own libraries (stripe, @octokit/webhooks-methods,
// standardwebhooks) or, for PayFast (no official Node library), from PHP's urlencode and md5.
const stripe = new Stripe('sk_test_unused');
const request = (body: string | Buffer, headers: Record<string, string> = {}): CallbackRequest => {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { body: Buffer.isBuffer(body) ? body : Buffer.from(body), header: (name) => lower[name.toLowerCase()] };
};
const now = 1_795_000_000;
const reason = (v: ReturnType<typeof verifyPartnerSignature>) => (v.ok ? 'ok' : v.reason);

describe('Stripe-Signature', () => {
  const secret = 'whsec_test_0123456789abcdefghijklmnop';
  const verifier = { provider: 'stripe' as const, secrets: [secret], toleranceSeconds: 300 };
  const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: { amount: 2000 } } });
  const header = (opts: { payload?: string; secret?: string; timestamp?: number } = {}) =>
    stripe.webhooks.generateTestHeaderString({ payload: opts.payload ?? body, secret: opts.secret ?? secret, timestamp: opts.timestamp ?? now });

  it('accepts what stripe signs, within 300 s either way', () => {
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'Stripe-Signature': header() }), now))).toBe('ok');
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'Stripe-Signature': header({ timestamp: now - 300 }) }), now))).toBe('ok');
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'Stripe-Signature': header({ timestamp: now + 300 }) }), now))).toBe('ok');
  });

  it('accepts any of several v1 signatures (a secret being rolled) and either of our secrets', () => {
    const old = header({ secret: 'whsec_old_secret_value_000000000000' });
    const current = header();
    const both = `${current},v1=${old.split('v1=')[1] ?? ''}`;
    expect(reason(verifyPartnerSignature({ ...verifier, secrets: ['whsec_old_secret_value_000000000000'] }, request(body, { 'Stripe-Signature': both }), now))).toBe('ok');
    expect(reason(verifyPartnerSignature({ ...verifier, secrets: ['whsec_unrelated', secret] }, request(body, { 'Stripe-Signature': current }), now))).toBe('ok');
  });

  it('refuses a tampered body, a wrong secret and a stale or future timestamp, each with its reason', () => {
    expect(reason(verifyPartnerSignature(verifier, request(body.replace('2000', '2001'), { 'Stripe-Signature': header() }), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'Stripe-Signature': header({ secret: 'whsec_wrong' }) }), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'Stripe-Signature': header({ timestamp: now - 301 }) }), now))).toBe('stale_timestamp');
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'Stripe-Signature': header({ timestamp: now + 301 }) }), now))).toBe('stale_timestamp');
    // A forged signature with a stale timestamp is a forgery, not a replay.
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'Stripe-Signature': header({ timestamp: now - 301, secret: 'whsec_wrong' }) }), now))).toBe('signature_mismatch');
  });

  it('refuses a missing or malformed header', () => {
    expect(reason(verifyPartnerSignature(verifier, request(body), now))).toBe('missing_signature');
    for (const bad of ['v1=abc', `t=${now}`, `t=soon,v1=${'0'.repeat(64)}`, 'garbage', `t=${now},v0=${'0'.repeat(64)}`]) {
      expect({ bad, reason: reason(verifyPartnerSignature(verifier, request(body, { 'Stripe-Signature': bad }), now)) }).toEqual({ bad, reason: 'malformed_signature' });
    }
  });
});

describe('X-Hub-Signature-256 (GitHub)', () => {
  const secret = "It's a Secret to Everybody";
  const verifier = { provider: 'github' as const, secrets: [secret] };
  const body = JSON.stringify({ action: 'opened', number: 1 });

  it('accepts what @octokit/webhooks-methods signs and refuses a tampered body or a wrong secret', async () => {
    const signature = await githubSign(secret, body);
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'X-Hub-Signature-256': signature }), now))).toBe('ok');
    expect(reason(verifyPartnerSignature(verifier, request(`${body} `, { 'X-Hub-Signature-256': signature }), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'X-Hub-Signature-256': await githubSign('wrong', body) }), now))).toBe('signature_mismatch');
  });

  it('matches GitHub’s documented example', () => {
    // docs.github.com, "Validating webhook deliveries": secret and payload above, "Hello, World!".
    const example = request('Hello, World!', { 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' });
    expect(reason(verifyPartnerSignature(verifier, example, now))).toBe('ok');
  });

  it('refuses a missing header and anything but sha256=<hex>', () => {
    expect(reason(verifyPartnerSignature(verifier, request(body), now))).toBe('missing_signature');
    const sha1 = `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'X-Hub-Signature-256': sha1 }), now))).toBe('malformed_signature');
  });
});

describe('PayFast ITN signature', () => {
  // Computed by PHP 8.2 with PayFast's documented ITN check: urlencode() each value in order,
  // join with &, append &passphrase=urlencode(passphrase), md5. Covers +, %2A, %7E, UTF-8, empty values.
  const passphrase = 'salt & pepper/2024';
  const knownGood =
    'm_payment_id=SuperUnique1&pf_payment_id=1089250&payment_status=COMPLETE&item_name=Jet+Ski+%28Blue%29+%E2%80%93+%22Deluxe%22+50%25+off%2A' +
    '&item_description=Bob%27s+%7Etilde+%26+%3Cangle%3E+%21&amount_gross=200.00&amount_fee=-4.60&amount_net=195.40&custom_str1=&custom_int1=' +
    '&name_first=Zo%C3%AB&name_last=O%27Brien&email_address=zoe%2Btest%40example.com&merchant_id=10000100&signature=46ea05a400dce943ff95e959b313cece';
  const verifier = { provider: 'payfast' as const, passphrases: [passphrase] };

  it('reproduces PHP’s signature for a known-good ITN', () => {
    expect(payfastSignature(parseFormBody(Buffer.from(knownGood)), passphrase)).toBe('46ea05a400dce943ff95e959b313cece');
    expect(reason(verifyPartnerSignature(verifier, request(knownGood), now))).toBe('ok');
  });

  it('encodes exactly as PHP’s urlencode does', () => {
    // php -r 'echo urlencode("a b~*\x27()!é-_.");'
    expect(phpUrlencode(Buffer.from("a b~*'()!é-_."))).toBe('a+b%7E%2A%27%28%29%21%C3%A9-_.');
    // Values are bytes: a Latin-1 form post signs its own bytes, not a UTF-8 re-encoding.
    expect(phpUrlencode(parseFormBody(Buffer.from('x=%E9')).at(0)?.value ?? Buffer.alloc(0))).toBe('%E9');
  });

  it('refuses a changed amount, a wrong passphrase, and a missing or malformed signature', () => {
    expect(reason(verifyPartnerSignature(verifier, request(knownGood.replace('amount_gross=200.00', 'amount_gross=2.00')), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature({ ...verifier, passphrases: ['not it'] }, request(knownGood), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature(verifier, request(knownGood.replace(/&signature=.*$/, '')), now))).toBe('missing_signature');
    expect(reason(verifyPartnerSignature(verifier, request(knownGood.replace(/signature=.*$/, 'signature=xyz')), now))).toBe('malformed_signature');
  });

  it('keeps the order fields arrived in: the same fields reordered do not verify', () => {
    const fields = knownGood.split('&');
    const swapped = [fields[1], fields[0], ...fields.slice(2)].join('&');
    expect(reason(verifyPartnerSignature(verifier, request(swapped), now))).toBe('signature_mismatch');
  });
});

describe('Standard Webhooks', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const verifier = { provider: 'standard-webhooks' as const, secrets: [secret], toleranceSeconds: 300 };
  const body = JSON.stringify({ type: 'invoice.paid', timestamp: '2026-11-22T10:00:00Z', data: { id: 'in_1' } });
  const signed = (at: number, key = secret, payload = body) => ({
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(at),
    'webhook-signature': new Webhook(key).sign('msg_1', new Date(at * 1000), payload),
  });

  it('accepts what the standardwebhooks package signs, with or without the whsec_ prefix on our side', () => {
    expect(reason(verifyPartnerSignature(verifier, request(body, signed(now)), now))).toBe('ok');
    expect(reason(verifyPartnerSignature({ ...verifier, secrets: [secret.slice(6)] }, request(body, signed(now)), now))).toBe('ok');
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp and missing headers', () => {
    expect(reason(verifyPartnerSignature(verifier, request(body.replace('in_1', 'in_2'), signed(now)), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature(verifier, request(body, signed(now, `whsec_${randomBytes(24).toString('base64')}`)), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature(verifier, request(body, signed(now - 301)), now))).toBe('stale_timestamp');
    const { 'webhook-id': _dropped, ...noId } = signed(now);
    expect(reason(verifyPartnerSignature(verifier, request(body, noId), now))).toBe('missing_signature');
    expect(reason(verifyPartnerSignature(verifier, request(body, { ...signed(now), 'webhook-signature': 'v1a,abc' }), now))).toBe('malformed_signature');
  });

  it('verifies the exact bytes, even when they are not UTF-8', () => {
    // Signed by hand per the spec: the standardwebhooks package decodes a Buffer as UTF-8 first.
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const mac = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(Buffer.concat([Buffer.from(`msg_2.${now}.`), bytes])).digest('base64');
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(now), 'webhook-signature': `v1,${mac}` };
    expect(reason(verifyPartnerSignature(verifier, request(Buffer.from(bytes.toString('utf8')), headers), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature(verifier, request(bytes, headers), now))).toBe('ok');
  });
});

describe('generic HMAC', () => {
  const secret = 'shpss_0123456789';
  const body = '{"id":1,"topic":"orders/create"}';
  const cases: Array<[HmacScheme, string]> = [
    [{ header: 'X-Shopify-Hmac-Sha256', algorithm: 'sha256', encoding: 'base64', prefix: '' }, createHmac('sha256', secret).update(body).digest('base64')],
    [{ header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }, `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`],
    [{ header: 'X-Signature', algorithm: 'sha1', encoding: 'hex', prefix: '' }, createHmac('sha1', secret).update(body).digest('hex').toUpperCase()],
    [{ header: 'X-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'v1=' }, `v1=${createHmac('sha512', secret).update(body).digest('base64')}`],
  ];

  it.each(cases)('verifies %o', (scheme, header) => {
    const verifier = { provider: 'hmac' as const, secrets: [secret], scheme };
    expect(reason(verifyPartnerSignature(verifier, request(body, { [scheme.header]: header }), now))).toBe('ok');
    expect(reason(verifyPartnerSignature(verifier, request(`${body}\n`, { [scheme.header]: header }), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature({ ...verifier, secrets: ['other'] }, request(body, { [scheme.header]: header }), now))).toBe('signature_mismatch');
    expect(reason(verifyPartnerSignature(verifier, request(body), now))).toBe('missing_signature');
  });

  it('refuses a wrong prefix and a signature that is not in the configured encoding', () => {
    const scheme: HmacScheme = { header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' };
    const verifier = { provider: 'hmac' as const, secrets: [secret], scheme };
    const hex = createHmac('sha256', secret).update(body).digest('hex');
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'X-Signature': `sha1=${hex}` }), now))).toBe('malformed_signature');
    expect(reason(verifyPartnerSignature(verifier, request(body, { 'X-Signature': 'sha256=not-hex!' }), now))).toBe('malformed_signature');
  });
});
