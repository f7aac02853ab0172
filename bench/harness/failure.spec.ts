import { describe, expect, it } from '@jest/globals';
import { failsFirstAttempt, fnv1a } from './failure.ts';

describe('failsFirstAttempt', () => {
  it('matches the FNV-1a reference values', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('fails about the asked fraction of keys, the same ones every time', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `evt_${i} /s/c${i % 72}`);
    const failing = keys.filter((k) => failsFirstAttempt(k, 0.5));
    expect(failing.length / keys.length).toBeGreaterThan(0.48);
    expect(failing.length / keys.length).toBeLessThan(0.52);
    expect(keys.filter((k) => failsFirstAttempt(k, 0.5))).toEqual(failing);
  });

  it('fails nothing at 0 and everything at 1', () => {
    expect(failsFirstAttempt('x', 0)).toBe(false);
    expect(failsFirstAttempt('x', 1)).toBe(true);
  });
});
