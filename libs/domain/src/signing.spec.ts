import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { activeSecrets, formatSecret, hmacKey, MIN_SECRET_BYTES, secretKey, signStandardWebhook, standardSignature, verifyStandardWebhook } from './signing.js';

const body = JSON.stringify({ id: 'evt_1', type: 'order.placed', timestamp: '2026-11-22T10:00:00Z', data: { a: 1 } });
const newSecret = () => formatSecret(randomBytes(32));
const parts = (h: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string }) => ({
  id: h['webhook-id'],
  timestamp: h['webhook-timestamp'],
  signature: h['webhook-signature'],
});

describe('formatSecret', () => {
  it('is whsec_ followed by the base64 of exactly the given bytes', () => {
    const bytes = Buffer.from(Array.from({ length: 24 }, (_, i) => i));
    expect(formatSecret(bytes)).toBe('whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX');
    expect(formatSecret(Buffer.alloc(24, 0xff))).toBe(`whsec_${'/'.repeat(32)}`);
  });

  it('accepts 24 bytes or more and round-trips through secretKey', () => {
    expect(MIN_SECRET_BYTES).toBe(24);
    for (const n of [24, 32, 64]) {
      const bytes = randomBytes(n);
      const secret = formatSecret(bytes);
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      expect(secretKey(secret).equals(bytes)).toBe(true);
    }
  });

  it.each([0, 1, 16, 23])('refuses %s bytes', (n) => {
    expect(() => formatSecret(randomBytes(n))).toThrow(RangeError);
  });
});

