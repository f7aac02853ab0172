import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { openSecret, parseKeyring, sealSecret } from './secret-box.js';

const key64 = () => randomBytes(32).toString('base64');

describe('parseKeyring', () => {
  it('reads id:base64 pairs, the first one sealing', () => {
    const a = key64();
    const parsed = parseKeyring(`k2026:${a}, k2025:${key64()}`);
    expect(parsed.ok && parsed.keys.map((k) => k.id)).toEqual(['k2026', 'k2025']);
    expect(parsed.ok && parsed.keys[0]?.key.equals(Buffer.from(a, 'base64'))).toBe(true);
  });

  it('refuses short keys, bad ids, repeats and nothing', () => {
    expect(parseKeyring(`k1:${randomBytes(16).toString('base64')}`)).toMatchObject({ ok: false, message: expect.stringContaining('16 bytes') as unknown });
    expect(parseKeyring(`bad id:${key64()}`)).toMatchObject({ ok: false });
    expect(parseKeyring(key64())).toMatchObject({ ok: false });
    const k = key64();
    expect(parseKeyring(`a:${k},a:${k}`)).toMatchObject({ ok: false, message: 'key id a appears twice' });
    expect(parseKeyring(' , ')).toEqual({ ok: false, message: 'no keys given' });
  });
});

describe('sealSecret / openSecret', () => {
  const parsed = parseKeyring(`a:${key64()},b:${key64()}`);
  if (!parsed.ok) throw new Error(parsed.message);
  const [a, b] = parsed.keys as [(typeof parsed.keys)[number], (typeof parsed.keys)[number]];

  it('round-trips, with a fresh IV each time', () => {
    const one = sealSecret(a, '{"signing_secret":"whsec_x"}', 'int_1/acme');
    const two = sealSecret(a, '{"signing_secret":"whsec_x"}', 'int_1/acme');
    expect(one.equals(two)).toBe(false);
    expect(openSecret(a, one, 'int_1/acme')).toBe('{"signing_secret":"whsec_x"}');
    expect(one.includes(Buffer.from('whsec_x'))).toBe(false);
  });

  it('refuses another key, another row’s context and a flipped bit', () => {
    const sealed = sealSecret(a, 'secret', 'int_1/acme');
    expect(() => openSecret(b, sealed, 'int_1/acme')).toThrow();
    expect(() => openSecret(a, sealed, 'int_2/acme')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(() => openSecret(a, flipped, 'int_1/acme')).toThrow();
  });
});
