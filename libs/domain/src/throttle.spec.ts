import { describe, expect, it } from '@jest/globals';
import { decideHostBacklog, decideThrottle, deferSpacingMs, hostBacklogSpacingMs, projectedWaitMs, RateWindow } from './throttle.js';

describe('RateWindow', () => {
  it('lets the limit through at once, then waits for the oldest start to leave the window', () => {
    const w = new RateWindow(3);
    for (const t of [0, 10, 20]) {
      expect(w.waitMs(t)).toBe(0);
      w.record(t);
    }
    expect(w.waitMs(20)).toBe(980);
    expect(w.waitMs(999)).toBe(1);
    expect(w.waitMs(1000)).toBe(0);
    w.record(1000);
    expect(w.waitMs(1000)).toBe(10);
    expect(w.recent(1010)).toBe(2);
  });

  it('never admits more than the limit in any one-second window (simulated greedy caller)', () => {
    const w = new RateWindow(7);
    const starts: number[] = [];
    for (let now = 0; now < 10_000; now += 3) {
      while (w.waitMs(now) === 0) {
        w.record(now);
        starts.push(now);
      }
    }
    let worst = 0;
    for (let i = 0, j = 0; i < starts.length; i++) {
      while ((starts[i] ?? 0) - (starts[j] ?? 0) >= 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBe(7);
    // And it keeps up: about 7 per second over 10 s.
    expect(starts.length).toBeGreaterThanOrEqual(70);
  });

  it('counts requests from when they reach the wire, holding their place until then', () => {
    const w = new RateWindow(2);
    w.reserve();
    w.reserve();
    // Both admitted, neither sent yet: the next waits for one of them, not for the clock.
    expect(w.waitMs(0)).toBe(Number.POSITIVE_INFINITY);
    w.settle(null);
    expect(w.waitMs(5)).toBe(0);
    w.settle(60);
    w.reserve();
    w.settle(70);
    // Measured from the send times (60, 70), not from the admissions.
    expect(w.waitMs(100)).toBe(960);
    expect(w.isIdle(1070)).toBe(true);
  });

  it('forgets old starts and stays small', () => {
    const w = new RateWindow(10_000);
    for (let t = 0; t < 5000; t++) w.record(t);
    expect(w.recent(10_000)).toBe(0);
    expect(w.isIdle(10_000)).toBe(true);
  });

  it('stretches the window by a margin', () => {
    const w = new RateWindow(1, 1100);
    w.record(0);
    expect(w.waitMs(1000)).toBe(100);
    expect(w.waitMs(1100)).toBe(0);
  });

  it('refuses a limit that is not a positive integer, and a window under a second', () => {
    expect(() => new RateWindow(0)).toThrow(RangeError);
    expect(() => new RateWindow(1.5)).toThrow(RangeError);
    expect(() => new RateWindow(1, 999)).toThrow(RangeError);
  });
});

describe('projectedWaitMs', () => {
  const base = { ahead: 0, active: 0, maxConcurrency: null, rate: null, typicalDurationMs: 200 };

  it('is zero without limits, however long the queue', () => {
    expect(projectedWaitMs({ ...base, ahead: 10_000 })).toBe(0);
  });

  it('counts whole seconds of rate for what is ahead', () => {
    expect(projectedWaitMs({ ...base, rate: { perSecond: 10, recent: 0 }, ahead: 9 })).toBe(0);
    expect(projectedWaitMs({ ...base, rate: { perSecond: 10, recent: 0 }, ahead: 10 })).toBe(1000);
    expect(projectedWaitMs({ ...base, rate: { perSecond: 10, recent: 10 }, ahead: 25 })).toBe(3000);
  });

  it('counts rounds of the typical duration for concurrency', () => {
    expect(projectedWaitMs({ ...base, maxConcurrency: 2, active: 1 })).toBe(0);
    expect(projectedWaitMs({ ...base, maxConcurrency: 2, active: 2 })).toBe(200);
    expect(projectedWaitMs({ ...base, maxConcurrency: 2, active: 2, ahead: 4 })).toBe(600);
  });

  it('takes the stricter of the two', () => {
    expect(projectedWaitMs({ ...base, maxConcurrency: 1, active: 1, ahead: 1, rate: { perSecond: 1, recent: 1 }, typicalDurationMs: 5000 })).toBe(10_000);
  });
});

describe('decideThrottle', () => {
  const input = { ahead: 50, active: 0, maxConcurrency: null, rate: { perSecond: 10, recent: 0 }, typicalDurationMs: 100, now: 1_000_000, holdMs: 2000 };

  it('holds what will go within the hold time', () => {
    expect(decideThrottle({ ...input, ahead: 15, nextDeferSlotMs: 0 })).toEqual({ kind: 'hold' });
  });

  it('defers the rest to its expected turn, never before the previous deferral', () => {
    expect(decideThrottle({ ...input, nextDeferSlotMs: 0 })).toEqual({ kind: 'defer', untilMs: 1_005_000 });
    expect(decideThrottle({ ...input, nextDeferSlotMs: 1_009_000 })).toEqual({ kind: 'defer', untilMs: 1_009_000 });
  });

  it('spaces deferrals at what the subscription can take', () => {
    expect(deferSpacingMs(10, null, 100)).toBe(100);
    expect(deferSpacingMs(null, 2, 3000)).toBe(1500);
    expect(deferSpacingMs(100, 1, 50)).toBe(50);
    expect(deferSpacingMs(null, null, 50)).toBe(0);
  });
});

describe('decideHostBacklog', () => {
  const base = { now: 1_000_000, holdMs: 5000, nextDeferSlotMs: 0, headWaitedMs: 0 };

  it('holds while nothing has shown how long its turn takes', () => {
    expect(decideHostBacklog({ ...base, ahead: 10_000, active: 0, typicalDurationMs: null })).toEqual({ kind: 'hold' });
  });

  it('holds what the running attempts serve within the hold time', () => {
    // 4 running, 1 s each: 16 ahead drain in 4 s, then this one's turn (5 s in all).
    expect(decideHostBacklog({ ...base, ahead: 16, active: 4, typicalDurationMs: 1000 })).toEqual({ kind: 'hold' });
  });

  it('defers past the hold time to when its turn is expected', () => {
    expect(decideHostBacklog({ ...base, ahead: 20, active: 4, typicalDurationMs: 1000 })).toEqual({ kind: 'defer', untilMs: 1_006_000 });
    // A ten-second endpoint with nothing of its own running: one queued ahead is already 10 s.
    expect(decideHostBacklog({ ...base, ahead: 1, active: 0, typicalDurationMs: 10_000 })).toEqual({ kind: 'defer', untilMs: 1_010_000 });
  });

  it("defers behind a queue that has shown it moves slowly, however fast the subscription's attempts", () => {
    // 5 ms attempts, but the first of the 2 queued ahead has waited 3 s for a slot: 9 s.
    expect(decideHostBacklog({ ...base, ahead: 2, active: 0, typicalDurationMs: 5, headWaitedMs: 3000 })).toEqual({ kind: 'defer', untilMs: 1_009_000 });
    expect(decideHostBacklog({ ...base, ahead: 2, active: 0, typicalDurationMs: null, headWaitedMs: 3000 })).toEqual({ kind: 'defer', untilMs: 1_009_000 });
    // A subscription running 64 at once drains a queue 64 times as fast: 1,000 ahead after 10 ms is 157 ms.
    expect(decideHostBacklog({ ...base, ahead: 1000, active: 64, typicalDurationMs: 5, headWaitedMs: 10 })).toEqual({ kind: 'hold' });
    // Nothing queued ahead: it is the first in line, and is held.
    expect(decideHostBacklog({ ...base, ahead: 0, active: 0, typicalDurationMs: 5, headWaitedMs: 0 })).toEqual({ kind: 'hold' });
  });

  it('never defers to before the previous deferral ends', () => {
    expect(decideHostBacklog({ ...base, ahead: 20, active: 4, typicalDurationMs: 1000, nextDeferSlotMs: 1_030_000 })).toEqual({ kind: 'defer', untilMs: 1_030_000 });
  });

  it('spaces deferrals at the slower of the two paces', () => {
    expect(hostBacklogSpacingMs({ active: 4, typicalDurationMs: 1000, headWaitedMs: 0 })).toBe(250);
    expect(hostBacklogSpacingMs({ active: 0, typicalDurationMs: 10_000, headWaitedMs: 0 })).toBe(10_000);
    expect(hostBacklogSpacingMs({ active: 0, typicalDurationMs: 5, headWaitedMs: 3000 })).toBe(3000);
    expect(hostBacklogSpacingMs({ active: 4, typicalDurationMs: 5, headWaitedMs: 3000 })).toBe(750);
    expect(hostBacklogSpacingMs({ active: 0, typicalDurationMs: null, headWaitedMs: 0 })).toBe(0);
  });
});
