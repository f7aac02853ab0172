import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, type ServiceProcess, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import { event, publishSubscriptions, startDispatcher, subscription } from './harness.js';

/**
 * A dispatcher that starts while another's fan-out job has expired must not resume the job
 * before its subscription index has read the changelog: matched against a half-read index, the
 * job would find nothing left to do, end, and the subscriptions not read yet would never get
 * their deliveries. The changelog here is long (filler first, the event's subscriptions last)
 * and the claim sweeps every 100 ms, so a claim before the catch-up is all but certain without
 * the guard.
 */
describe('a restarted dispatcher resumes abandoned fan-outs only from a caught-up index', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess | undefined;
  let receiver: TestReceiver;
  const TARGETS = 120;
  const FILLER = 20_000;

  beforeAll(async () => {
    stack = await createTestStack('fanoutresume');
    receiver = await TestReceiver.start({ respond: () => Promise.resolve({ status: 200 }) });
  }, 60_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  it('creates every delivery of a job abandoned before the restart', async () => {
    const filler = Array.from({ length: FILLER }, (_, i) => subscription('resume-filler', `${receiver.url}/filler/${i}`, { event_types: ['other.*'] }));
    const targets = Array.from({ length: TARGETS }, (_, i) => subscription('resume-tenant', `${receiver.url}/target/${i}`, { event_types: ['resume.*'] }));
    await publishSubscriptions(stack, [...filler, ...targets]);

    // The job its dead owner left: nothing fanned out yet, its lease long expired.
    const e = event('resume-tenant', 'resume.me');
    await stack.query(
      `INSERT INTO fanout_jobs (tenant_id, event_id, event, traceparent, after_id, owner, expires_at)
       VALUES ($1, $2, $3, NULL, '00000000-0000-0000-0000-000000000000', 'dead-owner', now() - interval '1 minute')`,
      [e.tenant_id, e.id, JSON.stringify(e)],
    );

    dispatcher = await startDispatcher(stack, { LEASE_TTL_MS: '3000', LEASE_SWEEP_INTERVAL_MS: '100', FANOUT_CHUNK_SIZE: '50' });
    const created = async () => Number((await stack.query<{ n: string }>('SELECT count(*) AS n FROM deliveries WHERE event_id = $1', [e.id]))[0]?.n);
    await waitFor(async () => (await stack.query('SELECT 1 FROM fanout_jobs WHERE event_id = $1', [e.id])).length === 0, 60_000, 'the job to end');
    expect(await created()).toBe(TARGETS);
    await waitFor(() => Promise.resolve(receiver.requests.filter((r) => r.path.startsWith('/target/')).length === TARGETS), 30_000, 'every target to receive the event');
  }, 120_000);
});
