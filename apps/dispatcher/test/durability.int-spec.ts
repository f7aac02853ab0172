import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, type ServiceProcess, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import { event, metricValue, publishEvents, publishSubscriptions, scrape, startDispatcher, subscription } from './harness.js';

/**
 * Attempts that outlive their batch are leased in Postgres. While their owner lives they are
 * never sent twice, however long they take; when it is SIGKILLed, its leases expire and are
 * re-driven, and its half-done background fan-out is resumed, so nothing is lost.
 */
describe('leases and background fan-out survive the dispatcher', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let receiver: TestReceiver;
  let hanging = true;
  // A 10 s session: the restarted process gets the killed one's partitions 10 s after the kill, not 30.
  const env = { LEASE_TTL_MS: '3000', LEASE_SWEEP_INTERVAL_MS: '500', FANOUT_CHUNK_SIZE: '50', BREAKER_VOLUME_THRESHOLD: '1000000', KAFKA_SESSION_TIMEOUT_MS: '10000' };
  const slowSub = subscription('durable', '', { event_types: ['slow.*'], timeout_ms: 10_000 });
  const hangSub = subscription('durable', '', { event_types: ['hang.*'], timeout_ms: 30_000 });
  const MANY = 1500;

  beforeAll(async () => {
    stack = await createTestStack('durability');
    receiver = await TestReceiver.start({
      respond: async (req) => {
        if (req.path === '/slow') await new Promise((r) => setTimeout(r, 4500));
        if (req.path === '/hang' && hanging) await new Promise(() => undefined);
        return { status: 200 };
      },
    });
    slowSub.url = `${receiver.url}/slow`;
    hangSub.url = `${receiver.url}/hang`;
    await publishSubscriptions(stack, [
      slowSub,
      hangSub,
      ...Array.from({ length: MANY }, (_, i) => subscription('durable-many', `${receiver.url}/many/${i}`)),
    ]);
    dispatcher = await startDispatcher(stack, env);
  }, 120_000);

  afterAll(async () => {
    hanging = false;
    await dispatcher?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  const count = async (sql: string, params: unknown[] = []) => Number((await stack.query<{ n: string }>(sql, params))[0]?.n);

  it('never re-sends an attempt its live owner is still making, even past the lease TTL', async () => {
    const events = Array.from({ length: 5 }, () => event('durable', 'slow.done'));
    await publishEvents(stack, events);
    // Each attempt takes 4.5 s against a 3 s lease TTL: only renewals keep it from being re-driven.
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM delivery_leases WHERE subscription_id = $1`, [slowSub.id])) === 5, 10_000, 'the five attempts to be leased');
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1 AND status = 'delivered'`, [slowSub.id])) === 5, 30_000, 'the five to be delivered');
    await new Promise((r) => setTimeout(r, 2000));
    expect(receiver.requests.filter((r) => r.path === '/slow')).toHaveLength(5);
    expect(await count('SELECT count(*) AS n FROM delivery_leases')).toBe(0);
    expect(metricValue(await scrape(dispatcher), 'hookstream_delivery_leases_redriven_total')).toBe(0);
  }, 60_000);

  it('loses nothing when SIGKILLed with attempts in flight and a fan-out half done', async () => {
    const hung = Array.from({ length: 5 }, () => event('durable', 'hang.up'));
    await publishEvents(stack, hung);
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM delivery_leases WHERE subscription_id = $1`, [hangSub.id])) === 5, 15_000, 'the hanging attempts to be leased');
    const big = event('durable-many');
    await publishEvents(stack, [big]);
    const created = () => count('SELECT count(*) AS n FROM deliveries WHERE event_id = $1', [big.id]);
    await waitFor(async () => (await created()) >= 100, 30_000, 'the fan-out to be under way');
    await dispatcher.kill();
    const atKill = await created();
    expect(atKill).toBeLessThan(MANY);
    expect(await count('SELECT count(*) AS n FROM fanout_jobs WHERE event_id = $1', [big.id])).toBe(1);

    hanging = false;
    dispatcher = await startDispatcher(stack, env);
    // The fan-out is resumed from its cursor at once, and every delivery of it is sent once the
    // restarted process has the partitions (after the killed member's session expires).
    await waitFor(async () => (await count('SELECT count(*) AS n FROM deliveries WHERE event_id = $1', [big.id])) === MANY, 60_000, 'the fan-out to be resumed and completed');
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM deliveries WHERE event_id = $1 AND status = 'delivered'`, [big.id])) === MANY, 180_000, 'the whole fan-out to be delivered');
    // The killed attempts are re-driven once their leases expire.
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1 AND status = 'delivered'`, [hangSub.id])) === 5, 60_000, 'the hung attempts to be delivered');
    const manyPaths = receiver.requests.filter((r) => r.path.startsWith('/many/')).map((r) => r.path);
    expect(new Set(manyPaths).size).toBe(MANY);
    // Each hung event reached the receiver twice: the killed attempt and its re-drive.
    for (const e of hung) expect(receiver.requests.filter((r) => r.path === '/hang' && r.body.includes(e.id)).length).toBeGreaterThanOrEqual(2);
    // The big event's batch was never committed, so the restarted process reads it again once it
    // has the partition, and plans it again: a job that finds every delivery made, and ends.
    await waitFor(async () => (await count('SELECT count(*) AS n FROM fanout_jobs')) === 0, 30_000, 'every fan-out job to end');
    await waitFor(async () => (await count('SELECT count(*) AS n FROM delivery_leases')) === 0, 10_000, 'every lease to be released');
    const metrics = await scrape(dispatcher);
    expect(metricValue(metrics, 'hookstream_delivery_leases_redriven_total')).toBeGreaterThanOrEqual(5);
    process.stdout.write(`durability: killed with ${atKill} of ${MANY} fan-out deliveries created and 5 attempts hanging; all delivered after the restart\n`);
  }, 300_000);
});
