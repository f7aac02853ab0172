import { describe, expect, it } from '@jest/globals';
import { manualRetryDelivery, type RetryBasis } from './manual-retry.js';

const basis: RetryBasis = {
  delivery_id: '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f',
  tenant_id: 'acme',
  subscription_id: '00000000-0000-4000-8000-00000000000a',
  event_id: 'evt_1',
  event_type: 'order.placed',
  generations: [0, null],
  body: '{"id":"evt_1"}',
};
const now = new Date('2026-11-23T12:00:00Z');

describe('manualRetryDelivery', () => {
  it('starts attempt 1 of the generation after the highest known, keeping event id and body', () => {
    expect(manualRetryDelivery(basis, now)).toEqual({
      delivery_id: basis.delivery_id,
      tenant_id: 'acme',
      subscription_id: basis.subscription_id,
      event_id: 'evt_1',
      event_type: 'order.placed',
      attempt: 1,
      generation: 1,
      body: '{"id":"evt_1"}',
      origin: 'replay',
      first_attempt_at: '2026-11-23T12:00:00.000Z',
    });
  });

  it('goes above a replay or retry sent in a later generation than the delivery row shows', () => {
    expect(manualRetryDelivery({ ...basis, generations: [1, 4, null, 2] }, now).generation).toBe(5);
    expect(manualRetryDelivery({ ...basis, generations: [] }, now).generation).toBe(1);
  });
});
