import { describe, expect, it } from '@jest/globals';
import { ReplayPacer } from './replay-pacer.js';

/** A small seeded PRNG, so every simulated run is the same run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The most values in any half-open window [t, t + windowMs). */
function maxInWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i] ?? 0;
    if (j < i) j = i;
    while (j < sorted.length && (sorted[j] ?? 0) < start + windowMs) j++;
    max = Math.max(max, j - i);
  }
  return max;
}

interface Dispatcher {
  /** When the dispatcher starts the attempt of a message produced at `producedAt`. */
  attemptAt(producedAt: number): number;
  /** How long after the attempt started the job learns of it (null: never). */
  seenAfter(): number | null;
}

/**
 * Runs a job of `count` replays against a simulated dispatcher on a virtual clock, the way the
 * job runner drives the pacer: ask, produce or wait, and feed back the attempts it has seen.
 */
function simulate(pacer: ReplayPacer, count: number, dispatcher: Dispatcher, limitMs = 600_000) {
  const produced: number[] = [];
  const attempts: number[] = [];
  const sightings: Array<{ key: string; attemptAt: number; seenAt: number }> = [];
  let now = 0;
  let next = 0;
  while ((next < count || pacer.inFlightCount > 0) && now < limitMs) {
    for (let i = sightings.length - 1; i >= 0; i--) {
      const s = sightings[i];
      if (s && s.seenAt <= now) {
        pacer.landed(s.key, s.attemptAt);
        sightings.splice(i, 1);
      }
    }
    const verdict = pacer.next(now);
    if (verdict.allowed > 0 && next < count) {
      const keys: string[] = [];
      for (let i = 0; i < verdict.allowed && next < count; i++) keys.push(`d${next++}`);
      pacer.produced(keys, now);
      for (const key of keys) {
        produced.push(now);
        const at = Math.max(now, dispatcher.attemptAt(now));
        attempts.push(at);
        const seen = dispatcher.seenAfter();
        if (seen !== null) sightings.push({ key, attemptAt: at, seenAt: at + seen });
      }
      continue;
    }
    if (next >= count && pacer.inFlightCount === 0) break;
    now += Math.max(1, Math.min(verdict.waitMs ?? 20, 20));
  }
  return { produced, attempts, sent: next, endedAt: now };
}

/** A dispatcher that usually takes 5-40 ms, and now and then stalls for 300 ms (a GC, a slow commit). */
function stallingDispatcher(seed: number): Dispatcher {
  const rnd = random(seed);
  const stalls: Array<[number, number]> = [];
  for (let t = 700; t < 600_000; t += 900 + Math.floor(rnd() * 1500)) stalls.push([t, t + 300]);
  return {
    attemptAt: (producedAt) => {
      const base = producedAt + 5 + Math.floor(rnd() * 35);
      const stall = stalls.find(([from, to]) => base >= from && base < to);
      return stall ? stall[1] + Math.floor(rnd() * 3) : base;
    },
    seenAfter: () => 10 + Math.floor(rnd() * 70),
  };
}

