import { describe, expect, it } from '@jest/globals';
import { batchBody, batchGroup, planBatch } from './batch-plan.js';

const bounds = { max_events: 3, max_bytes: 100, max_wait_ms: 500 };

describe('planBatch', () => {
  it('sends at once when max_events are queued, taking no more', () => {
    expect(planBatch([10, 10, 10, 10], bounds, null, 1000, 1000)).toEqual({ kind: 'send', count: 3 });
  });

  it('waits for more until the head has waited max_wait_ms, then sends what there is', () => {
    expect(planBatch([10, 10], bounds, null, 1000, 1200)).toEqual({ kind: 'wait', untilMs: 1500 });
    expect(planBatch([10, 10], bounds, null, 1000, 1500)).toEqual({ kind: 'send', count: 2 });
  });

  it('counts the array brackets and commas against max_bytes', () => {
    // [a,b]: 2 + 48 + 1 + 49 = 100 fits exactly; a third would not.
    expect(planBatch([48, 49, 1], bounds, null, 0, 0)).toEqual({ kind: 'send', count: 2 });
    // 2 + 48 + 1 + 50 = 101: the second waits for the next request.
    expect(planBatch([48, 50], bounds, null, 0, 0)).toEqual({ kind: 'send', count: 1 });
  });

  it('sends an envelope larger than max_bytes alone, at once', () => {
    expect(planBatch([500], bounds, null, 0, 0)).toEqual({ kind: 'send', count: 1 });
    expect(planBatch([500, 10], bounds, null, 0, 0)).toEqual({ kind: 'send', count: 1 });
  });

  it('sends a failed batch again as soon as all its members are back, and not before its wait', () => {
    expect(planBatch([10, 10], { ...bounds, max_events: 10 }, 2, 0, 0)).toEqual({ kind: 'send', count: 2 });
    expect(planBatch([10], { ...bounds, max_events: 10 }, 2, 0, 10)).toEqual({ kind: 'wait', untilMs: 500 });
  });

  it('with max_wait_ms 0 never waits', () => {
    expect(planBatch([10], { ...bounds, max_wait_ms: 0 }, null, 0, 0)).toEqual({ kind: 'send', count: 1 });
  });

  it('refuses an empty queue', () => {
    expect(() => planBatch([], bounds, null, 0, 0)).toThrow(RangeError);
  });
});

describe('batchGroup', () => {
  it('keeps a failed batch to itself, and fresh deliveries apart by attempt', () => {
    const id = '0b7c3f7e-4a51-4b8e-9f55-9c1d1c1f0a01';
    expect(batchGroup({ attempt: 3, batch: { id } })).toBe(`${id}/3`);
    expect(batchGroup({ attempt: 1, batch: null })).toBe('/1');
    expect(batchGroup({ attempt: 1 })).not.toBe(batchGroup({ attempt: 2 }));
  });
});

describe('batchBody', () => {
  it('joins the envelopes byte for byte into a JSON array', () => {
    const bodies = ['{"id":"a","data":{"x":"\\u00e9"}}', '{"id":"b"}'];
    expect(batchBody(bodies)).toBe('[{"id":"a","data":{"x":"\\u00e9"}},{"id":"b"}]');
    expect(JSON.parse(batchBody(bodies))).toEqual(bodies.map((b) => JSON.parse(b) as unknown));
  });
});
