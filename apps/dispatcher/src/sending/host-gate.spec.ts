import { describe, expect, it, jest } from '@jest/globals';
import { Metrics } from '@hookstream/platform';
import { pino } from 'pino';
import { dispatcherConfigSchema } from '../config.js';
import { Breakers, HostFailure } from './breakers.js';
import { type GatedLane, HostGate } from './host-gate.js';
import { HostSlots } from './host-slots.js';

const config = dispatcherConfigSchema.parse({ CHANGELOG_SECRETS_KEYS: `c1:${Buffer.alloc(32, 7).toString('base64')}`, PORT: '0', BREAKER_VOLUME_THRESHOLD: '2', BREAKER_ERROR_THRESHOLD_PERCENT: '50', BREAKER_RESET_TIMEOUT_MS: '60000' });
const ORIGIN = 'https://hooks.example';
const lane = (tenant: string, sub: string): GatedLane => ({ tenantId: tenant, subscriptionId: sub });

function gate(capacity: number) {
  const woken: string[] = [];
  const breakers = new Breakers(config, pino({ level: 'silent' }), new Metrics());
  const g = new HostGate<GatedLane>(capacity, 0, new Map(), breakers, (l) => woken.push(l.subscriptionId));
  return { g, breakers, woken };
}

describe('HostGate', () => {
  it("parks a lane once the origin's slots are taken, and wakes it when one frees", () => {
    const { g, woken } = gate(2);
    for (const sub of ['a1', 'a2']) {
      expect(g.check(lane('A', sub), ORIGIN)).toEqual({ kind: 'go' });
      g.started(ORIGIN, 'A');
    }
    expect(g.check(lane('B', 'b1'), ORIGIN)).toEqual({ kind: 'parked', on: 'host' });
    expect(g.wakeForFreeSlots()).toBe(false);
    g.finished(ORIGIN, 'A');
    expect(g.wakeForFreeSlots()).toBe(true);
    expect(woken).toEqual(['b1']);
    // Another origin is not affected by this one being full.
    expect(g.check(lane('A', 'a3'), 'https://other.example')).toEqual({ kind: 'go' });
  });

  it("lets a tenant's subscriptions take turns at a full origin: a lane that just sent goes behind the parked ones", () => {
    const { g, woken } = gate(1);
    const a1 = lane('A', 'a1');
    const a2 = lane('A', 'a2');
    expect(g.check(a1, ORIGIN)).toEqual({ kind: 'go' });
    g.started(ORIGIN, 'A');
    expect(g.check(a2, ORIGIN)).toEqual({ kind: 'parked', on: 'host' });
    // a1's attempt ends and a1 has more to send: the freed slot is a2's turn, not a1's.
    g.finished(ORIGIN, 'A');
    expect(g.check(a1, ORIGIN)).toEqual({ kind: 'parked', on: 'host' });
    expect(g.wakeForFreeSlots()).toBe(true);
    expect(woken).toEqual(['a2']);
    expect(g.check(a2, ORIGIN)).toEqual({ kind: 'go' });
    g.started(ORIGIN, 'A');
    g.finished(ORIGIN, 'A');
    // And round again: a1 was parked first.
    expect(g.check(a2, ORIGIN)).toEqual({ kind: 'parked', on: 'host' });
    expect(g.wakeForFreeSlots()).toBe(true);
    expect(woken).toEqual(['a2', 'a1']);
    expect(g.check(a1, ORIGIN)).toEqual({ kind: 'go' });
  });

  it("wakes no more of a tenant's lanes than its share lets start, so the others keep their place", () => {
    const { g, woken } = gate(4);
    // A and B share the origin: A's share is 2 of the 4 slots.
    for (const sub of ['a1', 'a2']) {
      expect(g.check(lane('A', sub), ORIGIN)).toEqual({ kind: 'go' });
      g.started(ORIGIN, 'A');
    }
    expect(g.check(lane('B', 'b1'), ORIGIN)).toEqual({ kind: 'go' });
    g.started(ORIGIN, 'B');
    for (const sub of ['a3', 'a4', 'a5']) expect(g.check(lane('A', sub), ORIGIN)).toEqual({ kind: 'parked', on: 'host' });
    // One of A's attempts ends: two slots are free, but A may start one more, so one lane wakes.
    g.finished(ORIGIN, 'A');
    expect(g.wakeForFreeSlots()).toBe(true);
    expect(woken).toEqual(['a3']);
  });

  it("postpones a tenant's attempts while its breaker for the origin is open, and not another tenant's", async () => {
    const { g, breakers } = gate(10);
    const failing = () => Promise.reject(new HostFailure('503'));
    for (let i = 0; i < 2; i++) await breakers.run({ tenant: 'A', origin: ORIGIN }, failing);
    const verdict = g.check(lane('A', 'a1'), ORIGIN);
    expect(verdict.kind).toBe('postpone');
    expect(g.check(lane('B', 'b1'), ORIGIN)).toEqual({ kind: 'go' });
  });

  it("parks a lane on its tenant's open breaker and wakes it when the breaker half-opens, and again when the trial decides", async () => {
    const quick = dispatcherConfigSchema.parse({ CHANGELOG_SECRETS_KEYS: `c1:${Buffer.alloc(32, 7).toString('base64')}`, PORT: '0', BREAKER_VOLUME_THRESHOLD: '2', BREAKER_RESET_TIMEOUT_MS: '100' });
    const breakers = new Breakers(quick, pino({ level: 'silent' }), new Metrics());
    const woken: string[] = [];
    const g = new HostGate<GatedLane>(10, 0, new Map(), breakers, (l) => woken.push(l.subscriptionId));
    for (let i = 0; i < 2; i++) await breakers.run({ tenant: 'A', origin: ORIGIN }, () => Promise.reject(new HostFailure('503')));
    const a1 = lane('A', 'a1');
    expect(g.check(a1, ORIGIN).kind).toBe('postpone');
    expect(g.parkOnBreaker(a1, ORIGIN)).toEqual({ kind: 'parked', on: 'breaker' });
    expect(woken).toEqual([]);
    await new Promise((r) => setTimeout(r, 150));
    expect(woken).toEqual(['a1']);
    // Woken, it takes the trial; a second lane waits for its verdict, and wakes with it.
    expect(g.check(a1, ORIGIN)).toEqual({ kind: 'go' });
    let release!: () => void;
    const trial = breakers.run({ tenant: 'A', origin: ORIGIN }, () => new Promise<string>((r) => (release = () => r('200'))));
    expect(g.check(lane('A', 'a2'), ORIGIN)).toEqual({ kind: 'parked', on: 'breaker' });
    release();
    await trial;
    expect(woken).toEqual(['a1', 'a2']);
    breakers.onModuleDestroy();
  });

  it('looks once per refused tenant, not once per parked lane', () => {
    const breakers = new Breakers(config, pino({ level: 'silent' }), new Metrics());
    const woken: string[] = [];
    // 4 slots, 1 kept in reserve: a tenant alone may fill 3.
    const g = new HostGate<GatedLane>(4, 25, new Map(), breakers, (l) => woken.push(l.subscriptionId));
    for (let i = 0; i < 3; i++) g.started(ORIGIN, 'A');
    for (let i = 0; i < 1000; i++) expect(g.check(lane('A', `a${i}`), ORIGIN)).toEqual({ kind: 'parked', on: 'host' });
    let looks = 0;
    const { checker } = HostSlots.prototype as { checker: (this: HostSlots, origin: string, waiting: readonly string[]) => ReturnType<HostSlots['checker']> };
    const spy = jest.spyOn(HostSlots.prototype, 'checker').mockImplementation(function (this: HostSlots, origin, waiting) {
      const mayStart = checker.call(this, origin, waiting);
      return (tenant, promised) => {
        looks++;
        return mayStart(tenant, promised);
      };
    });
    try {
      expect(g.wakeForFreeSlots()).toBe(false);
      expect(looks).toBe(1);
      // With a slot below the reserve free again, one parked lane goes: A may fill 3 and has 2.
      g.finished(ORIGIN, 'A');
      expect(g.wakeForFreeSlots()).toBe(true);
      expect(woken).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('looks again at an origin only once a lane parked or an attempt ended there, or a second has passed', () => {
    let now = 5_000;
    const breakers = new Breakers(config, pino({ level: 'silent' }), new Metrics());
    const woken: string[] = [];
    const g = new HostGate<GatedLane>(4, 25, new Map(), breakers, (l) => woken.push(l.subscriptionId), () => now);
    for (let i = 0; i < 3; i++) g.started(ORIGIN, 'A');
    expect(g.check(lane('A', 'a1'), ORIGIN).kind).toBe('parked');
    const spy = jest.spyOn(HostSlots.prototype, 'checker');
    try {
      expect(g.wakeForFreeSlots()).toBe(false);
      expect(spy).toHaveBeenCalledTimes(1);
      // Nothing changed: the same refusal is not worked out again.
      expect(g.wakeForFreeSlots()).toBe(false);
      expect(spy).toHaveBeenCalledTimes(1);
      // A lane parking there is a change.
      expect(g.check(lane('A', 'a2'), ORIGIN).kind).toBe('parked');
      expect(g.wakeForFreeSlots()).toBe(false);
      expect(spy).toHaveBeenCalledTimes(2);
      // So is the sweep, a second later.
      now += 1_000;
      expect(g.wakeForFreeSlots()).toBe(false);
      expect(spy).toHaveBeenCalledTimes(3);
      // And an attempt ending there, which here frees a slot for a1.
      g.finished(ORIGIN, 'A');
      expect(g.wakeForFreeSlots()).toBe(true);
      expect(woken).toEqual(['a1']);
    } finally {
      spy.mockRestore();
    }
  });

  it('forgets parked lanes at shutdown', () => {
    const { g, woken } = gate(1);
    g.started(ORIGIN, 'A');
    expect(g.check(lane('B', 'b1'), ORIGIN).kind).toBe('parked');
    g.clear();
    g.finished(ORIGIN, 'A');
    expect(g.wakeForFreeSlots()).toBe(false);
    expect(woken).toEqual([]);
  });
});
