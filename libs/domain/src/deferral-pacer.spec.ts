import { describe, expect, it } from '@jest/globals';
import { DeferralPacer, MAX_DEFERRAL_MS } from './deferral-pacer.js';

describe('DeferralPacer', () => {
  const t0 = 1_800_000_000_000;

  it('holds a first deferral THROTTLE_HOLD_MS to twice that, as before', () => {
    const pacer = new DeferralPacer(5000);
    expect(pacer.deferUntil('a', t0, 0)).toBe(t0 + 5000);
    expect(new DeferralPacer(5000).deferUntil('a', t0, 0.999)).toBe(t0 + 9995);
  });

  it("spaces a tenant's deferrals at the rate it finished attempts over the last ten seconds", () => {
    const pacer = new DeferralPacer(5000);
    // 40 finished over the last 10 s: 4 a second, so one deferred delivery every 250 ms.
    for (let s = 0; s < 10; s++) for (let i = 0; i < 4; i++) pacer.finished('a', t0 + s * 1000);
    const now = t0 + 9500;
    expect(pacer.ratePerSecond('a', now)).toBe(4);
    const times = Array.from({ length: 5 }, () => pacer.deferUntil('a', now, 0));
    expect(times).toEqual([now + 5000, now + 5250, now + 5500, now + 5750, now + 6000]);
  });

  it('keeps the tenants apart: one tenant far behind does not push back another', () => {
    const pacer = new DeferralPacer(5000);
    for (let i = 0; i < 200; i++) pacer.deferUntil('hostile', t0, 0);
    expect(pacer.deferUntil('hostile', t0, 0)).toBe(t0 + 5000 + 200 * 1000);
    expect(pacer.deferUntil('other', t0, 0)).toBe(t0 + 5000);
  });

  it('assumes one a second for a tenant that finished nothing, and never defers past the ceiling', () => {
    const pacer = new DeferralPacer(5000);
    expect(pacer.ratePerSecond('slow', t0)).toBe(1);
    let last = 0;
    for (let i = 0; i < 1000; i++) last = pacer.deferUntil('slow', t0, 0);
    expect(last).toBe(t0 + MAX_DEFERRAL_MS);
  });

  it('forgets completions older than the window', () => {
    const pacer = new DeferralPacer(5000);
    for (let i = 0; i < 100; i++) pacer.finished('a', t0);
    expect(pacer.ratePerSecond('a', t0 + 500)).toBe(10);
    expect(pacer.ratePerSecond('a', t0 + 10_000)).toBe(1);
  });

  it('stays bounded in tenants, dropping idle ones first', () => {
    const pacer = new DeferralPacer(5000, 3);
    pacer.deferUntil('busy', t0, 0);
    pacer.finished('idle1', t0 - 60_000);
    pacer.finished('idle2', t0 - 60_000);
    pacer.finished('new', t0);
    // 'busy' still has a deferral ahead, so its horizon survived the clean-up.
    expect(pacer.deferUntil('busy', t0, 0)).toBe(t0 + 6000);
  });
});
