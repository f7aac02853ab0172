import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { activeSecrets, formatSecret, signStandardWebhook, verifyStandardWebhook } from './signing.js';

describe('Standard Webhooks signing', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'order.placed', timestamp: '2026-11-22T10:00:00Z', data: { a: 1 } });
  const now = Math.floor(Date.now() / 1000);

  it('produces whsec_ secrets from at least 24 random bytes', () => {
    expect(formatSecret(randomBytes(24))).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(() => formatSecret(randomBytes(23))).toThrow(RangeError);
  });

  it('verifies with the official standardwebhooks package', () => {
    const secret = formatSecret(randomBytes(32));
    const headers = signStandardWebhook([secret], 'evt_1', now, body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('sends one signature per active secret during a rotation, and each receiver verifies with the one it knows', () => {
    const oldSecret = formatSecret(randomBytes(32));
    const newSecret = formatSecret(randomBytes(32));
    const headers = signStandardWebhook([newSecret, oldSecret], 'evt_1', now, body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(body, { ...headers })).toBeTruthy();
    expect(new Webhook(newSecret).verify(body, { ...headers })).toBeTruthy();
    expect(() => new Webhook(formatSecret(randomBytes(32))).verify(body, { ...headers })).toThrow();
  });

  it('rejects a changed body, another secret, or a stale timestamp', () => {
    const secret = formatSecret(randomBytes(32));
    const h = signStandardWebhook([secret], 'evt_1', now, body);
    const parts = { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] };
    expect(verifyStandardWebhook(secret, parts, body, now)).toBe(true);
    expect(verifyStandardWebhook(secret, parts, `${body} `, now)).toBe(false);
    expect(verifyStandardWebhook(formatSecret(randomBytes(32)), parts, body, now)).toBe(false);
    expect(verifyStandardWebhook(secret, parts, body, now + 301)).toBe(false);
  });

  it('keeps a rotated-out secret only until its window closes', () => {
    const at = new Date('2026-11-22T10:00:00Z');
    const secrets = [
      { secret: 'whsec_new', expires_at: null },
      { secret: 'whsec_old', expires_at: '2026-11-22T11:00:00Z' },
      { secret: 'whsec_older', expires_at: '2026-11-22T09:00:00Z' },
    ];
    expect(activeSecrets(secrets, at)).toEqual(['whsec_new', 'whsec_old']);
    expect(activeSecrets(secrets, new Date('2026-11-22T12:00:00Z'))).toEqual(['whsec_new']);
  });
});
