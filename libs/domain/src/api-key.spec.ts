import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { apiKeyMatches, constantTimeEqual, formatApiKey, hashApiKey, parseApiKey } from './api-key.js';

const ID = 'abcdefgh01234567';
const SECRET = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));

describe('formatApiKey', () => {
  it('is hsk_<id>_<base64url of the 32 secret bytes>', () => {
    const key = formatApiKey(ID, SECRET);
    expect(key).toBe(`hsk_${ID}_${SECRET.toString('base64url')}`);
    expect(key).toMatch(/^hsk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
  });

  it.each(['short', 'ABCDEFGH01234567', 'abcdefgh0123456_', 'abcdefgh012345678'])('refuses the id %j', (id) => {
    expect(() => formatApiKey(id, SECRET)).toThrow(RangeError);
  });

  it.each([0, 16, 31, 33])('refuses a %s-byte secret', (n) => {
    expect(() => formatApiKey(ID, Buffer.alloc(n))).toThrow(RangeError);
  });
});

describe('parseApiKey', () => {
  it('finds the id in a well-formed key', () => {
    const key = formatApiKey(ID, SECRET);
    expect(parseApiKey(key)).toEqual({ id: ID, full: key });
  });

  it('reads keys whose secret uses - and _', () => {
    const key = formatApiKey(ID, Buffer.alloc(32, 0xfb));
    expect(key).toMatch(/[-_]/);
    expect(parseApiKey(key)?.id).toBe(ID);
  });

  it.each([
    '',
    'hsk_',
    `hsk_${ID}`,
    `hsk_${ID}_`,
    `HSK_${ID}_${'A'.repeat(43)}`,
    `hsk_${ID}_${'A'.repeat(42)}`,
    `hsk_${ID}_${'A'.repeat(44)}`,
    `hsk_${ID.toUpperCase()}_${'A'.repeat(43)}`,
    `hsk_${ID}_${'A'.repeat(42)}=`,
    ` hsk_${ID}_${'A'.repeat(43)}`,
    `hsk_${ID}_${'A'.repeat(43)}\n`,
    `Bearer hsk_${ID}_${'A'.repeat(43)}`,
  ])('refuses %j', (raw) => {
    expect(parseApiKey(raw)).toBeNull();
  });
});

describe('hashApiKey and apiKeyMatches', () => {
  const key = formatApiKey(ID, SECRET);

  it('stores the SHA-256 of the whole key', () => {
    expect(hashApiKey(key).toString('hex')).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashApiKey(key)).toHaveLength(32);
  });

  it('matches the key it was made from and nothing else', () => {
    const stored = hashApiKey(key);
    expect(apiKeyMatches(key, stored)).toBe(true);
    expect(apiKeyMatches(formatApiKey(ID, Buffer.alloc(32)), stored)).toBe(false);
    expect(apiKeyMatches(`${key}x`, stored)).toBe(false);
  });

  it('does not throw on a stored hash of the wrong length', () => {
    expect(apiKeyMatches(key, Buffer.alloc(16))).toBe(false);
    expect(apiKeyMatches(key, Buffer.alloc(0))).toBe(false);
  });
});

describe('constantTimeEqual', () => {
  it.each([
    ['secret', 'secret', true],
    ['secret', 'Secret', false],
    ['secret', 'secret2', false],
    ['', '', true],
    ['', 'a', false],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });
});
