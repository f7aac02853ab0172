import { describe, expect, it } from '@jest/globals';
import { OriginDurations } from './origin-durations.js';

describe('OriginDurations', () => {
  it('keeps a moving average per tenant and origin', () => {
    const d = new OriginDurations();
    expect(d.get('a', 'https://h')).toBeNull();
    d.observe('a', 'https://h', 10_000);
    d.observe('a', 'https://h', 5000);
    expect(d.get('a', 'https://h')).toBe(9000);
    expect(d.get('b', 'https://h')).toBeNull();
    expect(d.get('a', 'https://other')).toBeNull();
  });

  it('drops the least recently updated pair past its bound', () => {
    const d = new OriginDurations(2);
    d.observe('a', 'o1', 1);
    d.observe('a', 'o2', 2);
    d.observe('a', 'o1', 1);
    d.observe('a', 'o3', 3);
    expect(d.get('a', 'o2')).toBeNull();
    expect(d.get('a', 'o1')).toBe(1);
    expect(d.get('a', 'o3')).toBe(3);
  });
});
