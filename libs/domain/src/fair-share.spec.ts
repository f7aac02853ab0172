import { describe, expect, it } from '@jest/globals';
import { fairShare, holdVerdict, mayTake, parseTenantWeights, reserveOf, type ShareState, weightOf } from './fair-share.js';

describe('parseTenantWeights', () => {
  it('reads tenant=weight pairs, spaces and empty entries ignored', () => {
    expect(parseTenantWeights(' acme=3, globex = 0.5 ,,')).toEqual(new Map([['acme', 3], ['globex', 0.5]]));
    expect(parseTenantWeights('')).toEqual(new Map());
  });

  it('refuses what is not a positive weight, a missing tenant, or a tenant twice', () => {
    for (const bad of ['acme', 'acme=', '=2', 'acme=0', 'acme=-1', 'acme=abc', 'acme=1001', 'acme=1,acme=2']) {
      expect(() => parseTenantWeights(bad)).toThrow(RangeError);
    }
  });

  it('weighs an unlisted tenant 1', () => {
    const weights = parseTenantWeights('acme=4');
    expect(weightOf(weights, 'acme')).toBe(4);
    expect(weightOf(weights, 'other')).toBe(1);
  });
});

describe('fairShare and reserveOf', () => {
  it('splits the capacity by weight, at least one unit each', () => {
    expect(fairShare(100, 1, 1)).toBe(100);
    expect(fairShare(100, 1, 2)).toBe(50);
    expect(fairShare(100, 3, 4)).toBe(75);
    expect(fairShare(100, 1, 4)).toBe(25);
    expect(fairShare(3, 1, 10)).toBe(1);
  });

  it('keeps a percentage of the capacity in reserve, rounded down', () => {
    expect(reserveOf(256, 10)).toBe(25);
    expect(reserveOf(2, 10)).toBe(0);
    expect(reserveOf(100, 0)).toBe(0);
  });
});

describe('mayTake', () => {
  const base: ShareState = { capacity: 100, reserve: 10, total: 0, used: 0, share: 100, othersWaiting: false };

  it('lets a tenant alone use everything but the reserve', () => {
    expect(mayTake({ ...base, total: 89, used: 89 })).toBe(true);
    expect(mayTake({ ...base, total: 90, used: 90 })).toBe(false);
  });

  it('gives the reserve to a tenant below its share while another has taken the rest', () => {
    // Tenant A holds 90 of 100; B arrives (shares now 50 each).
    expect(mayTake({ ...base, total: 90, used: 0, share: 50 })).toBe(true);
    expect(mayTake({ ...base, total: 99, used: 9, share: 50 })).toBe(true);
    expect(mayTake({ ...base, total: 90, used: 90, share: 50 })).toBe(false);
  });

  it('never goes beyond the capacity', () => {
    expect(mayTake({ ...base, total: 100, used: 0, share: 50 })).toBe(false);
  });

  it('holds back a tenant at its share while another waits, even in the open pool', () => {
    expect(mayTake({ ...base, total: 60, used: 50, share: 50, othersWaiting: true })).toBe(false);
    expect(mayTake({ ...base, total: 60, used: 49, share: 50, othersWaiting: true })).toBe(true);
    // Nobody waiting: the free units are used (work-conserving).
    expect(mayTake({ ...base, total: 60, used: 50, share: 50, othersWaiting: false })).toBe(true);
  });

  it('honours weights through the share', () => {
    const capacity = 100;
    const heavy = fairShare(capacity, 3, 4);
    const light = fairShare(capacity, 1, 4);
    expect(mayTake({ ...base, total: 80, used: heavy - 1, share: heavy, othersWaiting: true })).toBe(true);
    expect(mayTake({ ...base, total: 80, used: light, share: light, othersWaiting: true })).toBe(false);
  });
});

describe('holdVerdict', () => {
  const base = { capacity: 100, reserve: 10, total: 0, used: 0, share: 100, othersCompete: false };

  it('holds while there is room', () => {
    expect(holdVerdict({ ...base, total: 10, used: 10 })).toBe('hold');
  });

  it('waits (backpressure) when a tenant alone reaches the reserve', () => {
    expect(holdVerdict({ ...base, total: 90, used: 90 })).toBe('wait');
  });

  it("defers a tenant above its share while others compete, and holds the others' in the reserve", () => {
    expect(holdVerdict({ ...base, total: 90, used: 90, share: 50, othersCompete: true })).toBe('defer');
    expect(holdVerdict({ ...base, total: 90, used: 0, share: 50, othersCompete: true })).toBe('hold');
  });

  it('waits rather than defers when every tenant is within its share and the capacity is full', () => {
    expect(holdVerdict({ ...base, total: 100, used: 50, share: 50, othersCompete: true })).toBe('wait');
  });

  it('waits for a tenant just above its share (steady tenants jitter around theirs), and defers one well above', () => {
    expect(holdVerdict({ ...base, total: 100, used: 60, share: 50, othersCompete: true })).toBe('wait');
    expect(holdVerdict({ ...base, total: 100, used: 63, share: 50, othersCompete: true })).toBe('defer');
  });
});
