import { describe, expect, it } from '@jest/globals';
import { normaliseEventType, internalEventId } from './partner-events.js';
import { PARTNER_PROVIDERS } from './partner-signatures.js';
import { reservedEventProblems, verifiedByHeader } from './reserved-events.js';

describe('reservedEventProblems', () => {
  it('reserves every type a verified callback can produce, and every callback id', () => {
    for (const provider of PARTNER_PROVIDERS) {
      const type = normaliseEventType(provider, 'charge.succeeded');
      expect(reservedEventProblems({ type, id: 'evt_1' })).toEqual([expect.objectContaining({ path: 'type' })]);
      expect(reservedEventProblems({ type: provider, id: 'evt_1' })).toEqual([expect.objectContaining({ path: 'type' })]);
    }
    expect(reservedEventProblems({ type: 'order.placed', id: internalEventId('int_abc', 'evt_1') })).toEqual([expect.objectContaining({ path: 'id' })]);
    expect(reservedEventProblems({ type: 'STRIPE.Charge', id: 'INT_x' }).map((p) => p.path)).toEqual(['type', 'id']);
  });

  it('leaves types and ids that merely resemble them', () => {
    for (const type of ['order.placed', 'stripes.paid', 'github-app.installed', 'billing.stripe.charge', 'hmacs', 'payfasts.x']) {
      expect(reservedEventProblems({ type, id: 'evt_1' })).toEqual([]);
    }
    expect(reservedEventProblems({ type: 'order.placed', id: 'integration_1' })).toEqual([]);
  });
});

describe('verifiedByHeader', () => {
  const body = (data: unknown) => JSON.stringify({ id: 'int_abc:evt_1', type: 'stripe.charge.succeeded', timestamp: '2026-12-05T00:00:00Z', data });

  it('names the provider and integration of a callback-made event', () => {
    expect(verifiedByHeader('stripe.charge.succeeded', body({ provider: 'stripe', integration_id: 'int_abc123', provider_event_id: 'evt_1', payload: {} }))).toBe('stripe; integration=int_abc123');
    expect(verifiedByHeader('standard-webhooks.invoice.paid', body({ provider: 'standard-webhooks', integration_id: 'int_x' }))).toBe('standard-webhooks; integration=int_x');
  });

  it('is absent for other events, and for bodies that do not say a consistent, safe integration', () => {
    expect(verifiedByHeader('order.placed', body({ provider: 'stripe', integration_id: 'int_abc' }))).toBeNull();
    expect(verifiedByHeader('stripe.charge.succeeded', body({ provider: 'github', integration_id: 'int_abc' }))).toBeNull();
    expect(verifiedByHeader('stripe.charge.succeeded', body({ provider: 'stripe', integration_id: 'int_a\r\nx-evil: 1' }))).toBeNull();
    expect(verifiedByHeader('stripe.charge.succeeded', body({ provider: 'stripe' }))).toBeNull();
    expect(verifiedByHeader('stripe.charge.succeeded', 'not json')).toBeNull();
  });
});
