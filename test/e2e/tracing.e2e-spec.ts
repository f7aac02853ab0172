import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CollectedSpan, createTestStack, type Pipeline, SpanCollector, startPipeline, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';

const TRACEPARENT_RE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/**
 * One delivery is one trace: the five services export their spans over OTLP/HTTP to a collector
 * in this test, and the spans of an event that fails its first attempt and succeeds on the retry
 * form a single chain under the caller's span, whose ids are the ones the receiver saw.
 */
describe('tracing (five services export OTLP spans)', () => {
  let stack: TestStack;
  let pipeline: Pipeline;
  let receiver: TestReceiver;
  let collector: SpanCollector;

  beforeAll(async () => {
    stack = await createTestStack('tracing');
    collector = await SpanCollector.start();
    receiver = await TestReceiver.start({
      respond: (req) => (receiver.requests.filter((r) => r.path === req.path).length === 1 ? { status: 500, body: 'first attempt fails' } : { status: 200, body: 'ok' }),
    });
    pipeline = await startPipeline(stack, {
      all: collector.env(),
      'subscription-registry': { DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1' },
      dispatcher: { DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1', RETRY_DELAYS: '1s', BREAKER_VOLUME_THRESHOLD: '1000' },
    });
  }, 180_000);

  afterAll(async () => {
    await pipeline?.stop();
    await receiver?.close();
    await collector?.close();
    await stack?.close();
  }, 60_000);

  it('follows ingress -> fan-out -> attempt -> retry -> attempt in one trace, the one the receiver saw', async () => {
    const { tenantId, apiKey } = await pipeline.createTenant();
    const path = `/traced-${randomBytes(4).toString('hex')}`;
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const sub = await pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${receiver.url}${path}`, event_types: ['order.*'], secret });
    expect(sub.status).toBe(201);

    // The caller is itself traced: its span is the root the whole delivery hangs from.
    const callerTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const event = { id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: tenantId, occurred_at: new Date().toISOString(), data: { order_id: 'ord_1' } };
    const accepted = await pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event, { traceparent: `00-${callerTrace}-${callerSpan}-01` });
    expect(accepted.status).toBe(202);

    const seen = await receiver.waitForRequests(2, 60_000, (r) => r.path === path);
    expect(seen.map((r) => r.headers['webhook-id'])).toEqual([event.id, event.id]);
    const contexts = seen.map((r) => TRACEPARENT_RE.exec(String(r.headers['traceparent'])));
    for (const c of contexts) expect(c?.[1]).toBe(callerTrace);
    const [firstSeen, secondSeen] = contexts.map((c) => c?.[2]);

    const chain = ['ingress accept', 'dispatcher fan-out', 'dispatcher attempt', 'retry schedule', 'retry fire', 'dispatcher attempt'];
    const spans = await waitFor(() => {
      const got = collector.inTrace(callerTrace);
      return got.filter((s) => s.name === 'dispatcher attempt').length >= 2 && chain.every((n) => got.some((s) => s.name === n)) ? got : undefined;
    }, 30_000, 'every hop of the delivery exported in its trace');

    // Every span of this trace is one of the delivery's hops, each the child of the one before.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const attempts = spans.filter((s) => s.name === 'dispatcher attempt');
    const last = attempts.find((s) => s.spanId === secondSeen);
    expect(last).toBeDefined();
    const path_: CollectedSpan[] = [];
    for (let s: CollectedSpan | undefined = last; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) path_.unshift(s);
    expect(path_.map((s) => s.name)).toEqual(chain);
    expect(path_[0]?.parentSpanId).toBe(callerSpan);
    expect(path_.map((s) => s.service)).toEqual(['ingress-gateway', 'dispatcher', 'dispatcher', 'retry-scheduler', 'retry-scheduler', 'dispatcher']);
    // The first request's traceparent is the first attempt's span, and it failed with the 500 the receiver sent.
    expect(path_[2]?.spanId).toBe(firstSeen);
    expect(path_[2]?.attributes).toMatchObject({ 'hookstream.attempt': 1, 'http.response.status_code': 500, 'hookstream.outcome': 'retry_scheduled' });
    expect(path_[5]?.attributes).toMatchObject({ 'hookstream.attempt': 2, 'http.response.status_code': 200, 'hookstream.outcome': 'delivered' });
    for (const s of path_.slice(2)) expect(s.attributes['hookstream.tenant_id']).toBe(tenantId);
  }, 120_000);
});
