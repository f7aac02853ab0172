import { describe, expect, it } from '@jest/globals';
import { EventIdGenerator, eventIdTime } from './ids.js';

const fixedRandom = (fill: number) => (n: number) => new Uint8Array(n).fill(fill);

describe('EventIdGenerator', () => {
  it('makes evt_ + 26 Crockford base32 characters that carry the millisecond', () => {
    const gen = new EventIdGenerator(fixedRandom(7), () => 1_700_000_000_123);
    const id = gen.next();
    expect(id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(eventIdTime(id)).toBe(1_700_000_000_123);
  });

  it('sorts by time, and counts up within one millisecond', () => {
    let now = 1_000;
    const gen = new EventIdGenerator(fixedRandom(200), () => now);
    const ids = [gen.next(), gen.next(), gen.next()];
    now = 1_001;
    ids.push(gen.next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it('keeps order when the clock steps back', () => {
    let now = 5_000;
    const gen = new EventIdGenerator(fixedRandom(1), () => now);
    const first = gen.next();
    now = 4_000;
    const second = gen.next();
    expect(second > first).toBe(true);
    expect(eventIdTime(second)).toBe(5_000);
  });

  it('moves to the next millisecond when the random part would overflow', () => {
    const gen = new EventIdGenerator(fixedRandom(255), () => 9_000);
    const first = gen.next();
    const second = gen.next();
    expect(second > first).toBe(true);
    expect(eventIdTime(second)).toBe(9_001);
  });

  it('refuses what is not one of its ids', () => {
    expect(() => eventIdTime('evt_abc')).toThrow(RangeError);
  });
});
