import { describe, expect, it } from '@jest/globals';
import type { DeliveryTask } from './delivery-task.js';
import { Lanes } from './lanes.js';

const task = (id: string) => ({ key: id }) as unknown as DeliveryTask;

describe('Lanes', () => {
  it('takes tenants in turn, then their subscriptions in turn, and skips blocked or empty lanes', () => {
    const lanes = new Lanes(100);
    const a1 = lanes.of('a1', 'A');
    const a2 = lanes.of('a2', 'A');
    const b1 = lanes.of('b1', 'B');
    const idle = lanes.of('idle', 'C');
    for (const l of [a1, a2, b1]) {
      l.tasks.push(task(`${l.subscriptionId}-1`));
      lanes.makeReady(l);
    }
    lanes.makeReady(idle); // nothing queued: not runnable
    b1.blocked = 'rate';
    lanes.makeReady(b1); // already ready before it blocked; a blocked lane is not added again
    const order: string[] = [];
    for (let l = lanes.take(); l; l = lanes.take()) order.push(l.subscriptionId);
    expect(order).toEqual(['a1', 'b1', 'a2']);
    expect(lanes.othersReady('A')).toBe(false);
  });

  it('keeps a rate window per limit, learns typical durations, and forgets idle lanes', () => {
    const lanes = new Lanes(100);
    const lane = lanes.of('s', 'T');
    const w = lanes.windowFor(lane, 5);
    expect(lanes.windowFor(lane, 5)).toBe(w);
    expect(lanes.windowFor(lane, 6)).not.toBe(w);
    expect(lanes.windowFor(lane, null)).toBeNull();
    lanes.observe(lane, 1000);
    lanes.observe(lane, 0);
    expect(lane.typicalMs).toBe(800);
    lanes.forgetIdle(Date.now());
    expect(lanes.get('s')).toBeUndefined();
  });

  it('drains every queued task at shutdown', () => {
    const lanes = new Lanes(100);
    const lane = lanes.of('s', 'T');
    lane.tasks.push(task('x'));
    lane.tasks.push(task('y'));
    lanes.makeReady(lane);
    expect(lanes.drain().map((t) => t.key)).toEqual(['x', 'y']);
    expect(lanes.take()).toBeUndefined();
  });
});
