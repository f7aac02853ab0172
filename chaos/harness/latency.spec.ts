import { describe, expect, it } from '@jest/globals';
import { compareLatency, latencyStages, publishToReceipt } from './latency.ts';

describe('publishToReceipt', () => {
  const sentAt = new Map([
    ['evt_1', 1000],
    ['evt_2', 2000],
  ]);

  it('measures from the first publication to the first 2xx, for counted paths only', () => {
    const receipts = new Map([
      ['evt_1 /ok-a/0', { firstOkAt: 1040, requests: 1, oks: 1 }],
      ['evt_1 /slow/0', { firstOkAt: 3000, requests: 1, oks: 1 }],
      ['evt_2 /ok-b/1', { firstOkAt: 2100, requests: 2, oks: 1 }],
    ]);
    expect(publishToReceipt(sentAt, receipts, (p) => p.startsWith('/ok-')).sort((a, b) => a - b)).toEqual([40, 100]);
  });

  it('skips keys never answered 2xx and events it did not publish', () => {
    const receipts = new Map([
      ['evt_1 /ok-a/0', { firstOkAt: null, requests: 3, oks: 0 }],
      ['evt_9 /ok-a/0', { firstOkAt: 5000, requests: 1, oks: 1 }],
    ]);
    expect(publishToReceipt(sentAt, receipts, () => true)).toEqual([]);
  });
});

describe('compareLatency', () => {
  it('reports both rounds and the p99 ratio', () => {
    const c = compareLatency([10, 20, 30, 400], [10, 20, 30, 200]);
    expect(c.during.p99).toBe(400);
    expect(c.baseline.p99).toBe(200);
    expect(c.p99_ratio).toBe(2);
  });
});

describe('latencyStages', () => {
  it('splits publish → receipt at the stored, fanned-out and first-attempt times of the counted, received deliveries', () => {
    const sentAt = new Map([
      ['e1', 1000],
      ['e2', 2000],
    ]);
    const receipts = new Map([
      ['e1 /ok-a/1', { firstOkAt: 1100, requests: 1, oks: 1 }],
      ['e2 /ok-a/1', { firstOkAt: null, requests: 1, oks: 0 }],
      ['e1 /slow/1', { firstOkAt: 9000, requests: 1, oks: 1 }],
    ]);
    const stages = latencyStages(sentAt, receipts, (p) => p.startsWith('/ok-a/'), [
      { key: 'e1 /ok-a/1', source: 'kafka', receivedAt: 1010, fannedAt: 1030, startedAt: 1090 },
      { key: 'e2 /ok-a/1', source: 'http', receivedAt: 2010, fannedAt: 2030, startedAt: 2090 },
      { key: 'e1 /slow/1', source: 'kafka', receivedAt: 1010, fannedAt: 1030, startedAt: 1090 },
    ]);
    expect([stages.gateway.p50, stages.fanout.p50, stages.queue.p50, stages.send.p50]).toEqual([10, 20, 60, 10]);
    expect(stages.send.count).toBe(1);
    expect(Object.keys(stages.gateway_by_source)).toEqual(['kafka']);
    expect(stages.gateway_by_source['kafka']?.p50).toBe(10);
  });
});
