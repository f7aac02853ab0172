import { describe, expect, it } from '@jest/globals';
import { deliveryId } from './delivery-id.js';

/** RFC 4122 layout: 8-4-4-4-12 lowercase hex, version 5 nibble, variant bits 10xx. */
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SUB = '0b7e4a34-6d54-4f6e-9d0e-3c1f2a3b4c5d';

describe('deliveryId', () => {
  it('is stable across releases: stored ids depend on this exact derivation', () => {
    // First 16 bytes of sha256("acme\0evt_1\0<sub>") with the version and variant bits set.
    expect(deliveryId('acme', 'evt_1', SUB)).toBe('18703b80-40bd-5606-939a-8107a833b97d');
  });

  it('is deterministic', () => {
    expect(deliveryId('acme', 'evt_1', SUB)).toBe(deliveryId('acme', 'evt_1', SUB));
  });

  it('differs when any one input differs', () => {
    const base = deliveryId('acme', 'evt_1', SUB);
    const others = [
      deliveryId('acme2', 'evt_1', SUB),
      deliveryId('acme', 'evt_2', SUB),
      deliveryId('acme', 'evt_1', '0b7e4a34-6d54-4f6e-9d0e-3c1f2a3b4c5e'),
      deliveryId('Acme', 'evt_1', SUB),
    ];
    for (const other of others) expect(other).not.toBe(base);
    expect(new Set(others).size).toBe(others.length);
  });

  it('depends on the position of each input, not just their concatenation', () => {
    expect(deliveryId('a', 'bc', 'x')).not.toBe(deliveryId('ab', 'c', 'x'));
    expect(deliveryId('x', 'a', 'bc')).not.toBe(deliveryId('x', 'ab', 'c'));
    expect(deliveryId('a', 'b', 'c')).not.toBe(deliveryId('b', 'a', 'c'));
    expect(deliveryId('a', '', 'b')).not.toBe(deliveryId('', 'a', 'b'));
  });

  it('is a valid RFC 4122 version 5 UUID string', () => {
    const ids = [deliveryId('acme', 'evt_1', SUB), deliveryId('', '', ''), deliveryId('t', 'e'.repeat(128), 's'), deliveryId('ü', '✓', '\n')];
    for (const id of ids) {
      expect(id).toMatch(UUID_V5);
      expect(id).toHaveLength(36);
    }
  });

  it('keeps the version and variant fixed across many inputs', () => {
    const ids = Array.from({ length: 200 }, (_, i) => deliveryId('acme', `evt_${i}`, SUB));
    expect(ids.every((id) => UUID_V5.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(200);
  });
});
