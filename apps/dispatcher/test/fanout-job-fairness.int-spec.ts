import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, type ServiceProcess, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import { event, publishEvents, publishSubscriptions, startDispatcher, subscription } from './harness.js';

/**
 * Background fan-outs are continued tenants in turn, not job by job: one tenant with eight large
 * fan-outs going gets one chunk per round like another tenant with one. Before, each job ran its
 * own loop, so the tenant with eight jobs took eight chunks for every one of the other's. Jobs
 * waiting their turn keep their leases, so no sweeper mistakes them for abandoned.
 */
describe('background fan-outs take turns by tenant', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let receiver: TestReceiver;
  const BIG_EVENTS = 8;
  const BIG_SUBS = 200;
  const SMALL_SUBS = 100;
  const CHUNK = 20;

  beforeAll(async () => {
    stack = await createTestStack('fanoutfair', { partitions: { events: 1 } });
    receiver = await TestReceiver.start();
    await publishSubscriptions(stack, [
      ...Array.from({ length: BIG_SUBS }, (_, i) => subscription('tenant-big', `${receiver.url}/big/${i}`)),
      ...Array.from({ length: SMALL_SUBS }, (_, i) => subscription('tenant-small', `${receiver.url}/small/${i}`)),
    ]);
    dispatcher = await startDispatcher(stack, {
      FANOUT_CHUNK_SIZE: String(CHUNK),
      FANOUT_JOB_CONCURRENCY: '1',
      LEASE_TTL_MS: '1500',
      LEASE_SWEEP_INTERVAL_MS: '200',
    });
  }, 180_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  it("creates the small tenant's fan-out alongside the big tenant's eight, and lets no waiting job's lease lapse", async () => {
    let lapsed = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const r = await stack.query<{ n: string }>('SELECT count(*) AS n FROM fanout_jobs WHERE expires_at < now()');
        lapsed = Math.max(lapsed, Number(r[0]?.n));
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    // One produce, so both tenants' fan-outs start in the same consumer batch. Published
    // separately, a busy machine could deliver the small tenant's event after the big tenant's
    // jobs had all finished (1,600 ahead in a loaded run), which says nothing about turns.
    await publishEvents(stack, [...Array.from({ length: BIG_EVENTS }, () => event('tenant-big')), event('tenant-small')]);

    const total = BIG_EVENTS * BIG_SUBS + SMALL_SUBS;
    await waitFor(async () => {
      const r = await stack.query<{ n: string }>('SELECT count(*) AS n FROM deliveries');
      return Number(r[0]?.n) === total ? true : undefined;
    }, 120_000, 'every delivery to be created');
    watching = false;
    await watch;

    // Deliveries rows are created chunk by chunk (one transaction each): count the big tenant's
    // rows created before the small tenant's last chunk.
    const [row] = await stack.query<{ ahead: string }>(
      `SELECT count(*) AS ahead FROM deliveries
        WHERE tenant_id = 'tenant-big' AND created_at < (SELECT max(created_at) FROM deliveries WHERE tenant_id = 'tenant-small')`,
    );
    const ahead = Number(row?.ahead);
    process.stdout.write(`fan-out fairness: ${ahead} of ${BIG_EVENTS * BIG_SUBS} big deliveries were created before the small tenant's last chunk\n`);
    // Tenants in turn: the big tenant's first chunks (made by the consumer, 8 × 20) and about one
    // chunk per small chunk, so ~240. Job by job it was about half of the 1,600.
    expect(ahead).toBeLessThan(BIG_EVENTS * BIG_SUBS * 0.3);
    expect(lapsed).toBe(0);
    // A job's row goes with its last, empty step, which may come just after its last deliveries.
    await waitFor(async () => {
      const [jobs] = await stack.query<{ n: string }>('SELECT count(*) AS n FROM fanout_jobs');
      return Number(jobs?.n) === 0 ? true : undefined;
    }, 10_000, 'every fan-out job to finish');
  }, 180_000);
});
