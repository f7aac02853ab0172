import { describe, expect, it } from '@jest/globals';
import { HostSlots } from './host-slots.js';

const ORIGIN = 'https://hooks.example.com';

describe('HostSlots', () => {
  it('lets a tenant alone use all but the reserve of an origin', () => {
    const slots = new HostSlots(10, 20, new Map());
    for (let i = 0; i < 8; i++) {
      expect(slots.mayStart(ORIGIN, 'slow', [])).toBe(true);
      slots.started(ORIGIN, 'slow');
    }
    expect(slots.mayStart(ORIGIN, 'slow', [])).toBe(false);
    expect(slots.active(ORIGIN)).toBe(8);
  });

  it('starts another tenant at once from the reserve while the first holds its pool', () => {
    const slots = new HostSlots(10, 20, new Map());
    for (let i = 0; i < 8; i++) slots.started(ORIGIN, 'slow');
    expect(slots.mayStart(ORIGIN, 'fast', ['slow', 'fast'])).toBe(true);
  });

  it('keeps a tenant at or above its share waiting while another tenant waits', () => {
    const slots = new HostSlots(10, 20, new Map());
    for (let i = 0; i < 5; i++) slots.started(ORIGIN, 'slow');
    expect(slots.mayStart(ORIGIN, 'slow', ['slow', 'fast'])).toBe(false);
    expect(slots.mayStart(ORIGIN, 'slow', ['slow'])).toBe(true);
  });

  it('counts slots per origin, and forgets an origin with none in use', () => {
    const slots = new HostSlots(2, 0, new Map());
    slots.started(ORIGIN, 'a');
    slots.started(ORIGIN, 'a');
    expect(slots.mayStart(ORIGIN, 'a', [])).toBe(false);
    expect(slots.mayStart('https://other.example.com', 'a', [])).toBe(true);
    slots.finished(ORIGIN, 'a');
    slots.finished(ORIGIN, 'a');
    expect(slots.active(ORIGIN)).toBe(0);
  });

  it('shares by weight', () => {
    const slots = new HostSlots(12, 0, new Map([['big', 2]]));
    for (let i = 0; i < 7; i++) slots.started(ORIGIN, 'big');
    // big's share with small competing is 8 of 12.
    expect(slots.mayStart(ORIGIN, 'big', ['small', 'big'])).toBe(true);
    slots.started(ORIGIN, 'big');
    expect(slots.mayStart(ORIGIN, 'big', ['small', 'big'])).toBe(false);
  });

  it('caps a tenant at its share while another sent there lately, though nothing of it waits now', () => {
    let now = 0;
    const slots = new HostSlots(10, 20, new Map(), () => now);
    // fast sends one attempt, which ends at once: it holds nothing and waits for nothing.
    slots.started(ORIGIN, 'fast');
    slots.finished(ORIGIN, 'fast');
    for (let i = 0; i < 5; i++) {
      expect(slots.mayStart(ORIGIN, 'slow', ['slow'])).toBe(true);
      slots.started(ORIGIN, 'slow');
    }
    // slow is at its share (5 of 10 with fast): the rest stays free for fast's next batch.
    expect(slots.mayStart(ORIGIN, 'slow', ['slow'])).toBe(false);
    expect(slots.mayStart(ORIGIN, 'fast', ['slow', 'fast'])).toBe(true);
    // Once fast has been quiet for 10 s, slow may grow again, up to all but the reserve.
    now = 10_000;
    expect(slots.mayStart(ORIGIN, 'slow', ['slow'])).toBe(true);
  });

  it('counts a waiting tenant that has not sent there lately once, not twice, in the shares', () => {
    const slots = new HostSlots(12, 0, new Map());
    for (let i = 0; i < 6; i++) slots.started(ORIGIN, 'a');
    // newcomer has not sent there: with a, its share is 6 of 12, so a pass may promise it 5 and a 6th.
    expect(slots.mayStart(ORIGIN, 'newcomer', ['newcomer', 'a'], { own: 5, total: 5 })).toBe(true);
    const check = slots.checker(ORIGIN, ['newcomer', 'a']);
    expect(check('newcomer', { own: 5, total: 5 })).toBe(true);
    expect(check('newcomer', { own: 6, total: 6 })).toBe(false);
  });
});
