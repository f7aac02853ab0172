import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { physicalTopic, TOPICS, type TopicKey } from '@hookstream/contracts';
import type { KafkaSecurity } from '@hookstream/kafka';
import { createKafka } from '@hookstream/kafka/kafkajs';
import { HookstreamPublisher } from '@hookstream/publisher';
import { type SecureKafka, startSecureKafka, usePipeline } from '@hookstream/testing';
import { pino } from 'pino';

/**
 * The pipeline on a broker as production runs it: SASL_SSL only (SCRAM-SHA-512, a CA made for the
 * test), ACLs enforced with nothing allowed by default, and each service as its own principal with
 * the grants of KAFKA_ACCESS. Events in over HTTP and over Kafka (as the `publisher` principal) are
 * delivered; a client without credentials, with a wrong password, or a principal reaching outside
 * its ACLs is refused by the broker.
 */
describe('Kafka over SASL_SSL with per-service ACLs', () => {
  let secure: SecureKafka;
  beforeAll(async () => {
    secure = await startSecureKafka();
  }, 120_000);
  const fx = usePipeline('kafkasec', { secure: () => secure });
  afterAll(async () => {
    await secure?.stop();
  }, 60_000);

  const quiet = pino({ level: 'silent' });
  const topic = (key: TopicKey) => physicalTopic(fx.stack.topicPrefix, TOPICS[key]);
  const client = (security: KafkaSecurity | undefined) => createKafka(`probe-${randomUUID().slice(0, 8)}`, secure.brokers, quiet, security);

  /** The broker's error code under kafkajs's wrapping (a non-retriable error keeps its cause). */
  function answer(err: unknown): string {
    const e = err as { type?: string; name?: string; message?: string; cause?: { type?: string } };
    return e.cause?.type ?? e.type ?? `${String(e.name)}: ${String(e.message)}`;
  }

  /** Produces one message as a client with these settings; the broker's answer, or 'ok'. */
  async function produceAs(security: KafkaSecurity | undefined, key: TopicKey): Promise<string> {
    const producer = client(security).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    try {
      await producer.connect();
      await producer.send({ topic: topic(key), acks: -1, messages: [{ key: 'probe', value: '{}' }] });
      return 'ok';
    } catch (err) {
      return answer(err);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  it('delivers events published over HTTP and through the publisher SDK as the publisher principal', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const sub = await fx.pipeline.call('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/sec`, event_types: ['order.*'] });
    expect(sub.status).toBe(201);
    const envelope = () => ({ id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: tenantId, occurred_at: '2026-12-06T10:00:00Z', data: { n: 1 } });

    // The dispatcher's index learns the subscription from the changelog: publish until it does.
    const overHttp = envelope();
    for (let i = 0; !fx.receiver.requests.some((r) => r.path === '/sec'); i++) {
      if (i === 20) throw new Error('nothing was delivered over SASL_SSL');
      const res = await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, i === 0 ? overHttp : envelope());
      expect(res.status).toBe(202);
      await fx.receiver.waitForRequests(1, 1500, (r) => r.path === '/sec').catch(() => undefined);
    }

    // The SDK's own TLS and SASL options, as a partner's service would pass them.
    const { tls, sasl } = secure.security('publisher');
    if (!tls || !sasl) throw new Error('the secure broker gave the publisher no credentials');
    const hooks = new HookstreamPublisher({ brokers: secure.brokers, topicPrefix: fx.stack.topicPrefix, tenantId, tls, sasl, connectionTimeoutMs: 10_000 });
    const published = await hooks.publish({ type: 'order.placed', data: { n: 2 } }).finally(() => hooks.close());
    expect(published.status).toBe('queued');
    const [req] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/sec' && r.headers['webhook-id'] === published.id);
    expect((JSON.parse(req?.body ?? '{}') as { id?: string }).id).toBe(published.id);
  }, 120_000);

  it('refuses a client without credentials, or with a wrong password', async () => {
    // TLS alone: the listener wants SASL first, and closes the connection of a client that skips it.
    expect(await produceAs({ tls: { ca: secure.security('admin').tls?.ca ?? '' }, sasl: null }, 'ingest')).toMatch(/Closed connection/);
    // No TLS at all: a plain-text request is not a TLS handshake, and the connection is closed.
    expect(await produceAs(undefined, 'ingest')).toMatch(/Closed connection/);
    expect(await produceAs(secure.security('publisher', 'not-the-password'), 'ingest')).toMatch(/SASLAuthenticationError.*invalid credentials/);
  }, 120_000);

  it('refuses a principal outside its ACLs', async () => {
    // The publisher may produce to hookstream.ingest and nothing else: not forge events, not
    // re-point subscriptions, not fake a delivery status.
    expect(await produceAs(secure.security('publisher'), 'ingest')).toBe('ok');
    for (const key of ['events', 'subscriptions', 'deliveryStatus', 'deliveries'] as const) {
      expect({ key, answer: await produceAs(secure.security('publisher'), key) }).toEqual({ key, answer: 'TOPIC_AUTHORIZATION_FAILED' });
    }
    // A service writes only where it must: the gateway not to the changelog, the dispatcher not
    // to the ingest topic.
    expect(await produceAs(secure.security('ingress-gateway'), 'subscriptions')).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceAs(secure.security('dispatcher'), 'ingest')).toBe('TOPIC_AUTHORIZATION_FAILED');

    // Nor read what it does not consume: the publisher cannot read the subscription changelog
    // (it has no group), and the gateway cannot read it even in a group of its own prefix.
    const admin = client(secure.security('publisher')).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic('subscriptions')).then(
      () => 'ok',
      (err: unknown) => answer(err),
    );
    await admin.disconnect();
    expect(offsets).toBe('TOPIC_AUTHORIZATION_FAILED');

    const consumer = client(secure.security('ingress-gateway')).consumer({ groupId: `${fx.stack.topicPrefix}ingress-gateway-probe` });
    await consumer.connect();
    const subscribed = await consumer.subscribe({ topics: [topic('subscriptions')], fromBeginning: true }).then(
      () => 'ok',
      (err: unknown) => answer(err),
    );
    await consumer.disconnect();
    expect(subscribed).toBe('TOPIC_AUTHORIZATION_FAILED');
  }, 120_000);
});
