import { jest } from '@jest/globals';
import { createRequire } from 'node:module';
import { fixKafkajsRequestQueue, type PatchableQueue, scheduleCheckPendingRequests } from './request-queue-fix.js';

function queue(pending: number, throttledUntil: number): PatchableQueue & { checks: number } {
  const q = {
    pending: new Array<unknown>(pending).fill({}),
    throttledUntil,
    throttleCheckTimeoutId: null as NodeJS.Timeout | null,
    checks: 0,
    checkPendingRequests() {
      q.checks += 1;
      q.scheduleCheckPendingRequests();
    },
    scheduleCheckPendingRequests,
  };
  return q;
}

describe('scheduleCheckPendingRequests (kafkajs RequestQueue fix)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('schedules nothing for an idle queue that is not throttled (the 1 ms loop of kafkajs 2.2.4)', () => {
    const q = queue(0, -1);
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    jest.advanceTimersByTime(1000);
    expect(q.checks).toBe(0);
  });

  it('rechecks a queue with requests waiting after 10 ms when not throttled', () => {
    const q = queue(2, -1);
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(9);
    expect(q.checks).toBe(0);
    jest.advanceTimersByTime(1);
    expect(q.checks).toBe(1);
  });

  it('rechecks when the broker throttle ends, even with nothing waiting yet', () => {
    const q = queue(0, Date.now() + 250);
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(249);
    expect(q.checks).toBe(0);
    jest.advanceTimersByTime(1);
    expect(q.checks).toBe(1);
    // The throttle is over and nothing waits: no further checks.
    jest.advanceTimersByTime(1000);
    expect(q.checks).toBe(1);
  });

  it('keeps one scheduled check at a time', () => {
    const q = queue(1, -1);
    q.scheduleCheckPendingRequests();
    const first = q.throttleCheckTimeoutId;
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBe(first);
  });

  it('replaces the method on the RequestQueue kafkajs uses', () => {
    fixKafkajsRequestQueue();
    const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as { prototype: Record<string, unknown> };
    expect(RequestQueue.prototype['scheduleCheckPendingRequests']).toBe(scheduleCheckPendingRequests);
  });
});
