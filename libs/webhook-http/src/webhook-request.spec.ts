import { describe, expect, it } from '@jest/globals';
import { batchBody, formatSecret, verifyStandardWebhook } from '@hookstream/domain';
import { buildWebhookRequest, USER_AGENT, type WebhookTarget } from './webhook-request.js';

const secret = formatSecret(Buffer.alloc(32, 7));
const at = new Date('2026-12-05T12:00:00Z');
const target: WebhookTarget = {
  id: '6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10',
  url: 'https://partner.example/hooks',
  headers: { 'x-team': 'billing', 'user-agent': 'theirs', 'content-type': 'text/plain' },
  secrets: [{ id: 's1', secret, expires_at: null }],
  signature_scheme: 'standard',
  signature_header: null,
  egress_proxy: null,
  timeout_ms: 5000,
};
const stripeBody = JSON.stringify({ id: 'evt_1', type: 'stripe.charge.succeeded', data: { provider: 'stripe', integration_id: 'int_abc', payload: {} } });

describe('buildWebhookRequest', () => {
  it('signs the exact body at the given time; the signing headers and content type win over custom ones', () => {
    const req = buildWebhookRequest(target, { msgId: 'evt_1', eventType: 'order.placed', body: '{"a":1}', traceparent: null, fromVerifiedCallback: true }, at);
    expect(req.url).toBe(target.url);
    expect(req.timeoutMs).toBe(5000);
    expect(req.headers['x-team']).toBe('billing');
    // A subscription may name its own User-Agent (some receivers allowlist one).
    expect(req.headers['user-agent']).toBe('theirs');
    expect(buildWebhookRequest({ ...target, headers: {} }, { msgId: 'e', eventType: 't', body: '{}', traceparent: null, fromVerifiedCallback: true }, at).headers['user-agent']).toBe(USER_AGENT);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['webhook-subscription-id']).toBe(target.id);
    expect(req.headers['webhook-timestamp']).toBe(String(at.getTime() / 1000));
    const h = { id: req.headers['webhook-id'] ?? '', timestamp: req.headers['webhook-timestamp'] ?? '', signature: req.headers['webhook-signature'] ?? '' };
    expect(verifyStandardWebhook(secret, h, '{"a":1}', at.getTime() / 1000)).toBe(true);
    expect(req.headers['traceparent']).toBeUndefined();
  });

  it('signs with every secret in force during a rotation, and none that expired', () => {
    const other = formatSecret(Buffer.alloc(32, 9));
    const expired = formatSecret(Buffer.alloc(32, 3));
    const rotating = { ...target, secrets: [...target.secrets, { id: 's2', secret: other, expires_at: '2026-12-06T00:00:00Z' }, { id: 's3', secret: expired, expires_at: '2026-12-01T00:00:00Z' }] };
    const req = buildWebhookRequest(rotating, { msgId: 'evt_2', eventType: 'order.placed', body: '{}', traceparent: '00-abc-def-01', fromVerifiedCallback: true }, at);
    expect((req.headers['webhook-signature'] ?? '').split(' ')).toHaveLength(2);
    expect(req.headers['traceparent']).toBe('00-abc-def-01');
  });

  it('says which integration verified a partner event only for deliveries of verified callbacks', () => {
    const delivered = buildWebhookRequest(target, { msgId: 'evt_1', eventType: 'stripe.charge.succeeded', body: stripeBody, traceparent: null, fromVerifiedCallback: true }, at);
    expect(delivered.headers['webhook-verified-by']).toBe('stripe; integration=int_abc');
    const sample = buildWebhookRequest(target, { msgId: 'evt_1', eventType: 'stripe.charge.succeeded', body: stripeBody, traceparent: null, fromVerifiedCallback: false }, at);
    expect(sample.headers['webhook-verified-by']).toBeUndefined();
  });

  it('signs a batch as one message: its id, the array body, the same Standard Webhooks signature, and how many it holds', () => {
    const body = batchBody(['{"id":"evt_1"}', stripeBody]);
    const req = buildWebhookRequest(target, { msgId: 'batch_1', eventType: 'stripe.charge.succeeded', body, traceparent: null, fromVerifiedCallback: true, batchSize: 2 }, at);
    expect(req.body).toBe(body);
    expect(req.headers['webhook-id']).toBe('batch_1');
    expect(req.headers['webhook-batch-size']).toBe('2');
    const h = { id: 'batch_1', timestamp: req.headers['webhook-timestamp'] ?? '', signature: req.headers['webhook-signature'] ?? '' };
    expect(verifyStandardWebhook(secret, h, body, at.getTime() / 1000)).toBe(true);
    // One event's integration does not speak for the others in the array.
    expect(req.headers['webhook-verified-by']).toBeUndefined();
    expect(buildWebhookRequest(target, { msgId: 'evt_1', eventType: 'order.placed', body: '{}', traceparent: null, fromVerifiedCallback: true }, at).headers['webhook-batch-size']).toBeUndefined();
  });
});
