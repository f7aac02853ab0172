import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, type ServiceProcess, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import { event, publishEvents, publishSubscriptions, startDispatcher, subscription } from './harness.js';

/**
 * A dispatcher renews every background fan-out it holds, not only the one creating a chunk right
 * now: jobs waiting their turn (FANOUT_JOB_CONCURRENCY busy) keep their leases, so no sweeper
 * mistakes them for abandoned. A job another process took over meanwhile is dropped at the next
 * renewal, before its turn comes. One tenant's chunks are made slow by a trigger that sleeps on
 * its deliveries inserts, as a slow Postgres would be.
 */
describe('background fan-out leases', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let receiver: TestReceiver;
  const PER_TENANT = 10;

  beforeAll(async () => {
    stack = await createTestStack('fanoutleases', { partitions: { events: 1 } });
    await stack.query(`
      CREATE FUNCTION slow_tenant_0() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.tenant_id = 'tenant-0' THEN PERFORM pg_sleep(1.5); END IF;
        RETURN NEW;
      END $$`);
    await stack.query('CREATE TRIGGER slow_tenant_0 BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION slow_tenant_0()');
    receiver = await TestReceiver.start();
    await publishSubscriptions(stack, [0, 1, 2].flatMap((t) => Array.from({ length: PER_TENANT }, (_, i) => subscription(`tenant-${t}`, `${receiver.url}/${t}/${i}`))));
    dispatcher = await startDispatcher(stack, {
      FANOUT_CHUNK_SIZE: '2',
      FANOUT_JOB_CONCURRENCY: '1',
      LEASE_TTL_MS: '1000',
      LEASE_SWEEP_INTERVAL_MS: '600000',
    });
  }, 180_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  it('keeps the leases of jobs waiting their turn, and leaves a taken-over job to its new owner', async () => {
    const [slow, waiting, takenOver] = [0, 1, 2].map((t) => event(`tenant-${t}`));
    if (!slow || !waiting || !takenOver) throw new Error('three events');
    await publishEvents(stack, [slow, waiting, takenOver]);
    await waitFor(async () => {
      const r = await stack.query<{ n: string }>('SELECT count(*) AS n FROM fanout_jobs');
      return Number(r[0]?.n) === 3 ? true : undefined;
    }, 30_000, 'the three background fan-outs to be recorded');
    // The slow tenant's job now holds the only slot for 3 s a chunk; another dispatcher takes one
    // job, and keeps its lease (a lapsed one would rightly be claimed back: claims also run
    // whenever a job ends, FANOUT_JOBS_MAX_HELD being set).
    await stack.query(`UPDATE fanout_jobs SET owner = 'another-dispatcher', expires_at = now() + interval '1 hour' WHERE event_id = $1`, [takenOver.id]);
    for (let i = 0; i < 25; i++) {
      const rows = await stack.query<{ event_id: string; live: boolean }>('SELECT event_id, expires_at > now() AS live FROM fanout_jobs WHERE event_id = $1', [waiting.id]);
      // Still running or finished are both fine; lapsed while this dispatcher lives is not.
      if (rows[0]) expect(rows[0].live).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
    }

    await waitFor(async () => {
      const r = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM fanout_jobs WHERE owner <> 'another-dispatcher'`);
      return Number(r[0]?.n) === 0 ? true : undefined;
    }, 60_000, 'this dispatcher to finish its own jobs');
    const counts = await stack.query<{ event_id: string; n: string }>('SELECT event_id, count(*) AS n FROM deliveries GROUP BY event_id');
    const created = (id: string): number => Number(counts.find((c) => c.event_id === id)?.n ?? 0);
    expect(created(slow.id)).toBe(PER_TENANT);
    expect(created(waiting.id)).toBe(PER_TENANT);
    // Only the first chunk (made by the consumer before the job existed): the rest is the new owner's.
    expect(created(takenOver.id)).toBe(2);
    const [row] = await stack.query<{ owner: string }>('SELECT owner FROM fanout_jobs WHERE event_id = $1', [takenOver.id]);
    expect(row?.owner).toBe('another-dispatcher');
  }, 120_000);
});