describe('secretKey', () => {
  it('refuses secrets without the whsec_ prefix', () => {
    expect(() => secretKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toThrow(RangeError);
    expect(() => secretKey('whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toThrow(RangeError);
  });
});

describe('standardSignature', () => {
  it('matches the Standard Webhooks reference test vector', () => {
    expect(standardSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('agrees with the standardwebhooks package signer', () => {
    const secret = newSecret();
    const ts = 1_795_000_000;
    expect(standardSignature(secret, 'msg_1', ts, body)).toBe(new Webhook(secret).sign('msg_1', new Date(ts * 1000), body));
  });

  it('changes with the id, the timestamp, the body and the secret', () => {
    const secret = newSecret();
    const base = standardSignature(secret, 'msg_1', 1000, body);
    expect(standardSignature(secret, 'msg_2', 1000, body)).not.toBe(base);
    expect(standardSignature(secret, 'msg_1', 1001, body)).not.toBe(base);
    expect(standardSignature(secret, 'msg_1', 1000, `${body} `)).not.toBe(base);
    expect(standardSignature(newSecret(), 'msg_1', 1000, body)).not.toBe(base);
  });

  it('builds each secret\'s key once, and keeps keys of different secrets apart', () => {
    const [a, b] = [newSecret(), newSecret()];
    expect(hmacKey(a)).toBe(hmacKey(a));
    expect(hmacKey(a)).not.toBe(hmacKey(b));
    // Signed again through the cached key, against the package (which builds its own each time).
    expect(standardSignature(b, 'msg_1', 1000, body)).toBe(new Webhook(b).sign('msg_1', new Date(1000 * 1000), body));
  });
});

describe('signStandardWebhook, verified by the official standardwebhooks package', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('sends webhook-id, webhook-timestamp and one v1 signature', () => {
    const secret = newSecret();
    const ts = now();
    const headers = signStandardWebhook([secret], 'evt_1', ts, body);
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-timestamp']).toBe(String(ts));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('during a rotation sends one signature per secret, each verifiable by a receiver that knows only that secret', () => {
    const secrets = [newSecret(), newSecret(), newSecret()];
    const headers = signStandardWebhook(secrets, 'evt_1', now(), body);
    const sigs = headers['webhook-signature'].split(' ');
    expect(sigs).toHaveLength(3);
    expect(new Set(sigs).size).toBe(3);
    expect(sigs.every((s) => s.startsWith('v1,'))).toBe(true);
    for (const secret of secrets) {
      expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    }
    expect(() => new Webhook(newSecret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('fails official verification when the body or the id is changed', () => {
    const secret = newSecret();
    const headers = signStandardWebhook([secret], 'evt_1', now(), body);
    expect(() => new Webhook(secret).verify(body.replace('"a":1', '"a":2'), { ...headers })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow(WebhookVerificationError);
  });

  it('fails official verification when signed more than five minutes ago', () => {
    const secret = newSecret();
    const headers = signStandardWebhook([secret], 'evt_1', now() - 600, body);
    expect(() => new Webhook(secret).verify(body, { ...headers })).toThrow('Message timestamp too old');
  });

  it('needs at least one secret', () => {
    expect(() => signStandardWebhook([], 'evt_1', now(), body)).toThrow(RangeError);
  });
});

describe('verifyStandardWebhook', () => {
  const ts = 1_795_000_000;
  const secret = newSecret();
  const signed = parts(signStandardWebhook([secret], 'evt_1', ts, body));

  it('accepts what signStandardWebhook produced, within the tolerance either side', () => {
    expect(verifyStandardWebhook(secret, signed, body, ts)).toBe(true);
    expect(verifyStandardWebhook(secret, signed, body, ts + 300)).toBe(true);
    expect(verifyStandardWebhook(secret, signed, body, ts - 300)).toBe(true);
  });

  it('accepts a signature made by the standardwebhooks package', () => {
    const signature = new Webhook(secret).sign('evt_1', new Date(ts * 1000), body);
    expect(verifyStandardWebhook(secret, { id: 'evt_1', timestamp: String(ts), signature }, body, ts)).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verifyStandardWebhook(secret, signed, `${body} `, ts)).toBe(false);
    expect(verifyStandardWebhook(secret, signed, body.replace('evt_1', 'evt_2'), ts)).toBe(false);
  });

  it('rejects the wrong secret', () => {
    expect(verifyStandardWebhook(newSecret(), signed, body, ts)).toBe(false);
  });

  it('rejects a changed id or timestamp', () => {
    expect(verifyStandardWebhook(secret, { ...signed, id: 'evt_2' }, body, ts)).toBe(false);
    expect(verifyStandardWebhook(secret, { ...signed, timestamp: String(ts + 1) }, body, ts)).toBe(false);
  });

  it('rejects a timestamp outside the tolerance, in the past or the future', () => {
    expect(verifyStandardWebhook(secret, signed, body, ts + 301)).toBe(false);
    expect(verifyStandardWebhook(secret, signed, body, ts - 301)).toBe(false);
    expect(verifyStandardWebhook(secret, signed, body, ts + 60, 30)).toBe(false);
    expect(verifyStandardWebhook(secret, signed, body, ts + 60, 60)).toBe(true);
  });

  it.each(['', 'soon', '1795000000.5', '-'])('rejects a malformed timestamp %j', (timestamp) => {
    expect(verifyStandardWebhook(secret, { ...signed, timestamp }, body, ts)).toBe(false);
  });

  it('finds the one signature it knows among several, in any position', () => {
    const other = newSecret();
    const rotated = parts(signStandardWebhook([other, secret], 'evt_1', ts, body));
    expect(verifyStandardWebhook(secret, rotated, body, ts)).toBe(true);
    expect(verifyStandardWebhook(other, rotated, body, ts)).toBe(true);
    const withForeign = { ...signed, signature: `v1a,AAAA ${signed.signature} v2,BBBB` };
    expect(verifyStandardWebhook(secret, withForeign, body, ts)).toBe(true);
  });

  it('rejects a bare MAC without the v1, prefix and an empty signature', () => {
    expect(verifyStandardWebhook(secret, { ...signed, signature: signed.signature.slice(3) }, body, ts)).toBe(false);
    expect(verifyStandardWebhook(secret, { ...signed, signature: '' }, body, ts)).toBe(false);
  });
});

describe('activeSecrets', () => {
  const at = new Date('2026-11-22T10:00:00Z');
  const secrets = [
    { secret: 'whsec_new', expires_at: null },
    { secret: 'whsec_old', expires_at: '2026-11-22T11:00:00Z' },
    { secret: 'whsec_older', expires_at: '2026-11-22T09:00:00Z' },
  ];

  it('keeps secrets that never expire or expire later, in order, and drops expired ones', () => {
    expect(activeSecrets(secrets, at)).toEqual(['whsec_new', 'whsec_old']);
    expect(activeSecrets(secrets, new Date('2026-11-22T12:00:00Z'))).toEqual(['whsec_new']);
    expect(activeSecrets(secrets, new Date('2026-11-22T08:00:00Z'))).toEqual(['whsec_new', 'whsec_old', 'whsec_older']);
  });

  it('treats a secret as expired from the instant its window closes', () => {
    const one = [{ secret: 'whsec_old', expires_at: '2026-11-22T10:00:00.000Z' }];
    expect(activeSecrets(one, new Date('2026-11-22T09:59:59.999Z'))).toEqual(['whsec_old']);
    expect(activeSecrets(one, new Date('2026-11-22T10:00:00.000Z'))).toEqual([]);
  });

  it('understands expiry instants written with an offset', () => {
    const one = [{ secret: 'whsec_old', expires_at: '2026-11-22T11:30:00+02:00' }];
    expect(activeSecrets(one, at)).toEqual([]);
  });

  it('can return nothing, and signing then refuses', () => {
    const expired = activeSecrets([{ secret: 'whsec_old', expires_at: '2026-01-01T00:00:00Z' }], at);
    expect(expired).toEqual([]);
    expect(() => signStandardWebhook(expired, 'evt_1', 0, body)).toThrow(RangeError);
  });
});
