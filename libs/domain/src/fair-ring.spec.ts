import { describe, expect, it } from '@jest/globals';
import { FairRing } from './fair-ring.js';

describe('FairRing', () => {
  it('lets a group with one member go right after the first member of a group with thousands', () => {
    const ring = new FairRing<string>();
    for (let i = 0; i < 10_000; i++) ring.add('big', `s${i}`, `big-${i}`);
    ring.add('small', 's', 'small-0');
    expect([ring.take(), ring.take(), ring.take()]).toEqual(['big-0', 'small-0', 'big-1']);
    expect(ring.size).toBe(9_998);
  });

  it('rotates members within a group and groups among themselves; a member added again goes to the back', () => {
    const ring = new FairRing<string>();
    ring.add('a', '1', 'a1');
    ring.add('a', '2', 'a2');
    ring.add('b', '1', 'b1');
    const first = ring.take();
    expect(first).toBe('a1');
    ring.add('a', '1', 'a1');
    expect([ring.take(), ring.take(), ring.take(), ring.take()]).toEqual(['b1', 'a2', 'a1', undefined]);
    expect(ring.size).toBe(0);
  });

  it('keeps one entry per member', () => {
    const ring = new FairRing<number>();
    ring.add('g', 'k', 1);
    ring.add('g', 'k', 2);
    expect(ring.size).toBe(1);
    expect(ring.take()).toBe(2);
    ring.add('g', 'k', 3);
    ring.clear();
    expect(ring.take()).toBeUndefined();
  });

  it('tells whether another group has a member waiting', () => {
    const ring = new FairRing<number>();
    expect(ring.hasGroupOtherThan('a')).toBe(false);
    ring.add('a', 'x', 1);
    expect(ring.hasGroupOtherThan('a')).toBe(false);
    expect(ring.hasGroupOtherThan('b')).toBe(true);
    ring.add('b', 'y', 2);
    expect(ring.hasGroupOtherThan('a')).toBe(true);
    ring.take();
    expect(ring.hasGroupOtherThan('b')).toBe(false);
  });

  it('takes from a named group, which then goes to the back of the turns', () => {
    const ring = new FairRing<string>();
    ring.add('A', 'a1', 'a1');
    ring.add('A', 'a2', 'a2');
    ring.add('B', 'b1', 'b1');
    expect(ring.takeFrom('C')).toBeUndefined();
    expect(ring.takeFrom('A')).toBe('a1');
    expect(ring.groupKeys()).toEqual(['B', 'A']);
    expect(ring.takeFrom('B')).toBe('b1');
    expect(ring.hasGroup('B')).toBe(false);
    expect(ring.size).toBe(1);
    expect(ring.take()).toBe('a2');
    expect(ring.size).toBe(0);
  });
});
