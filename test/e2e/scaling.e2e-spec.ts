import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventMessage } from '@hookstream/contracts';
import { arrivalRate, createTestStack, DeliveryLedger, type ServiceProcess, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import type { Producer } from 'kafkajs';
import { event, metricValue, publishSubscriptions, scrape, startDispatcher, subscription } from '../../apps/dispatcher/test/harness.js';

const TENANTS = 30;
const SUBS_PER_TENANT = 10;
/** Events per second; each one fans out to its tenant's subscriptions. */
const EVENTS_PER_SECOND = 10;
const TICK_MS = 200;
const WINDOW_MS = 8000;
const SESSION_TIMEOUT_MS = 10_000;

/**
 * Several dispatchers share one consumer group on the local stack. Under a steady load (300
 * subscriptions, 100 deliveries/s to a loopback receiver) one of three is SIGKILLed and a fourth
 * joins: the ledger shows nothing lost, duplicates only of what the killed process had in flight,
 * and the group back at the input rate once it has rebalanced.
 */
describe('scaling the dispatcher consumer group', () => {
  let stack: TestStack;
  let receiver: TestReceiver;
  let producer: Producer;
  const dispatchers: ServiceProcess[] = [];
  const env = { KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS), BREAKER_VOLUME_THRESHOLD: '1000000', LOG_LEVEL: 'warn' };

  beforeAll(async () => {
    // Six partitions on both topics the group consumes: room for four members.
    stack = await createTestStack('scaling', { partitions: { events: 6, deliveries: 6 } });
    receiver = await TestReceiver.start();
    producer = stack.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(dispatchers.map((d) => d.stop()));
    await producer?.disconnect();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  it('loses nothing and recovers its throughput when a member is SIGKILLed and another joins mid-load', async () => {
    // The longest attempt timeout: on a loaded machine a slow answer must not turn into a retry
    // (no retry-scheduler runs here), so every second arrival is the crash's doing.
    const tenants = Array.from({ length: TENANTS }, (_, i) => `scale${i}`);
    const subs = tenants.flatMap((t) => Array.from({ length: SUBS_PER_TENANT }, () => subscription(t, '', { timeout_ms: 30_000 }))).map((s) => ({ ...s, url: `${receiver.url}/s/${s.id}` }));
    await publishSubscriptions(stack, subs);
    dispatchers.push(...(await Promise.all([0, 1, 2].map(() => startDispatcher(stack, env)))));

    // The steady publisher: a fixed number of events per tick, tenants in turn, each expected at
    // every subscription of its tenant.
    const ledger = new DeliveryLedger();
    let published = 0;
    let publishing = true;
    const publisher = (async () => {
      for (let tick = Date.now(); publishing; tick += TICK_MS) {
        const batch: EventMessage[] = Array.from({ length: (EVENTS_PER_SECOND * TICK_MS) / 1000 }, () => event(tenants[published++ % TENANTS] ?? ''));
        await producer.send({ topic: `${stack.topicPrefix}hookstream.events`, acks: -1, messages: batch.map((e) => ({ key: e.tenant_id, value: JSON.stringify(e) })) });
        for (const e of batch) for (const s of subs) if (s.tenant_id === e.tenant_id) ledger.expect(e.id, `/s/${s.id}`);
        await new Promise((r) => setTimeout(r, Math.max(0, tick + TICK_MS - Date.now())));
      }
    })();

    try {
      const inputRate = EVENTS_PER_SECOND * SUBS_PER_TENANT;
      // Warm: deliveries flow from the three members for a while before the window is measured.
      const flowing = await waitFor(() => receiver.requests[0]?.at, 60_000, 'the first delivery');
      await new Promise((r) => setTimeout(r, Math.max(0, flowing + 3000 - Date.now())));
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const killAt = Date.now();
      const before = arrivalRate(receiver.requests, killAt - WINDOW_MS, killAt);

      const victim = dispatchers.shift();
      await victim?.kill();
      const killedAt = Date.now();
      const joiner = await startDispatcher(stack, env);
      dispatchers.push(joiner);
      // The victim's session expires and the group (two survivors, one newcomer) rebalances; then
      // the last window is measured with the load still on.
      const settled = Math.max(killedAt + SESSION_TIMEOUT_MS, Date.now()) + 4000;
      await new Promise((r) => setTimeout(r, settled - Date.now()));
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const after = arrivalRate(receiver.requests, Date.now() - WINDOW_MS, Date.now());
      publishing = false;
      await publisher;

      await waitFor(() => ledger.report(receiver.requests).lost.length === 0, 90_000, 'every expected delivery to arrive').catch(async (err: unknown) => {
        const { lost, expected } = ledger.report(receiver.requests);
        const statuses = await stack.query('SELECT status, count(*) AS n FROM deliveries WHERE event_id = ANY($1) GROUP BY 1', [lost.map((l) => l.eventId)]);
        throw new Error(`${(err as Error).message}: ${lost.length} of ${expected} never arrived, e.g. ${JSON.stringify(lost.slice(0, 3))}; their deliveries: ${JSON.stringify(statuses)}`);
      });
      const report = ledger.report(receiver.requests);
      const inFlightAtKill = receiver.requests.filter((r) => r.at >= killAt - 5000 && r.at <= killedAt).length;
      process.stdout.write(
        `scaling: ${published} events, ${report.expected} deliveries expected, ${report.delivered} delivered, ${report.duplicates.length} duplicated; ` +
          `${before.toFixed(0)}/s before the kill, ${after.toFixed(0)}/s in the last window (input ${inputRate}/s)\n`,
      );

      expect(report.expected).toBe(published * SUBS_PER_TENANT);
      expect(report.lost).toEqual([]);
      expect(report.unexpected).toBe(0);
      // At-least-once: a delivery arrives twice only when the killed member sent it and died
      // before recording it; its first arrival is then from before the kill.
      for (const dup of report.duplicates) expect(Math.min(...dup.arrivals)).toBeLessThanOrEqual(killedAt);
      expect(report.duplicates.length).toBeLessThanOrEqual(inFlightAtKill);
      // The newcomer took partitions over and the group is back at (at least 70% of) its rate.
      expect(metricValue(await scrape(joiner), 'hookstream_fanout_deliveries_total')).toBeGreaterThan(0);
      expect(after).toBeGreaterThanOrEqual(0.7 * before);
    } finally {
      publishing = false;
      await publisher;
    }
  }, 300_000);
});
