import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  const policy = { initialMs: 200, maxMs: 5000 };

  it('doubles from the initial delay', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelayMs(a, policy))).toEqual([200, 400, 800, 1600]);
  });

  it('never exceeds the cap, however many attempts failed', () => {
    expect(backoffDelayMs(5, policy)).toBe(5000);
    expect(backoffDelayMs(1_000_000, policy)).toBe(5000);
    expect(backoffDelayMs(Number.MAX_SAFE_INTEGER, { initialMs: 1, maxMs: 2 ** 40 })).toBe(2 ** 30);
  });

  it('treats a negative or fractional attempt as the nearest sane one', () => {
    expect(backoffDelayMs(-3, policy)).toBe(200);
    expect(backoffDelayMs(1.7, policy)).toBe(400);
  });
});
