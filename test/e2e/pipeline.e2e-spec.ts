import { spawnSync } from 'node:child_process';
import { createHmac, createPublicKey, randomBytes, randomUUID, verify as cryptoVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { chromium } from 'playwright-core';
import { LOCAL_BASE_URLS, publicApiDocument } from '@hookstream/platform';
import { createTestCa, type QuarantinedView, quarantinedView, type ReceivedRequest, CHROMIUM_PATH, REPO_ROOT as ROOT, type ServiceName, type TestCa, TestReceiver, TestTokenServer, usePipeline, waitFor } from '@hookstream/testing';
import { Webhook } from 'standardwebhooks';

/**
 * The foundation's promise, end to end: five services as processes, a real broker, Postgres
 * and Redis, and a receiver on loopback that checks every signature with the official
 * standardwebhooks package.
 */
describe('pipeline (five services, real Kafka/Postgres/Redis)', () => {
  const failingPaths = new Set<string>();
  // HTTPS partners: one whose certificate the test CA signed (trusted through DELIVERY_CA_FILE),
  // one whose certificate has expired.
  let ca: TestCa;
  const https: { good?: TestReceiver; expired?: TestReceiver; mtls?: TestReceiver } = {};
  // A partner's OAuth 2.0 token endpoint, and a receiver that takes only its tokens.
  let tokens: TestTokenServer;
  let oauthReceiver: TestReceiver;

  beforeAll(async () => {
    ca = await createTestCa();
    https.good = await TestReceiver.start({ tls: await ca.issue() });
    https.expired = await TestReceiver.start({ tls: await ca.issue({ expired: true }) });
    https.mtls = await TestReceiver.start({ tls: { ...(await ca.issue()), clientCa: ca.certificate } });
    tokens = await TestTokenServer.start();
    oauthReceiver = await TestReceiver.start({ respond: (req) => ({ status: tokens.accepts(req.headers.authorization) ? 200 : 401 }) });
  });

  const fx = usePipeline('pipeline', {
    receiver: { respond: (req) => (failingPaths.has(req.path) ? { status: 500, body: 'down for maintenance' } : { status: 200, body: 'ok' }) },
    // A 10 s Kafka session: the SIGKILL test's restarted dispatcher waits that long for the killed one's partitions.
    env: () => ({
      dispatcher: { RETRY_DELAYS: '1s,2s', BREAKER_VOLUME_THRESHOLD: '1000', KAFKA_SESSION_TIMEOUT_MS: '10000', DELIVERY_CA_FILE: ca.certificateFile },
      'subscription-registry': { DELIVERY_CA_FILE: ca.certificateFile },
    }),
  });

  beforeAll(() => {
    fx.defer(async () => {
      await Promise.all([https.good?.close(), https.expired?.close(), https.mtls?.close(), tokens.close(), oauthReceiver.close()]);
      ca.dispose();
    });
  });

  const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

  async function subscribe(apiKey: string, path: string, eventTypes: string[], secret = newSecret(), base = fx.receiver.url) {
    const res = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, {
      url: `${base}${path}`,
      event_types: eventTypes,
      secret,
    });
    expect(res.status).toBe(201);
    return { id: res.body.id, secret };
  }

  const envelope = (tenantId: string, type = 'order.placed') => ({
    id: `evt_${randomUUID()}`,
    type,
    tenant_id: tenantId,
    occurred_at: '2026-11-22T10:00:00Z',
    data: { order_id: `ord_${randomBytes(3).toString('hex')}` },
  });

  function expectSignedDelivery(req: ReceivedRequest, secret: string, event: ReturnType<typeof envelope>): void {
    expect(JSON.parse(req.body)).toEqual({ id: event.id, type: event.type, timestamp: '2026-11-22T10:00:00.000Z', data: event.data });
    expect(req.headers['webhook-id']).toBe(event.id);
    expect(Number(req.headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(req.headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
    expect(req.headers['content-type']).toBe('application/json');
    const headers = {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    };
    expect(new Webhook(secret).verify(req.body, headers)).toEqual(JSON.parse(req.body));
    expect(() => new Webhook(newSecret()).verify(req.body, headers)).toThrow();
  }

  it('delivers an event published over HTTP, signed per Standard Webhooks; a repeat of its id is delivered once', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const { id: subscriptionId, secret } = await subscribe(apiKey, '/http', ['order.*']);
    const event = envelope(tenantId);

    const first = await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event);
    expect(first).toEqual({ status: 202, body: { id: event.id, status: 'accepted' } });
    const again = await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event);
    expect(again).toEqual({ status: 200, body: { id: event.id, status: 'duplicate' } });

    const [req] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/http');
    expectSignedDelivery(req, secret, event);
    // Which subscription sent it, for receivers that serve several from one URL.
    expect(req?.headers['webhook-subscription-id']).toBe(subscriptionId);
    // Give a wrongly duplicated delivery time to show up before asserting there is none.
    await new Promise((r) => setTimeout(r, 1500));
    expect(fx.receiver.requests.filter((r) => r.path === '/http')).toHaveLength(1);
    const rows = await fx.stack.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE tenant_id = $1', [tenantId]);
    expect(rows[0]?.n).toBe('1');
  });

  it('delivers an event produced to hookstream.ingest, and quarantines an invalid one with its reason', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const { secret } = await subscribe(apiKey, '/kafka', ['*']);
    const event = envelope(tenantId, 'invoice.paid');
    const producer = fx.stack.kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: `${fx.stack.topicPrefix}hookstream.ingest`,
        messages: [
          { key: tenantId, value: '{"id": "broken", "type": 42}' },
          { key: tenantId, value: JSON.stringify(event) },
          { key: tenantId, value: JSON.stringify(event) },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const [req] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/kafka');
    expectSignedDelivery(req, secret, event);

    const consumer = fx.stack.kafka.consumer({ groupId: `e2e-rejected-${randomUUID()}` });
    const rejected: QuarantinedView[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${fx.stack.topicPrefix}hookstream.ingest.rejected`, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        rejected.push(quarantinedView(message));
        return Promise.resolve();
      },
    });
    try {
      const [msg] = await waitFor(() => (rejected.length ? rejected : undefined), 30_000, 'a rejected ingest message');
      expect(msg.code).toBe('validation_failed');
      expect(msg.reason).toContain('type');
      // The original bytes, as produced, so that a re-drive can put them back.
      expect(msg.value?.toString()).toBe('{"id": "broken", "type": 42}');
    } finally {
      await consumer.disconnect();
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(fx.receiver.requests.filter((r) => r.path === '/kafka')).toHaveLength(1);
  });

  it('retries a failing receiver on schedule, dead-letters it, lists it, and delivers it on replay', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const { id: subscriptionId, secret } = await subscribe(apiKey, '/failing', ['order.placed']);
    failingPaths.add('/failing');
    const event = envelope(tenantId);
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event)).status).toBe(202);

    // Attempts 1, 2, 3 with RETRY_DELAYS=1s,2s: then the budget is spent.
    const attempts = await fx.receiver.waitForRequests(3, 30_000, (r) => r.path === '/failing');
    const gaps = attempts.slice(1).map((r, i) => r.at - (attempts[i]).at);
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1900);
    for (const a of attempts) expect(a.headers['webhook-id']).toBe(event.id);

    type Letter = { id: string; event_id: string; attempts: number; last_status_code: number; reason: string };
    const letter = await waitFor(async () => {
      const res = await fx.pipeline.call<{ data: Letter[] }>('dlq-inspector', 'GET', '/v1/dead-letters', apiKey);
      return res.body.data.find((l) => l.event_id === event.id);
    }, 30_000, 'the dead letter to be listed');
    expect(letter).toMatchObject({ attempts: 3, last_status_code: 500 });
    expect(letter.reason).toContain('500');

    // Another tenant cannot see it.
    const other = await fx.pipeline.createTenant();
    expect((await fx.pipeline.call('dlq-inspector', 'GET', `/v1/dead-letters/${letter.id}`, other.apiKey)).status).toBe(404);

    failingPaths.delete('/failing');
    const replay = await fx.pipeline.call<{ created: boolean }>('dlq-inspector', 'POST', `/v1/dead-letters/${letter.id}/replay`, apiKey, undefined, { 'idempotency-key': 'replay-1' });
    expect(replay.status).toBe(202);
    const repeat = await fx.pipeline.call<{ created: boolean }>('dlq-inspector', 'POST', `/v1/dead-letters/${letter.id}/replay`, apiKey, undefined, { 'idempotency-key': 'replay-1' });
    expect(repeat.body.created).toBe(false);

    const all = await fx.receiver.waitForRequests(4, 30_000, (r) => r.path === '/failing');
    expectSignedDelivery(all[3], secret, event);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fx.receiver.requests.filter((r) => r.path === '/failing')).toHaveLength(4);

    const rows = await waitFor(async () => {
      const r = await fx.stack.query<{ attempt: number; origin: string; outcome: string; status_code: number }>(
        'SELECT attempt, origin, outcome, status_code FROM delivery_attempts WHERE subscription_id = $1 ORDER BY started_at',
        [subscriptionId],
      );
      return r.length === 4 ? r : undefined;
    }, 10_000, 'four attempt rows');
    expect(rows).toEqual([
      { attempt: 1, origin: 'fanout', outcome: 'retry_scheduled', status_code: 500 },
      { attempt: 2, origin: 'retry', outcome: 'retry_scheduled', status_code: 500 },
      { attempt: 3, origin: 'retry', outcome: 'dead_lettered', status_code: 500 },
      { attempt: 1, origin: 'replay', outcome: 'delivered', status_code: 200 },
    ]);
  });

  it('delivers over HTTPS to a partner whose CA is configured; an expired certificate is its own error class in attempts, health and the endpoint test', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const good = await subscribe(apiKey, '/tls', ['order.placed'], newSecret(), https.good?.url);
    const expired = await subscribe(apiKey, '/tls', ['order.placed'], newSecret(), https.expired?.url);
    const event = envelope(tenantId);
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event)).status).toBe(202);

    const [received] = (await https.good?.waitForRequests(1, 30_000)) ?? [];
    if (!received) throw new Error('no HTTPS delivery');
    expectSignedDelivery(received, good.secret, event);

    const attempts = await waitFor(async () => {
      const rows = await fx.stack.query<{ error_class: string; error_message: string }>('SELECT error_class, error_message FROM delivery_attempts WHERE subscription_id = $1', [expired.id]);
      return rows.length > 0 ? rows : undefined;
    }, 30_000, 'an attempt to the expired endpoint');
    expect(attempts[0]?.error_class).toBe('certificate');
    expect(attempts[0]?.error_message).toContain('CERT_HAS_EXPIRED');
    expect(https.expired?.requests).toHaveLength(0);

    const health = await waitFor(async () => {
      const res = await fx.pipeline.call<{ status: string; last_error_class: string | null }>('subscription-registry', 'GET', `/v1/subscriptions/${expired.id}/health`, apiKey);
      return res.body.last_error_class ? res.body : undefined;
    }, 30_000, 'the endpoint health to show the failure');
    expect(health).toMatchObject({ status: 'failing', last_error_class: 'certificate' });

    const test = await fx.pipeline.call<{ ok: boolean; error_class: string | null }>('subscription-registry', 'POST', `/v1/subscriptions/${expired.id}/test`, apiKey, {});
    expect(test.body).toMatchObject({ ok: false, error_class: 'certificate' });
    const trusted = await fx.pipeline.call<{ ok: boolean; status_code: number | null }>('subscription-registry', 'POST', `/v1/subscriptions/${good.id}/test`, apiKey, {});
    expect(trusted.body).toMatchObject({ ok: true, status_code: 200 });
  });

  it('authenticates to endpoints with OAuth 2.0 client credentials (token cached, refreshed on 401), mTLS and Basic; a refused client is auth_token', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const create = async (base: string | undefined, auth: Record<string, unknown>, path = '/auth') => {
      const res = await fx.pipeline.call<{ id: string; auth: Record<string, unknown> }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${base ?? ''}${path}`, event_types: ['order.placed'], auth });
      expect(res.status).toBe(201);
      return res.body;
    };
    const oauth = { type: 'oauth2_client_credentials', token_url: tokens.url, client_id: tokens.clientId, client_secret: tokens.clientSecret, scope: 'webhooks' };
    const viaOauth = await create(oauthReceiver.url, oauth);
    expect(viaOauth.auth).toEqual({ type: 'oauth2_client_credentials', token_url: tokens.url, client_id: tokens.clientId, scope: 'webhooks', client_auth: 'basic' });
    const client = await ca.issue({ hosts: [], commonName: 'hookstream-dispatcher', client: true });
    await create(https.mtls?.url, { type: 'mtls', certificate: client.cert, private_key: client.key });
    await create(fx.receiver.url, { type: 'basic', username: 'hookstream', password: 'wh-pass' }, '/basic-auth');
    const refused = await create(oauthReceiver.url, { ...oauth, client_id: 'not-a-client' }, '/refused');

    const publish = async () => {
      const event = envelope(tenantId);
      expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event)).status).toBe(202);
      return event;
    };
    const first = await publish();
    await publish();
    await oauthReceiver.waitForRequests(2, 30_000, (r) => r.path === '/auth');
    const [viaMtls] = (await https.mtls?.waitForRequests(1, 30_000)) ?? [];
    expect(viaMtls?.clientCertificate).toBe('hookstream-dispatcher');
    const [basic] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/basic-auth' && r.body.includes(first.id));
    expect(basic?.headers.authorization).toBe(`Basic ${Buffer.from('hookstream:wh-pass').toString('base64')}`);
    // The two events shared one token.
    expect(tokens.requests.filter((r) => r.clientId === tokens.clientId)).toHaveLength(1);

    // The partner rotates its tokens: the next delivery gets a 401, a new token, and goes through.
    tokens.revokeAll();
    const third = await publish();
    await oauthReceiver.waitForRequests(1, 30_000, (r) => r.path === '/auth' && r.body.includes(third.id) && tokens.accepts(r.headers.authorization));
    expect(oauthReceiver.requests.filter((r) => r.path === '/auth' && r.body.includes(third.id)).map((r) => tokens.accepts(r.headers.authorization))).toEqual([false, true]);

    // The refused client never reached its endpoint; its attempts say why.
    const failed = await waitFor(async () => {
      const rows = await fx.stack.query<{ error_class: string; error_message: string; request_headers: Record<string, string> | null }>(
        'SELECT error_class, error_message, request_headers FROM delivery_attempts WHERE subscription_id = $1', [refused.id]);
      return rows.length > 0 ? rows : undefined;
    }, 30_000, 'an attempt for the refused client');
    expect(failed[0]).toMatchObject({ error_class: 'auth_token', error_message: 'the token URL answered 401: invalid_client (unknown client or wrong secret)' });
    expect(oauthReceiver.requests.filter((r) => r.path === '/refused')).toHaveLength(0);
    const delivered = await fx.stack.query<{ request_headers: Record<string, string> }>('SELECT request_headers FROM delivery_attempts WHERE subscription_id = $1 AND status_code = 200 LIMIT 1', [viaOauth.id]);
    expect(delivered[0]?.request_headers['authorization']).toBe('[redacted]');

    // The endpoint test authenticates as deliveries do.
    const test = await fx.pipeline.call<{ ok: boolean; status_code: number | null }>('subscription-registry', 'POST', `/v1/subscriptions/${viaOauth.id}/test`, apiKey, {});
    expect(test.body).toMatchObject({ ok: true, status_code: 200 });
  });

  it('loses no delivery when the dispatcher is SIGKILLed mid-flow and started again', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const { secret } = await subscribe(apiKey, '/crash', ['order.*']);
    const events = Array.from({ length: 40 }, () => envelope(tenantId));
    // Slow the receiver a little so the kill lands while deliveries are in flight.
    const slow = fx.receiver.respond;
    fx.receiver.respond = async (req, i) => {
      if (req.path === '/crash') await new Promise((r) => setTimeout(r, 50));
      return slow(req, i);
    };
    try {
      const publishing = Promise.all(events.map((e) => fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, e)));
      await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/crash');
      await fx.pipeline.services.dispatcher.kill();
      const results = await publishing;
      expect(results.every((r) => r.status === 202)).toBe(true);
      fx.pipeline.services.dispatcher.start();
      await fx.pipeline.services.dispatcher.waitReady(90_000);

      const arrived = () => new Set(fx.receiver.requests.filter((r) => r.path === '/crash').map((r) => String(r.headers['webhook-id'])));
      await waitFor(() => events.every((e) => arrived().has(e.id)), 60_000, 'every event to arrive after the restart').catch((err: unknown) => {
        const missing = events.filter((e) => !arrived().has(e.id)).map((e) => e.id);
        throw new Error(`${(err as Error).message}: ${missing.length} of ${events.length} missing, e.g. ${missing.slice(0, 3).join(', ')}`);
      });
      const crash = fx.receiver.requests.filter((r) => r.path === '/crash');
      for (const r of crash) {
        expect(new Webhook(secret).verify(r.body, { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) })).toBeTruthy();
      }
      // At-least-once: a redelivery after the crash is allowed, a loss is not.
      process.stdout.write(`dispatcher SIGKILL: ${events.length} events, ${crash.length} requests received (${crash.length - events.length} redelivered)\n`);
    } finally {
      fx.receiver.respond = slow;
    }
  });

  it('routes by a subscription\'s new filters within a second of the update, with no restart', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const { id } = await subscribe(apiKey, '/refilter', ['order.*']);
    const patched = await fx.pipeline.call('subscription-registry', 'PATCH', `/v1/subscriptions/${id}`, apiKey, { event_types: ['invoice.*'] });
    expect(patched.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    const order = envelope(tenantId, 'order.placed');
    const invoice = envelope(tenantId, 'invoice.paid');
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, order)).status).toBe(202);
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, invoice)).status).toBe(202);
    const [req] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/refilter');
    expect(req?.headers['webhook-id']).toBe(invoice.id);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fx.receiver.requests.filter((r) => r.path === '/refilter').map((r) => r.headers['webhook-id'])).toEqual([invoice.id]);
  });

  it("takes event types with '/' (seed 004's policy/bound) in the catalog, in filters and through delivery", async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const declared = await fx.pipeline.call('subscription-registry', 'POST', '/v1/event-types', apiKey, { name: 'policy/bound', description: 'A policy was bound' });
    expect(declared.status).toBe(201);
    // In a path, the name is percent-encoded.
    expect(await fx.pipeline.call('subscription-registry', 'GET', '/v1/event-types/policy%2Fbound', apiKey)).toMatchObject({ status: 200, body: { name: 'policy/bound' } });
    await subscribe(apiKey, '/policy', ['policy/bound']);
    const bound = envelope(tenantId, 'policy/bound');
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, bound)).status).toBe(202);
    const [req] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/policy');
    expect(JSON.parse(req?.body ?? '{}')).toMatchObject({ id: bound.id, type: 'policy/bound' });
    // A slash is part of a segment, never a prefix.
    const prefix = await fx.pipeline.call<{ details: Array<{ path: string }> }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/p`, event_types: ['policy/*'] });
    expect(prefix.status).toBe(422);
    expect(prefix.body.details.map((d) => d.path)).toEqual(['event_types.0']);
  });

  it('signs with both secrets during a rotation window and only the new one after it', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const { id, secret: oldSecret } = await subscribe(apiKey, '/rotate', ['order.*']);
    const rotated = await fx.pipeline.call<{ secret: { secret: string } }>('subscription-registry', 'POST', `/v1/subscriptions/${id}/secret/rotate`, apiKey, { overlap_seconds: 3 });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret.secret;
    const windowEnds = Date.now() + 3000;
    const revealed = await fx.pipeline.call<{ data: { secret: string }[] }>('subscription-registry', 'GET', `/v1/subscriptions/${id}/secret`, apiKey);
    expect(revealed.body.data.map((s) => s.secret).sort()).toEqual([newSecret, oldSecret].sort());

    const verifies = (secret: string, r: ReceivedRequest) => {
      try {
        new Webhook(secret).verify(r.body, {
          'webhook-id': String(r.headers['webhook-id']),
          'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        });
        return true;
      } catch {
        return false;
      }
    };
    const during = envelope(tenantId);
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, during)).status).toBe(202);
    const [first] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/rotate');
    expect(String(first?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(oldSecret, first)).toBe(true);
    expect(verifies(newSecret, first)).toBe(true);

    await new Promise((r) => setTimeout(r, Math.max(0, windowEnds - Date.now()) + 500));
    const after = envelope(tenantId);
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, after)).status).toBe(202);
    const both = await fx.receiver.waitForRequests(2, 30_000, (r) => r.path === '/rotate');
    const second = both.find((r) => r.headers['webhook-id'] === after.id) as ReceivedRequest;
    expect(verifies(oldSecret, second)).toBe(false);
    expect(verifies(newSecret, second)).toBe(true);
    const revealedAfter = await fx.pipeline.call<{ data: { secret: string }[] }>('subscription-registry', 'GET', `/v1/subscriptions/${id}/secret`, apiKey);
    expect(revealedAfter.body.data.map((s) => s.secret)).toEqual([newSecret]);
  });

  it('delivers with custom headers, ed25519 (v1a) and legacy sha256 signatures (whsec_ or raw secret) as each subscription chose', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const ed = await fx.pipeline.call<{ id: string; secret: string | null; public_key: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, {
      url: `${fx.receiver.url}/ed25519`,
      event_types: ['order.*'],
      signature_scheme: 'ed25519',
      headers: { 'X-Partner-Token': 'tok_123' },
    });
    expect(ed.status).toBe(201);
    expect(ed.body.secret).toBeNull();
    expect(ed.body.public_key).toMatch(/^whpk_/);
    const legacySecret = newSecret();
    const legacy = await fx.pipeline.call('subscription-registry', 'POST', '/v1/subscriptions', apiKey, {
      url: `${fx.receiver.url}/legacy`,
      event_types: ['order.*'],
      signature_scheme: 'legacy_sha256',
      signature_header: 'X-Hub-Signature-256',
      secret: legacySecret,
    });
    expect(legacy.status).toBe(201);
    // Seed 004's receivers key the HMAC with the secret string they were given.
    const raw = await fx.pipeline.call<{ secret: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, {
      url: `${fx.receiver.url}/raw`,
      event_types: ['order.*'],
      signature_scheme: 'legacy_sha256_raw',
      signature_header: 'X-Beema-Signature',
    });
    expect(raw.status).toBe(201);
    expect(raw.body.secret).toMatch(/^[0-9a-f]{64}$/);

    const event = envelope(tenantId);
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event)).status).toBe(202);
    const [edReq] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/ed25519');
    const [legacyReq] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/legacy');
    const e = edReq;
    expect(e.headers['x-partner-token']).toBe('tok_123');
    const sig = String(e.headers['webhook-signature']);
    expect(sig).toMatch(/^v1a,/);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(ed.body.public_key.slice(5), 'base64')]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const signed = Buffer.from(`${String(e.headers['webhook-id'])}.${String(e.headers['webhook-timestamp'])}.${e.body}`);
    expect(cryptoVerify(null, signed, key, Buffer.from(sig.slice(4), 'base64'))).toBe(true);

    const l = legacyReq;
    const expected = createHmac('sha256', Buffer.from(legacySecret.slice(6), 'base64')).update(l.body).digest('hex');
    expect(l.headers['x-hub-signature-256']).toBe(`sha256=${expected}`);
    expect(l.headers['webhook-id']).toBe(event.id);
    const [rawReq] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/raw');
    expect(rawReq?.headers['x-beema-signature']).toBe(`sha256=${createHmac('sha256', raw.body.secret).update(rawReq?.body ?? '').digest('hex')}`);
  });

  it('answers another tenant\'s key with 404 on every tenant-scoped route (403 on admin-only ones), leaking nothing', async () => {
    const owner = await fx.pipeline.createTenant();
    const intruder = await fx.pipeline.createTenant();
    const sub = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', owner.apiKey, {
      url: 'https://hooks.owner-only.example/in',
      event_types: ['*'],
      name: 'owner-secret-name',
    });
    const keys = await fx.pipeline.call<{ data: { id: string }[] }>('subscription-registry', 'GET', `/v1/tenants/${owner.tenantId}/api-keys`, owner.apiKey);
    expect((await fx.pipeline.call('subscription-registry', 'POST', '/v1/event-types', owner.apiKey, { name: 'owner.only', description: 'owner-secret-name' })).status).toBe(201);
    const ownerKeyId = keys.body.data[0]?.id ?? '';
    const deadId = randomUUID();
    const letter = {
      delivery: { delivery_id: deadId, tenant_id: owner.tenantId, subscription_id: sub.body.id, event_id: 'evt_owner_only', event_type: 'order.placed', attempt: 1, body: '{"secret":"owner-payload"}', origin: 'fanout', first_attempt_at: new Date().toISOString() },
      reason: 'test',
      failure: { error_class: 'http_status', status_code: 500, message: 'x' },
      attempts: 1,
      dead_at: new Date().toISOString(),
    };
    await fx.stack.query(
      `INSERT INTO dead_letters (delivery_id, tenant_id, subscription_id, event_id, event_type, reason, error_class, last_status_code, attempts, message, dead_at)
       VALUES ($1, $2, $3, 'evt_owner_only', 'order.placed', 'test', 'http_status', 500, 1, $4, now())`,
      [deadId, owner.tenantId, sub.body.id, JSON.stringify(letter)],
    );
    // A replay job of the owner's that matches nothing, so nothing is sent anywhere.
    const job = await fx.pipeline.call<{ id: string }>('dlq-inspector', 'POST', '/v1/replay-jobs', owner.apiKey, { filter: { event_type: 'owner.only' } });
    expect(job.status).toBe(202);
    const o = owner.tenantId;
    const routes: Array<[ServiceName, string, string, unknown, number]> = [
      ['subscription-registry', 'GET', `/v1/tenants/${o}`, undefined, 404],
      ['subscription-registry', 'GET', `/v1/tenants/${o}/api-keys`, undefined, 404],
      ['subscription-registry', 'POST', `/v1/tenants/${o}/api-keys`, { name: 'steal' }, 404],
      ['subscription-registry', 'POST', `/v1/tenants/${o}/api-keys/${ownerKeyId}/revoke`, undefined, 404],
      ['subscription-registry', 'GET', `/v1/subscriptions/${sub.body.id}`, undefined, 404],
      ['subscription-registry', 'GET', `/v1/subscriptions/${sub.body.id}/health`, undefined, 404],
      ['subscription-registry', 'PATCH', `/v1/subscriptions/${sub.body.id}`, { enabled: false }, 404],
      ['subscription-registry', 'DELETE', `/v1/subscriptions/${sub.body.id}`, undefined, 404],
      ['subscription-registry', 'GET', `/v1/subscriptions/${sub.body.id}/secret`, undefined, 404],
      ['subscription-registry', 'POST', `/v1/subscriptions/${sub.body.id}/secret/rotate`, {}, 404],
      ['subscription-registry', 'GET', `/v1/subscriptions?tenant_id=${o}`, undefined, 404],
      ['subscription-registry', 'POST', `/v1/subscriptions/${sub.body.id}/test`, {}, 404],
      ['subscription-registry', 'POST', '/v1/subscriptions/match', { tenant_id: o, event_type: 'order.placed' }, 404],
      ['subscription-registry', 'GET', '/v1/event-types/owner.only', undefined, 404],
      ['subscription-registry', 'PATCH', '/v1/event-types/owner.only', { deprecated: true }, 404],
      ['subscription-registry', 'GET', `/v1/event-types?tenant_id=${o}`, undefined, 404],
      ['subscription-registry', 'PUT', `/v1/tenants/${o}/catalog-mode`, { strict_event_types: true }, 404],
      ['subscription-registry', 'POST', '/v1/tenants', { id: 'intruder-made', name: 'x' }, 403],
      ['dlq-inspector', 'GET', `/v1/dead-letters/${deadId}`, undefined, 404],
      ['dlq-inspector', 'POST', `/v1/dead-letters/${deadId}/replay`, undefined, 404],
      ['dlq-inspector', 'GET', `/v1/replay-jobs/${job.body.id}`, undefined, 404],
      ['dlq-inspector', 'GET', `/v1/replay-jobs/${job.body.id}/replays`, undefined, 404],
      ['dlq-inspector', 'POST', `/v1/replay-jobs/${job.body.id}/cancel`, undefined, 404],
      ['dlq-inspector', 'POST', '/v1/replay-jobs', { filter: { subscription_id: sub.body.id } }, 404],
      ['dlq-inspector', 'POST', '/v1/replay-jobs/recover', { subscription_id: sub.body.id, since: new Date().toISOString() }, 404],
      ['dlq-inspector', 'GET', `/v1/dead-letters?tenant_id=${o}`, undefined, 404],
      ['ingress-gateway', 'POST', '/v1/events', { ...envelope(o) }, 403],
    ];
    // What the intruder did not send must never come back (ids it sent may be echoed in "no such …").
    const ownerData = ['owner-secret-name', 'owner-only.example', 'owner-payload', 'whsec_'];
    const secrets = [...ownerData, sub.body.id, ownerKeyId, job.body.id];
    for (const [service, method, path, body, expected] of routes) {
      const res = await fx.pipeline.call(service, method, path, intruder.apiKey, body);
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({ route: `${method} ${path}`, status: expected });
      const text = JSON.stringify(res.body);
      for (const s of ownerData) expect({ route: `${method} ${path}`, leaked: text.includes(s) ? s : null }).toEqual({ route: `${method} ${path}`, leaked: null });
    }
    // Lists show only the caller's own rows.
    for (const [service, path] of [['subscription-registry', '/v1/subscriptions'], ['subscription-registry', '/v1/event-types'], ['dlq-inspector', '/v1/dead-letters'], ['dlq-inspector', '/v1/replay-jobs']] as const) {
      const res = await fx.pipeline.call(service, 'GET', path, intruder.apiKey);
      expect(res.status).toBe(200);
      for (const s of secrets) expect(JSON.stringify(res.body).includes(s)).toBe(false);
    }
    // And nothing changed for the owner.
    const still = await fx.pipeline.call<{ enabled: boolean }>('subscription-registry', 'GET', `/v1/subscriptions/${sub.body.id}`, owner.apiKey);
    expect(still.status).toBe(200);
    expect(still.body.enabled).toBe(true);
  });

  it('enforces a strict event-type catalog: unknown types and schema violations are refused with the failing paths', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const schema = { type: 'object', required: ['order_id'], properties: { order_id: { type: 'string' }, total: { type: 'number', minimum: 0 } } };
    expect((await fx.pipeline.call('subscription-registry', 'POST', '/v1/event-types', apiKey, { name: 'order.placed', description: 'An order was placed', schema })).status).toBe(201);
    expect((await fx.pipeline.call('subscription-registry', 'POST', '/v1/event-types', apiKey, { name: 'order.legacy', deprecated: true })).status).toBe(201);
    const list = await fx.pipeline.call<{ data: { name: string }[] }>('subscription-registry', 'GET', '/v1/event-types?prefix=order.&deprecated=false', apiKey);
    expect(list.body.data.map((t) => t.name)).toEqual(['order.placed']);
    expect((await fx.pipeline.call('subscription-registry', 'PUT', `/v1/tenants/${tenantId}/catalog-mode`, apiKey, { strict_event_types: true })).status).toBe(200);

    const unknownFilter = await fx.pipeline.call<{ details: { path: string }[] }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/strict`, event_types: ['invoice.paid'] });
    expect(unknownFilter.status).toBe(422);
    expect(unknownFilter.body.details.map((d) => d.path)).toEqual(['event_types.0']);
    await subscribe(apiKey, '/strict', ['order.*']);

    const post = (e: unknown) => fx.pipeline.call<{ code: string; details: { path: string }[] }>('ingress-gateway', 'POST', '/v1/events', apiKey, e);
    // The catalog is cached for up to 5 s at the gateway.
    await waitFor(async () => (await post({ ...envelope(tenantId, 'invoice.paid') })).status === 422, 10_000, 'strict mode at the gateway');
    const bad = await post({ ...envelope(tenantId), data: { total: -1 } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.map((d) => d.path).sort()).toEqual(['data.order_id', 'data.total']);
    const good = envelope(tenantId);
    expect((await post({ ...good, data: { order_id: 'ord_9', total: 12.5 } })).status).toBe(202);
    const [req] = await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/strict');
    expect(req?.headers['webhook-id']).toBe(good.id);
  });

  it('serves an OpenAPI document at /docs for every service, with request and response schemas on every route', async () => {
    type Operation = { summary: string; 'x-undocumented'?: boolean; requestBody?: unknown; parameters: unknown[]; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
    // Actions that take no body by design: everything they need is in the path.
    const bodiless = new Set(['post /v1/tenants/{tenantId}/api-keys/{keyId}/revoke', 'post /v1/dead-letters/{id}/replay', 'post /v1/replay-jobs/{id}/cancel', 'post /v1/quarantine/{id}/redrive']);
    let operations = 0;
    for (const service of ['ingress-gateway', 'subscription-registry', 'dispatcher', 'retry-scheduler', 'dlq-inspector'] as const) {
      const res = await fetch(`${fx.pipeline.url(service)}/docs/service.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, Operation>> };
      expect(doc.openapi).toBe('3.1.0');
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          operations++;
          const id = `${service} ${method} ${path}`;
          expect({ id, undocumented: op['x-undocumented'] ?? false }).toEqual({ id, undocumented: false });
          const success = Object.entries(op.responses).find(([code]) => code.startsWith('2'));
          expect({ id, success: Boolean(success) }).toEqual({ id, success: true });
          if (success && success[0] !== '204') {
            const content = Object.values(success[1].content ?? {})[0];
            expect({ id, responseSchema: Boolean(content?.schema) }).toEqual({ id, responseSchema: true });
          }
          if (['post', 'put', 'patch'].includes(method) && !bodiless.has(`${method} ${path}`)) {
            expect({ id, requestBody: Boolean(op.requestBody) }).toEqual({ id, requestBody: true });
          }
        }
      }
      const html = await fetch(`${fx.pipeline.url(service)}/docs`);
      expect(html.headers.get('content-type')).toContain('text/html');
    }
    expect(operations).toBeGreaterThan(30);
    // The body schema really is the validation schema: the registry's create route names its fields.
    const registry = (await (await fetch(`${fx.pipeline.url('subscription-registry')}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } } }>>;
    };
    const create = registry.paths['/v1/subscriptions']?.['post']?.requestBody.content['application/json'].schema;
    expect(Object.keys(create?.properties ?? {})).toEqual(expect.arrayContaining(['url', 'event_types', 'headers', 'retry_policy', 'signature_scheme']));
  });

  it('routes every documented operation of every service (the router tells a missing route apart)', async () => {
    // The router's own 404 ("Cannot GET /x") means no such route; any other answer means the
    // route exists. Bodies are empty objects, so nothing is created (every write validates first).
    const unrouted = (status: number, body: { message?: unknown }) => status === 404 && typeof body.message === 'string' && /^Cannot [A-Z]+ \//.test(body.message);
    const probe = async (service: ServiceName, method: string, path: string) => {
      const concrete = path.replace(/\{[^}]+\}/g, randomUUID());
      const res = await fetch(`${fx.pipeline.url(service)}${concrete}`, {
        method: method.toUpperCase(),
        headers: { authorization: `Bearer ${fx.stack.adminKey}`, 'content-type': 'application/json' },
        ...(['post', 'put', 'patch'].includes(method) ? { body: '{}' } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      // A stream (Server-Sent Events) answers its headers and stays open: its status is enough.
      const body = res.headers.get('content-type')?.includes('application/json') ? ((await res.json()) as { message?: unknown }) : {};
      if (!res.headers.get('content-type')?.includes('application/json')) await res.body?.cancel();
      return { status: res.status, body };
    };
    let probed = 0;
    for (const service of ['ingress-gateway', 'subscription-registry', 'dispatcher', 'retry-scheduler', 'dlq-inspector'] as const) {
      const doc = (await (await fetch(`${fx.pipeline.url(service)}/docs/service.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const method of Object.keys(methods)) {
          const { status, body } = await probe(service, method, path);
          expect({ service, method, path, routed: !unrouted(status, body) }).toEqual({ service, method, path, routed: true });
          probed++;
        }
      }
      // And the check itself tells a missing route apart: a path and a method nobody documents.
      const missing = await probe(service, 'get', '/v1/not-a-route');
      expect(unrouted(missing.status, missing.body)).toBe(true);
    }
    expect(probed).toBeGreaterThan(60);
  });

  it('merges the services’ documents into the committed public API document, which Redocly’s recommended rules pass', async () => {
    const services = await Promise.all(
      (Object.keys(LOCAL_BASE_URLS) as Array<keyof typeof LOCAL_BASE_URLS>).map(async (service) => ({
        service,
        baseUrl: LOCAL_BASE_URLS[service],
        document: (await (await fetch(`${fx.pipeline.url(service)}/docs/service.json`)).json()) as Record<string, unknown>,
      })),
    );
    const built = publicApiDocument(services);
    // What the code serves is what docs/openapi.json says: a route or schema changed without
    // regenerating it (npm start, then npm run openapi) fails here.
    const committed = readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8');
    expect({ 'docs/openapi.json is current': `${JSON.stringify(built, null, 2)}\n` === committed }).toEqual({ 'docs/openapi.json is current': true });

    const paths = built['paths'] as Record<string, Record<string, { operationId: string; tags: string[]; responses: Record<string, unknown> }>>;
    const operations = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ id: `${method} ${path}`, op })));
    expect(operations.length).toBeGreaterThan(40);
    expect(Object.keys(paths).filter((p) => /^\/(health|metrics|docs)/.test(p))).toEqual([]);
    for (const { id, op } of operations) {
      expect({ id, operationId: /^[a-z][A-Za-z]+$/.test(op.operationId), tags: op.tags.length, fourXx: Object.keys(op.responses).some((c) => c.startsWith('4')) }).toEqual({ id, operationId: true, tags: 1, fourXx: true });
    }

    // Pagination, the Idempotency-Key and rate limits are described once and referenced.
    type Param = { $ref?: string; name?: string };
    const refs = (method: string, path: string) => ((paths[path]?.[method] as { parameters?: Param[] } | undefined)?.parameters ?? []).map((p) => p.$ref ?? p.name);
    expect(refs('get', '/v1/subscriptions')).toContain('#/components/parameters/Cursor');
    expect(refs('post', '/v1/replay-jobs')).toContain('#/components/parameters/IdempotencyKey');
    expect(refs('post', '/v1/dead-letters/{id}/replay')).toContain('#/components/parameters/IdempotencyKey');
    for (const [method, path] of [['post', '/v1/events'], ['post', '/v1/subscriptions'], ['post', '/v1/replay-jobs']] as const) {
      expect({ method, path, tooMany: paths[path]?.[method]?.responses['429'] }).toEqual({ method, path, tooMany: { $ref: '#/components/responses/TooManyRequests' } });
    }
    const components = built['components'] as { responses: Record<string, { headers?: Record<string, unknown> }> };
    expect(components.responses['TooManyRequests']?.headers).toEqual({ 'Retry-After': { $ref: '#/components/headers/RetryAfter' } });

    // Redocly CLI, recommended rules (redocly.yaml), on the document as committed: every example
    // is checked against its schema, every operation has an id and its 4xx answers.
    const lint = spawnSync(process.execPath, [join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', join(ROOT, 'docs/openapi.json'), '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'], { encoding: 'utf8' });
    const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
    expect({ totals: report.totals, problems: report.problems.slice(0, 5).map((p) => `${p.ruleId}: ${p.message}`) }).toEqual({ totals: { errors: 0, warnings: 0, ignored: 0 }, problems: [] });
  });

  it('draws the whole API at the gateway’s /docs in a real browser, from the committed document', async () => {
    const gateway = fx.pipeline.url('ingress-gateway');
    const served = (await (await fetch(`${gateway}/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(served).toEqual(JSON.parse(readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8')));
    const documented = Object.values(served.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    // Another service's /docs draws its own routes.
    const registryDoc = (await (await fetch(`${fx.pipeline.url('subscription-registry')}/docs/openapi.json`)).json()) as { info: { title: string } };
    expect(registryDoc.info.title).toBe('Hookstream subscription-registry');
    expect((await fetch(`${gateway}/docs/assets/..%2fpackage.json`)).status).toBe(404);

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      page.on('pageerror', (e) => failed.push(e.message));
      await page.goto(`${gateway}/docs`);
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      const title = await page.textContent('.title');
      const operations = await page.locator('.opblock').count();
      const tags = await page.locator('.opblock-tag').allTextContents();
      const paths = await page.locator('.opblock-summary-path').allTextContents();
      expect({ title: title?.startsWith('Hookstream API'), failed }).toEqual({ title: true, failed: [] });
      expect(operations).toBe(documented);
      expect(tags.join(' ')).toEqual(expect.stringContaining('Subscriptions'));
      expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/v1/events', '/v1/subscriptions/{id}/secret/rotate', '/v1/dead-letters/{id}/replay']));
    } finally {
      await browser.close();
    }
  });

  it('shuts every service down gracefully on SIGTERM (exit 0, offsets committed)', async () => {
    const codes = await Promise.all(Object.values(fx.pipeline.services).map(async (s) => [s.name, await s.stop()] as const));
    expect(Object.fromEntries(codes)).toEqual({
      'ingress-gateway': 0,
      'subscription-registry': 0,
      dispatcher: 0,
      'retry-scheduler': 0,
      'dlq-inspector': 0,
    });
  });
});
