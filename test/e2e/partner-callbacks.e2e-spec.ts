import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, type Pipeline, startPipeline, TestReceiver, type TestStack } from '@hookstream/testing';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

/**
 * A partner callback end to end: Stripe (signed by the stripe library) calls the gateway, and a
 * receiver subscribed to `stripe.*` gets the event from the dispatcher, signed, exactly once.
 */
describe('partner callback to subscriber (five services)', () => {
  let stack: TestStack;
  let pipeline: Pipeline;
  let receiver: TestReceiver;

  beforeAll(async () => {
    stack = await createTestStack('callbackse2e');
    receiver = await TestReceiver.start();
    pipeline = await startPipeline(stack, {
      'ingress-gateway': { INTEGRATION_SECRETS_KEYS: `e2e:${randomBytes(32).toString('base64')}` },
      'subscription-registry': { DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1' },
      dispatcher: { DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1' },
    });
  }, 180_000);

  afterAll(async () => {
    await pipeline?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  it('delivers a verified Stripe callback to a receiver subscribed to stripe.*, once', async () => {
    const { apiKey } = await pipeline.createTenant();
    const subscriberSecret = `whsec_${randomBytes(24).toString('base64')}`;
    const subscribed = await pipeline.call('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${receiver.url}/stripe-events`, event_types: ['stripe.*'], secret: subscriberSecret });
    expect(subscribed.status).toBe(201);
    const stripeSecret = 'whsec_e2e_stripe_endpoint_secret';
    const integration = await pipeline.call<{ callback_path: string; id: string }>('ingress-gateway', 'POST', '/v1/integrations', apiKey, { provider: 'stripe', secrets: { signing_secret: stripeSecret } });
    expect(integration.status).toBe(201);

    const stripeEvent = { id: `evt_${randomBytes(8).toString('hex')}`, object: 'event', type: 'payment_intent.succeeded', created: 1_795_000_000, data: { object: { id: 'pi_1', amount: 2000 } } };
    const body = JSON.stringify(stripeEvent);
    const send = () =>
      fetch(`${pipeline.url('ingress-gateway')}${integration.body.callback_path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload: body, secret: stripeSecret }) },
        body,
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(((await first.json()) as { status: string }).status).toBe('accepted');

    const [delivery] = await receiver.waitForRequests(1, 30_000, (r) => r.path === '/stripe-events');
    const headers = { 'webhook-id': String(delivery.headers['webhook-id']), 'webhook-timestamp': String(delivery.headers['webhook-timestamp']), 'webhook-signature': String(delivery.headers['webhook-signature']) };
    expect(new Webhook(subscriberSecret).verify(delivery.body, headers)).toEqual({
      id: `${integration.body.id}:${stripeEvent.id}`,
      type: 'stripe.payment_intent.succeeded',
      timestamp: new Date(1_795_000_000_000).toISOString(),
      data: { provider: 'stripe', integration_id: integration.body.id, provider_event_id: stripeEvent.id, payload: stripeEvent },
    });

    // Stripe re-sends it: 200, and no second delivery.
    expect(((await (await send()).json()) as { status: string }).status).toBe('duplicate');
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.requests.filter((r) => r.path === '/stripe-events')).toHaveLength(1);
  });
});
