import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { isSealedForChangelog, openAtRest, openFromChangelog, sealAtRest, sealForChangelog } from './signing-secret-seal.js';

const k = (id: string) => ({ id, key: randomBytes(32) });
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

describe('signing secrets sealed at rest', () => {
  it('opens with any key of the ring, bound to its subscription and secret id', () => {
    const [old, next] = [k('old'), k('new')];
    const row = sealAtRest([old], 'sub-1', 'sec-1', SECRET);
    expect(row.keyId).toBe('old');
    expect(row.sealed.toString('latin1')).not.toContain(SECRET);
    expect(openAtRest([next, old], 'sub-1', 'sec-1', row)).toBe(SECRET);
    expect(() => openAtRest([next, old], 'sub-2', 'sec-1', row)).toThrow();
    expect(() => openAtRest([next, old], 'sub-1', 'sec-2', row)).toThrow();
    expect(() => openAtRest([next], 'sub-1', 'sec-1', row)).toThrow(/"old" .* not in the keyring/);
  });
});

describe('signing secrets sealed for the changelog', () => {
  it('travels as hsx1.<key>.<base64>, opens only for the same subscription and secret, never equal twice', () => {
    const ring = [k('c1')];
    const a = sealForChangelog(ring, 'sub-1', 'sec-1', SECRET);
    const b = sealForChangelog(ring, 'sub-1', 'sec-1', SECRET);
    expect(a).toMatch(/^hsx1\.c1\.[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SECRET.slice(6));
    expect(isSealedForChangelog(a)).toBe(true);
    expect(isSealedForChangelog(SECRET)).toBe(false);
    expect(openFromChangelog(ring, 'sub-1', 'sec-1', a)).toBe(SECRET);
    expect(() => openFromChangelog(ring, 'sub-2', 'sec-1', a)).toThrow();
    expect(() => openFromChangelog([k('c2')], 'sub-1', 'sec-1', a)).toThrow(/"c1" is not in CHANGELOG_SECRETS_KEYS/);
    expect(() => openFromChangelog(ring, 'sub-1', 'sec-1', 'hsx1.nodot')).toThrow(/malformed/);
    // One flipped character of the ciphertext: refused, never a wrong secret.
    const tampered = a.slice(0, -3) + (a.at(-3) === 'A' ? 'B' : 'A') + a.slice(-2);
    expect(() => openFromChangelog(ring, 'sub-1', 'sec-1', tampered)).toThrow();
  });
});
