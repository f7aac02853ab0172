import { describe, expect, it } from '@jest/globals';
import { OriginDurations } from './origin-durations.js';

describe('OriginDurations', () => {
  it('keeps a moving average per tenant and origin', () => {
    const d = new OriginDurations();
    expect(d.get('a', 'https://h', 0)).toBeNull();
    const first = {};
    d.started('a', 'https://h', first, 0);
    d.ended('a', 'https://h', first, 10_000);
    const second = {};
    d.started('a', 'https://h', second, 0);
    d.ended('a', 'https://h', second, 5000);
    expect(d.get('a', 'https://h', 0)).toBe(9000);
    expect(d.get('b', 'https://h', 0)).toBeNull();
    expect(d.get('a', 'https://other', 0)).toBeNull();
  });

  it('answers with the longest-running attempt before any has ended, or when one runs longer', () => {
    const d = new OriginDurations();
    const slow = {};
    d.started('a', 'o', slow, 1000);
    d.started('a', 'o', {}, 4000);
    expect(d.get('a', 'o', 7000)).toBe(6000);
    d.ended('a', 'o', slow, 6500);
    expect(d.get('a', 'o', 7000)).toBe(6500);
    expect(d.get('a', 'o', 20_000)).toBe(16_000);
  });

  it('forgets an attempt that ended without a duration', () => {
    const d = new OriginDurations();
    const refused = {};
    d.started('a', 'o', refused, 0);
    d.ended('a', 'o', refused, null);
    expect(d.get('a', 'o', 5000)).toBeNull();
  });

  it('drops the least recently updated pair past its bound', () => {
    const d = new OriginDurations(2);
    const run = (origin: string, ms: number) => {
      const attempt = {};
      d.started('a', origin, attempt, 0);
      d.ended('a', origin, attempt, ms);
    };
    run('o1', 1);
    run('o2', 2);
    run('o1', 1);
    run('o3', 3);
    expect(d.get('a', 'o2', 0)).toBeNull();
    expect(d.get('a', 'o1', 0)).toBe(1);
    expect(d.get('a', 'o3', 0)).toBe(3);
  });
});
