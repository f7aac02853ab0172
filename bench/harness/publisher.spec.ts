import { describe, expect, it } from '@jest/globals';
import { bodyOf, latencies, makeEnvelope, type PlannedEvent, type PublishLog } from './publisher.ts';

describe('makeEnvelope', () => {
  it('pads the data so the receiver body has the asked size', () => {
    for (const size of [200, 512, 4096]) {
      expect(bodyOf(makeEnvelope(`evt_abc_${size}`, 'bench.pipeline.t0s1', 'b1-pipeline-0', size, 17)).length).toBe(size);
    }
  });

  it('gives the body the dispatcher derives: id, type, timestamp, data', () => {
    const e = makeEnvelope('evt_1', 'order.placed', 'acme', 200, 1);
    expect(Object.keys(JSON.parse(bodyOf(e)) as object)).toEqual(['id', 'type', 'timestamp', 'data']);
  });
});

describe('latencies', () => {
  it('measures each delivery from its event’s scheduled time, skipping undelivered keys', () => {
    const events = [
      { envelope: makeEnvelope('e0', 'a.b', 't', 200, 0), keys: ['e0 /s/1', 'e0 /s/2'] },
      { envelope: makeEnvelope('e1', 'a.b', 't', 200, 1), keys: ['e1 /s/1'] },
    ] satisfies PlannedEvent[];
    const log: PublishLog = { scheduledAt: Float64Array.from([1000, 1001]), sentAt: Float64Array.from([1003, 1003]), startedAt: 1000, ackedAt: 1010 };
    const at: Record<string, number> = { 'e0 /s/1': 1010, 'e0 /s/2': 1030 };
    expect(latencies(events, log, (k) => at[k] ?? null)).toEqual([10, 30]);
  });
});
