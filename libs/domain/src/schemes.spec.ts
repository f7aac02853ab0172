import { createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { customHeaderProblems } from './headers.js';
import { ed25519KeyPair, signDelivery, verifyEd25519 } from './schemes.js';
import { formatSecret, rawSecretToStored, secretKey, storedToRawSecret } from './signing.js';

const body = '{"id":"evt_1","type":"order.placed","timestamp":"2026-11-22T10:00:00.000Z","data":{}}';
const ts = 1_795_000_000;

describe('signDelivery', () => {
  it('standard: verifies with the standardwebhooks package', () => {
    const secret = formatSecret(randomBytes(32));
    const headers = signDelivery({ scheme: 'standard', secrets: [secret], msgId: 'evt_1', timestampSeconds: Math.floor(Date.now() / 1000), body });
    expect(new Webhook(secret).verify(body, headers)).toBeTruthy();
  });

  it('ed25519: v1a signatures verify with node:crypto against the whpk_ public key, one per active key', () => {
    const a = ed25519KeyPair(randomBytes(32));
    const b = ed25519KeyPair(randomBytes(32));
    expect(a.secret).toMatch(/^whsk_/);
    expect(a.publicKey).toMatch(/^whpk_/);
    const headers = signDelivery({ scheme: 'ed25519', secrets: [a.secret, b.secret], msgId: 'evt_1', timestampSeconds: ts, body });
    const sigs = (headers['webhook-signature'] ?? '').split(' ');
    expect(sigs).toHaveLength(2);
    expect(sigs.every((s) => s.startsWith('v1a,'))).toBe(true);
    const [sigA, sigB] = sigs.map((s) => s.slice(4)) as [string, string];
    expect(verifyEd25519(a.publicKey, 'evt_1', ts, body, sigA)).toBe(true);
    expect(verifyEd25519(b.publicKey, 'evt_1', ts, body, sigB)).toBe(true);
    expect(verifyEd25519(a.publicKey, 'evt_1', ts, `${body} `, sigA)).toBe(false);
    // Independently of our helper: raw SPKI from the public key, node:crypto verify.
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(a.publicKey.slice(5), 'base64')]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(`evt_1.${ts}.${body}`), key, Buffer.from(sigA, 'base64'))).toBe(true);
  });

  it('legacy: sha256=<hex HMAC of the body> in the named header, with the newest secret', () => {
    const newest = formatSecret(randomBytes(32));
    const older = formatSecret(randomBytes(32));
    const headers = signDelivery({ scheme: 'legacy_sha256', secrets: [newest, older], msgId: 'evt_1', timestampSeconds: ts, body, signatureHeader: 'X-Partner-Signature' });
    expect(headers['x-partner-signature']).toBe(`sha256=${createHmac('sha256', secretKey(newest)).update(body).digest('hex')}`);
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-signature']).toBeUndefined();
    expect(() => signDelivery({ scheme: 'legacy_sha256', secrets: [newest], msgId: 'e', timestampSeconds: ts, body })).toThrow(RangeError);
  });

  it('legacy raw: keyed by the secret string itself, as a receiver written to seed 004 computes it', () => {
    const raw = 'beema_webhook_secret_2f9e5b1d7c10aa!';
    const stored = rawSecretToStored(raw);
    expect(stored).toMatch(/^whsec_/);
    expect(storedToRawSecret(stored)).toBe(raw);
    const headers = signDelivery({ scheme: 'legacy_sha256_raw', secrets: [stored], msgId: 'evt_1', timestampSeconds: ts, body, signatureHeader: 'X-Beema-Signature' });
    // Seed 004's receiver: crypto.createHmac('sha256', stored_secret) over the body, hex, "sha256=" before it.
    const receiver = `sha256=${createHmac('sha256', raw).update(body).digest('hex')}`;
    expect(headers['x-beema-signature']).toBe(receiver);
  });

  it('legacy raw: takes 24-500 printable ASCII characters, nothing else', () => {
    for (const bad of ['short', 'has a space in it, 24 chars+', 'x'.repeat(23), 'x'.repeat(501), `${'x'.repeat(30)}\u0000`, 'é'.repeat(30)]) {
      expect(() => rawSecretToStored(bad)).toThrow(RangeError);
    }
    expect(storedToRawSecret(rawSecretToStored('x'.repeat(500)))).toBe('x'.repeat(500));
  });
});

describe('customHeaderProblems', () => {
  it('accepts ordinary headers', () => {
    expect(customHeaderProblems({ 'X-Tenant': 'acme', Authorization: 'Bearer partner-token' })).toEqual([]);
  });

  it.each(['Connection', 'Transfer-Encoding', 'Host', 'Content-Length', 'Content-Type', 'Upgrade', 'Proxy-Authorization', 'Webhook-Signature', 'webhook-id', 'Traceparent', 'TE', 'Keep-Alive'])(
    'refuses %s',
    (name) => {
      expect(customHeaderProblems({ [name]: 'x' }).map((p) => p.path)).toEqual([`headers.${name}`]);
    },
  );

  it('refuses the signature header, bad names, line breaks and too many headers', () => {
    expect(customHeaderProblems({ 'X-Sig': 'x' }, 'x-sig')).toHaveLength(1);
    expect(customHeaderProblems({ 'Bad Name': 'x' })).toHaveLength(1);
    expect(customHeaderProblems({ 'X-A': 'a\r\nX-Injected: 1' })).toHaveLength(1);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
    expect(customHeaderProblems(many).some((p) => p.path === 'headers')).toBe(true);
  });
});
