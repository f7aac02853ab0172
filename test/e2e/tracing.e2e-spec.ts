import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CollectedSpan, SpanCollector, usePipeline, waitFor } from '@hookstream/testing';

const TRACEPARENT_RE = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
// OTLP span kinds.
const [INTERNAL, SERVER, CLIENT, CONSUMER] = [1, 2, 3, 5];

/**
 * One delivery is one trace: the five services export their spans over OTLP/HTTP to a collector
 * in this test, and the spans of an event that fails its first attempt and succeeds on the retry
 * form a single chain under the caller's span, whose ids are the ones the receiver saw.
 */
describe('tracing (five services export OTLP spans)', () => {
  let collector: SpanCollector;

  beforeAll(async () => {
    collector = await SpanCollector.start();
  });
  const fx = usePipeline('tracing', {
    receiver: {
      // `/traced-…` fails its first attempt; `/dies-…` fails both attempts RETRY_DELAYS allows.
      respond: (req) => {
        const nth = fx.receiver.requests.filter((r) => r.path === req.path).length;
        return nth <= (req.path.startsWith('/dies') ? 2 : 1) ? { status: 500, body: 'failing' } : { status: 200, body: 'ok' };
      },
    },
    env: () => ({ all: collector.env(), dispatcher: { RETRY_DELAYS: '1s', BREAKER_VOLUME_THRESHOLD: '1000' } }),
  });
  // Declared after the fixture, so it runs once the services have stopped and flushed their spans.
  afterAll(async () => {
    await collector?.close();
  });

  /** A tenant subscribed at `prefix-…`, and one event published by a caller with a trace of its own. */
  async function publishTraced(prefix: string) {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const path = `${prefix}-${randomBytes(4).toString('hex')}`;
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const sub = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}${path}`, event_types: ['order.*'], secret });
    expect(sub.status).toBe(201);
    // The caller is itself traced: its span is the root the whole delivery hangs from.
    const callerTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const event = { id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: tenantId, occurred_at: new Date().toISOString(), data: { order_id: 'ord_1' } };
    const accepted = await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event, { traceparent: `00-${callerTrace}-${callerSpan}-01` });
    expect(accepted.status).toBe(202);
    return { tenantId, apiKey, subscriptionId: sub.body.id, path, event, callerTrace, callerSpan };
  }

  /** The pipeline step a span stands for (its name follows the OpenTelemetry conventions instead). */
  const hop = (s: CollectedSpan): string => String(s.attributes['hookstream.hop'] ?? s.name);

  /** The span `spanId` and its ancestors, root first. */
  function ancestry(spans: readonly CollectedSpan[], spanId: string | undefined): CollectedSpan[] {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const out: CollectedSpan[] = [];
    for (let s = spanId ? byId.get(spanId) : undefined; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) out.unshift(s);
    return out;
  }

  it('follows ingress -> fan-out -> attempt -> retry -> attempt in one trace, the one the receiver saw', async () => {
    const { tenantId, path, event, callerTrace, callerSpan } = await publishTraced('/traced');

    const seen = await fx.receiver.waitForRequests(2, 60_000, (r) => r.path === path);
    expect(seen.map((r) => r.headers['webhook-id'])).toEqual([event.id, event.id]);
    const contexts = seen.map((r) => TRACEPARENT_RE.exec(String(r.headers['traceparent'])));
    for (const c of contexts) expect(c?.[1]).toBe(callerTrace);
    const [firstSeen, secondSeen] = contexts.map((c) => c?.[2]);

    const chain = ['POST /v1/events', 'ingress accept', 'dispatcher fan-out', 'dispatcher attempt', 'retry schedule', 'retry fire', 'dispatcher attempt'];
    const spans = await waitFor(() => {
      const got = collector.inTrace(callerTrace);
      return got.filter((s) => hop(s) === 'dispatcher attempt').length >= 2 && chain.every((n) => got.some((s) => hop(s) === n)) ? got : undefined;
    }, 30_000, 'every hop of the delivery exported in its trace');

    // Every hop of the delivery is the child of the one before, from the caller's own span on.
    const path_ = ancestry(spans, secondSeen);
    expect(path_.map(hop)).toEqual(chain);
    // Span names and attributes follow the OpenTelemetry HTTP and messaging conventions.
    expect(path_.map((s) => s.name)).toEqual(['POST /v1/events', 'ingress accept', `process ${fx.stack.topicPrefix}hookstream.events`, 'POST', `process ${fx.stack.topicPrefix}hookstream.retries`, 'retry fire', 'POST']);
    expect(path_.map((s) => s.kind)).toEqual([SERVER, INTERNAL, CONSUMER, CLIENT, CONSUMER, CONSUMER, CLIENT]);
    expect(path_[0]?.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/v1/events', 'http.response.status_code': 202, 'url.path': '/v1/events' });
    expect(path_[2]?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': `${fx.stack.topicPrefix}hookstream.events`,
      'messaging.consumer.group.name': `${fx.stack.topicPrefix}dispatcher-fanout`,
    });
    expect(typeof path_[2]?.attributes['messaging.kafka.offset']).toBe('number');
    expect(path_[3]?.attributes).toMatchObject({ 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'error.type': 'http_status' });
    expect(String(path_[3]?.attributes['url.full'])).toContain(path);
    expect(path_[0]?.parentSpanId).toBe(callerSpan);
    expect(path_.map((s) => s.service)).toEqual(['ingress-gateway', 'ingress-gateway', 'dispatcher', 'dispatcher', 'retry-scheduler', 'retry-scheduler', 'dispatcher']);
    // The first request's traceparent is the first attempt's span, and it failed with the 500 the receiver sent.
    expect(path_[3]?.spanId).toBe(firstSeen);
    expect(path_[3]?.attributes).toMatchObject({ 'hookstream.attempt': 1, 'http.response.status_code': 500, 'hookstream.outcome': 'retry_scheduled' });
    expect(path_[6]?.attributes).toMatchObject({ 'hookstream.attempt': 2, 'http.response.status_code': 200, 'hookstream.outcome': 'delivered' });
    for (const s of path_.slice(3)) expect(s.attributes['hookstream.tenant_id']).toBe(tenantId);
  }, 120_000);

  it('shows the Postgres and Redis calls of the request that accepted the event under its server span, without their values', async () => {
    const { event, callerTrace } = await publishTraced('/calls');
    const served = await waitFor(() => {
      const got = collector.inTrace(callerTrace);
      const server = got.find((s) => s.kind === SERVER && s.service === 'ingress-gateway');
      const calls = got.filter((s) => s.parentSpanId === server?.spanId);
      return server && calls.some((s) => s.attributes['db.system.name'] === 'postgresql') && calls.some((s) => s.attributes['db.system.name'] === 'redis') ? { server, calls } : undefined;
    }, 30_000, 'the request\'s Postgres and Redis spans');
    expect(served.server.scope).toBe('@opentelemetry/instrumentation-http');
    const insert = served.calls.find((s) => s.attributes['db.system.name'] === 'postgresql' && /INSERT INTO events \(/i.test(String(s.attributes['db.query.text'])));
    expect(insert?.scope).toBe('@opentelemetry/instrumentation-pg');
    // Statements are parameterised and Redis spans name the command only: the event's id and
    // payload never reach a library's span (Hookstream's own spans name the event's id on purpose).
    const exported = JSON.stringify(served.calls.filter((s) => s.scope !== 'hookstream'));
    expect(exported).not.toContain(event.id);
    expect(exported).not.toContain('ord_1');
    for (const r of served.calls.filter((s) => s.attributes['db.system.name'] === 'redis')) expect(String(r.attributes['db.query.text'] ?? r.attributes['db.statement'] ?? '')).toMatch(/^[a-z]+$/i);
  }, 60_000);

  it('leaves probes untraced and adds no second span to a webhook request', () => {
    const probes = collector.spans.filter((s) => /^\/(health|metrics)/.test(String(s.attributes['url.path'] ?? '')));
    expect(probes).toEqual([]);
    const clients = collector.spans.filter((s) => s.kind === CLIENT && s.service === 'dispatcher');
    expect(clients.length).toBeGreaterThan(0);
    for (const c of clients) expect(c.scope).toBe('hookstream');
  });

  it('continues the trace through the dead letter and its replay', async () => {
    const { apiKey, subscriptionId, path, event, callerTrace, callerSpan } = await publishTraced('/dies');
    await fx.receiver.waitForRequests(2, 60_000, (r) => r.path === path);
    const letter = await waitFor(async () => {
      const res = await fx.pipeline.call<{ data: Array<{ id: string }> }>('dlq-inspector', 'GET', `/v1/dead-letters?subscription_id=${subscriptionId}`, apiKey);
      return res.body.data[0];
    }, 60_000, 'the dead letter');
    const replay = await fx.pipeline.call('dlq-inspector', 'POST', `/v1/dead-letters/${letter.id}/replay`, apiKey, undefined, { 'idempotency-key': `trace-${event.id}` });
    expect(replay.status).toBe(202);

    const seen = await fx.receiver.waitForRequests(3, 60_000, (r) => r.path === path);
    const contexts = seen.map((r) => TRACEPARENT_RE.exec(String(r.headers['traceparent'])));
    for (const c of contexts) expect(c?.[1]).toBe(callerTrace);
    const chain = ['POST /v1/events', 'ingress accept', 'dispatcher fan-out', 'dispatcher attempt', 'retry schedule', 'retry fire', 'dispatcher attempt', 'dlq store', 'dlq replay', 'dispatcher attempt'];
    const path_ = await waitFor(() => {
      const got = ancestry(collector.inTrace(callerTrace), contexts[2]?.[2]);
      return got.length === chain.length ? got : undefined;
    }, 30_000, 'the replayed attempt and its ancestry exported');
    expect(path_.map(hop)).toEqual(chain);
    expect(path_[0]?.parentSpanId).toBe(callerSpan);
    expect(path_.map((s) => s.service)).toEqual(['ingress-gateway', 'ingress-gateway', 'dispatcher', 'dispatcher', 'retry-scheduler', 'retry-scheduler', 'dispatcher', 'dlq-inspector', 'dlq-inspector', 'dispatcher']);
    expect([path_[3]?.spanId, path_[6]?.spanId]).toEqual([contexts[0]?.[2], contexts[1]?.[2]]);
    expect(path_[6]?.attributes).toMatchObject({ 'hookstream.attempt': 2, 'hookstream.outcome': 'dead_lettered' });
    expect(path_[9]?.attributes).toMatchObject({ 'hookstream.attempt': 1, 'hookstream.generation': 1, 'hookstream.outcome': 'delivered' });
  }, 120_000);
});