describe('ReplayPacer', () => {
  it('never lets a receiver see more than the rate in any second, through dispatcher stalls', () => {
    const pacer = new ReplayPacer({ ratePerSecond: 400, inFlightTimeoutMs: 120_000 });
    const run = simulate(pacer, 10_000, stallingDispatcher(7));
    expect(run.sent).toBe(10_000);
    expect(maxInWindow(run.attempts)).toBeLessThanOrEqual(400);
    // Waiting for the dispatcher costs some throughput, not most of it.
    expect(run.endedAt).toBeLessThan((10_000 / 400) * 1000 * 1.6);
  });

  it('is needed: pacing only what is produced lets a stalled dispatcher burst past the rate', () => {
    const openLoop = new ReplayPacer({ ratePerSecond: 400, inFlightTimeoutMs: 0 });
    const run = simulate(openLoop, 10_000, stallingDispatcher(7));
    expect(maxInWindow(run.produced)).toBeLessThanOrEqual(400);
    expect(maxInWindow(run.attempts)).toBeGreaterThan(400);
  });

  it('with no dispatcher feedback (timeout 0) produces at most the rate per window, evenly, at close to the rate', () => {
    const pacer = new ReplayPacer({ ratePerSecond: 250, inFlightTimeoutMs: 0 });
    const run = simulate(pacer, 2_000, { attemptAt: (p) => p, seenAfter: () => null });
    expect(maxInWindow(run.produced)).toBeLessThanOrEqual(250);
    expect(maxInWindow(run.produced, 100)).toBeLessThanOrEqual(Math.ceil(250 / 10) + pacer.batchSize);
    expect(run.endedAt).toBeGreaterThanOrEqual(7_900);
    expect(run.endedAt).toBeLessThan(8_600);
  });

  it('keeps its rate when producing each batch is slow, with larger batches, never over the rate', () => {
    const pacer = new ReplayPacer({ ratePerSecond: 400, inFlightTimeoutMs: 0 });
    expect(pacer.batchSize).toBe(40);
    const produced: number[] = [];
    const sizes: number[] = [];
    let now = 0;
    while (produced.length < 4_000) {
      const v = pacer.next(now);
      if (v.allowed === 0) {
        now += Math.max(1, v.waitMs ?? 10);
        continue;
      }
      pacer.produced(Array.from({ length: v.allowed }, (_, i) => `k${produced.length + i}`), now);
      for (let i = 0; i < v.allowed; i++) produced.push(now);
      sizes.push(v.allowed);
      now += 180; // each batch costs the caller 180 ms: 40 at a time would make 222/s
    }
    expect(maxInWindow(produced)).toBeLessThanOrEqual(400);
    expect(now).toBeLessThan(11_000);
    expect(Math.max(...sizes)).toBe(72);
  });

  it('sends the default gentle rate one replay at a time, 100 ms apart', () => {
    const pacer = new ReplayPacer({ ratePerSecond: 10, inFlightTimeoutMs: 0 });
    expect(pacer.batchSize).toBe(1);
    const run = simulate(pacer, 30, { attemptAt: (p) => p, seenAfter: () => null });
    const gaps = run.produced.slice(1).map((t, i) => t - (run.produced[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    expect(maxInWindow(run.produced)).toBe(10);
  });

  it('stops producing when a whole second’s worth is in flight and nothing lands, until the timeout', () => {
    const pacer = new ReplayPacer({ ratePerSecond: 100, inFlightTimeoutMs: 5_000 });
    let now = 0;
    let produced = 0;
    while (now < 4_000) {
      const v = pacer.next(now);
      if (v.allowed > 0) {
        pacer.produced(Array.from({ length: v.allowed }, (_, i) => `k${produced + i}`), now);
        produced += v.allowed;
      }
      now += 10;
    }
    expect(produced).toBe(100);
    expect(pacer.next(now)).toEqual({ allowed: 0, waitMs: null });
    // Past the timeout the in-flight replays count as sent then, and leave the window a second later.
    expect(pacer.next(5_500).allowed).toBe(0);
    expect(pacer.next(6_001).allowed).toBe(pacer.batchSize);
  });

  it('frees room when attempts are seen, and says how long until the window moves on', () => {
    const pacer = new ReplayPacer({ ratePerSecond: 20, inFlightTimeoutMs: 60_000, batchesPerSecond: 1 });
    expect(pacer.batchSize).toBe(20);
    expect(pacer.next(0)).toEqual({ allowed: 20, waitMs: null });
    pacer.produced(Array.from({ length: 20 }, (_, i) => `k${i}`), 0);
    expect(pacer.next(1_000)).toEqual({ allowed: 0, waitMs: null });
    for (let i = 0; i < 20; i++) pacer.landed(`k${i}`, 900);
    expect(pacer.next(1_000)).toEqual({ allowed: 0, waitMs: 900 });
    expect(pacer.next(1_900)).toEqual({ allowed: 20, waitMs: null });
  });

  it('does not count a replay that died again without being sent', () => {
    const pacer = new ReplayPacer({ ratePerSecond: 2, inFlightTimeoutMs: 60_000, batchesPerSecond: 1 });
    pacer.produced(['a', 'b'], 0);
    pacer.landed('a', null);
    pacer.landed('b', null);
    pacer.landed('unknown', 5);
    expect(pacer.next(1_000)).toEqual({ allowed: 2, waitMs: null });
  });

  it('refuses a rate that is not a positive integer', () => {
    expect(() => new ReplayPacer({ ratePerSecond: 0, inFlightTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => new ReplayPacer({ ratePerSecond: 1.5, inFlightTimeoutMs: 0 })).toThrow(RangeError);
  });
});
