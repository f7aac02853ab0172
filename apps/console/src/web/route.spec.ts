import { describe, expect, it } from '@jest/globals';
import { parseRoute, type Route, routeHref } from './route.ts';

const ID = '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f';

describe('console routes', () => {
  it('reads lists with their filters, and single items by id or name', () => {
    expect(parseRoute('')).toEqual({ page: 'deliveries', query: {} });
    expect(parseRoute('#/deliveries?status=dead&event_type=order.*&empty=')).toEqual({ page: 'deliveries', query: { status: 'dead', event_type: 'order.*' } });
    expect(parseRoute(`#/dead-letters/${ID}`)).toEqual({ page: 'dead-letter', id: ID });
    expect(parseRoute(`#/deliveries/${ID}`)).toEqual({ page: 'delivery', id: ID });
    expect(parseRoute(`#/subscriptions/${ID}`)).toEqual({ page: 'subscription', id: ID });
    expect(parseRoute('#/subscriptions/new')).toEqual({ page: 'subscription-new' });
    expect(parseRoute('#/event-types/order.placed')).toEqual({ page: 'event-type', name: 'order.placed' });
    expect(parseRoute('#/tail?subscription_id=x')).toEqual({ page: 'tail', query: { subscription_id: 'x' } });
    expect(parseRoute('#/match')).toEqual({ page: 'match', query: {} });
  });

  it('treats anything else as the list it starts with, never as an id or name to fetch', () => {
    expect(parseRoute('#/deliveries/..%2f..%2fmetrics')).toEqual({ page: 'deliveries', query: {} });
    expect(parseRoute('#/dead-letters/<script>')).toEqual({ page: 'dead-letters', query: {} });
    expect(parseRoute(`#/deliveries/${'a'.repeat(65)}`)).toEqual({ page: 'deliveries', query: {} });
    expect(parseRoute('#/event-types/Order%20Placed')).toEqual({ page: 'event-types', query: {} });
    expect(parseRoute('#/event-types/%E0%A4%A')).toEqual({ page: 'event-types', query: {} });
    expect(parseRoute('#/tail/new')).toEqual({ page: 'tail', query: {} });
    expect(parseRoute('#/nowhere/at/all')).toEqual({ page: 'deliveries', query: {} });
  });

  it('writes links that read back as the same route', () => {
    const routes: Route[] = [
      { page: 'deliveries', query: { status: 'failing', since: '2026-12-07T10:00:00.000Z' } },
      { page: 'dead-letters', query: { error_class: 'timeout', after: 'abc%2Cdef,ghi' } },
      { page: 'delivery', id: ID },
      { page: 'subscription', id: ID },
      { page: 'subscription-new' },
      { page: 'event-type', name: 'billing/invoice.paid' },
      { page: 'tail', query: { subscription_id: ID } },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
    expect(routeHref({ page: 'deliveries', query: { status: '' } })).toBe('#/deliveries');
  });
});
