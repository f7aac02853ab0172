import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, type ReceivedRequest, ServiceProcess, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import { event, publishEvents, publishSubscriptions, startDispatcher, subscription } from './harness.js';

/**
 * A subscription's max concurrency and rate limit hold across batches and across retries: the
 * retry-scheduler runs too, some answers fail and come back as retries, and what the limits
 * would hold longer than THROTTLE_HOLD_MS is deferred through hookstream.retries.
 */
describe('per-subscription max concurrency and rate limit', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let scheduler: ServiceProcess;
  let receiver: TestReceiver;
  let inFlight = 0;
  let maxInFlight = 0;
  const tenant = 'limits';

  beforeAll(async () => {
    stack = await createTestStack('limits');
    receiver = await TestReceiver.start({
      onRequest: (req) => {
        if (req.path === '/concurrency') maxInFlight = Math.max(maxInFlight, ++inFlight);
      },
      respond: async (req, i) => {
        if (req.path === '/concurrency') {
          await new Promise((r) => setTimeout(r, 100));
          inFlight--;
        }
        // Every fourth answer fails, so retries share the limits with first attempts.
        return i % 4 === 3 ? { status: 500 } : { status: 200 };
      },
    });
    await publishSubscriptions(stack, [
      subscription(tenant, `${receiver.url}/concurrency`, { id: '00000000-0000-4000-8000-00000000c0c0', event_types: ['c.*'], max_concurrency: 3 }),
      subscription(tenant, `${receiver.url}/rate`, { id: '00000000-0000-4000-8000-0000000a7e00', event_types: ['r.*'], rate_limit_per_second: 20 }),
    ]);
    scheduler = new ServiceProcess('retry-scheduler', await freePort(), { ...stack.env(), MAX_IDLE_SLEEP_MS: '200' });
    scheduler.start();
    await scheduler.waitReady(90_000);
    dispatcher = await startDispatcher(stack, { RETRY_DELAYS: '1s,1s,1s,1s,1s', THROTTLE_HOLD_MS: '1000' });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([dispatcher?.stop(), scheduler?.stop()]);
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  /** The most requests whose arrivals fit in any window of `ms` milliseconds. */
  function busiestWindow(requests: readonly ReceivedRequest[], ms: number): number {
    const at = requests.map((r) => r.at).sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < at.length; i++) {
      // j < i: a window shrunk to nothing by a long stall must end the scan, not spin past i.
      while (j < i && (at[i] ?? 0) - (at[j] ?? 0) >= ms) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  it('never exceeds max concurrency 3 nor 20 requests per second, and still delivers everything', async () => {
    // The receiver stamps arrivals on this process's event loop: while it stalls (a loaded
    // machine), requests queue up and get stamped together. The stall is measured, and the
    // windows below shrink by it, so only the sender's own pace is judged.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const events = [...Array.from({ length: 40 }, () => event(tenant, 'c.placed')), ...Array.from({ length: 80 }, () => event(tenant, 'r.placed'))];
    await publishEvents(stack, events);
    await waitFor(async () => {
      const rows = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE tenant_id = $1 AND status = 'delivered'`, [tenant]);
      return Number(rows[0]?.n) === events.length;
    }, 60_000, 'all 120 deliveries to be delivered');

    // Concurrency: three at once at most, and the load did push it to three.
    expect(maxInFlight).toBe(3);
    loop.disable();
    // Rate: 20 in any second of the receiver's clock at most (60 in any 3 s), and the load did push it to the limit.
    const rate = receiver.requests.filter((r) => r.path === '/rate');
    const stallMs = Math.ceil(loop.max / 1e6) + 20;
    const busiest = busiestWindow(rate, 1000 - stallMs);
    const busiest3 = busiestWindow(rate, 3000 - stallMs);
    process.stdout.write(`limits: max ${maxInFlight} concurrent (limit 3); busiest second ${busiest} (limit 20), busiest 3 s ${busiest3} (limit 60), receiver stalls up to ${stallMs - 20} ms\n`);
    expect(busiest).toBeLessThanOrEqual(20);
    expect(busiest3).toBeLessThanOrEqual(60);
    expect(busiestWindow(rate, 1200)).toBeGreaterThanOrEqual(18);

    // Retries went through the same limits, and deferrals spent no attempt.
    const rows = await stack.query<{ outcome: string; error_class: string | null; origin: string; n: string }>(
      'SELECT outcome, error_class, origin, count(*) AS n FROM delivery_attempts WHERE tenant_id = $1 GROUP BY 1, 2, 3',
      [tenant],
    );
    const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).reduce((n, r) => n + Number(r.n), 0);
    expect(count((r) => r.origin === 'retry' && r.outcome === 'delivered')).toBeGreaterThan(0);
    expect(count((r) => r.outcome === 'postponed' && r.error_class === 'throttled')).toBeGreaterThan(0);
    expect(count((r) => r.outcome === 'delivered')).toBe(events.length);
    const overspent = await stack.query('SELECT id FROM deliveries WHERE tenant_id = $1 AND attempts > 6', [tenant]);
    expect(overspent).toEqual([]);
  });
});
