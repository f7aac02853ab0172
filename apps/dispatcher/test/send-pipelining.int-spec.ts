import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, type ServiceProcess, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import { event, idOf, publishEvents, publishSubscriptions, startDispatcher, subscription } from './harness.js';

/**
 * A batch of hookstream.deliveries waits up to SEND_BATCH_WAIT_MS for its deliveries before it
 * leases the rest; the partition's next batch must not wait with it. kafkajs fetches again only
 * when every batch of a fetch has been handled, so a batch waiting on one tenant's slow endpoint
 * held up every tenant's deliveries (the hostile_tenant round's queue stage, 137-362 ms at p99).
 * Here one partition, a 5 s batch wait and an endpoint that takes 3 s: the next delivery on the
 * partition goes at once, and both batches' offsets are still committed.
 */
describe('the next batch of a partition does not wait for the previous one to settle', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let receiver: TestReceiver;

  beforeAll(async () => {
    stack = await createTestStack('sendpipe', { partitions: { deliveries: 1, events: 1 } });
    receiver = await TestReceiver.start({ respond: (req) => (req.path === '/slow' ? new Promise((r) => setTimeout(() => r({ status: 200, body: 'ok' }), 3000)) : { status: 200, body: 'ok' }) });
    await publishSubscriptions(stack, [subscription('tenant-slow', `${receiver.url}/slow`, { timeout_ms: 10_000 }), subscription('tenant-fast', `${receiver.url}/fast`)]);
    dispatcher = await startDispatcher(stack, { SEND_BATCH_WAIT_MS: '5000', BREAKER_VOLUME_THRESHOLD: '1000000' });
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  it("sends a fast delivery while the batch before it still waits for a slow one, and commits both", async () => {
    const slow = event('tenant-slow');
    await publishEvents(stack, [slow]);
    await waitFor(() => receiver.requests.some((r) => r.path === '/slow'), 20_000, 'the slow delivery under way');
    const fast = event('tenant-fast');
    const publishedAt = Date.now();
    await publishEvents(stack, [fast]);
    const got = await waitFor(() => receiver.requests.find((r) => r.path === '/fast'), 20_000, 'the fast delivery');
    const waited = got.at - publishedAt;
    process.stdout.write(`send pipelining: the fast delivery arrived ${waited} ms after its event, behind a batch waiting up to 5 s\n`);
    // Before, it waited for the slow batch to settle: about 3 s after the slow request began.
    expect(waited).toBeLessThan(1500);
    // Both batches are committed, in order, once the slow one settles: the group's committed
    // offset reaches the topic's end.
    const topic = `${stack.topicPrefix}hookstream.deliveries`;
    const admin = stack.kafka.admin();
    await admin.connect();
    try {
      const [end] = await admin.fetchTopicOffsets(topic);
      expect(end?.high).toBe('2');
      await waitFor(
        async () => {
          const [committed] = await admin.fetchOffsets({ groupId: `${stack.topicPrefix}dispatcher-send`, topics: [topic] });
          return committed?.partitions[0]?.offset === end?.high || undefined;
        },
        20_000,
        'both batches committed',
      );
    } finally {
      await admin.disconnect();
    }
    expect(receiver.requests.map((r) => `${r.path} ${idOf(r.body)}`).sort()).toEqual([`/fast ${fast.id}`, `/slow ${slow.id}`]);
  });
});
