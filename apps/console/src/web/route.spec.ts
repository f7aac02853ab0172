import { describe, expect, it } from '@jest/globals';
import { parseRoute, type Route, routeHref } from './route.ts';

describe('console routes', () => {
  it('reads lists with their filters, and single items by id', () => {
    expect(parseRoute('')).toEqual({ page: 'deliveries', query: {} });
    expect(parseRoute('#/deliveries?status=dead&event_type=order.*&empty=')).toEqual({ page: 'deliveries', query: { status: 'dead', event_type: 'order.*' } });
    expect(parseRoute('#/dead-letters/3b6a5cd5-3750-5c3c-a02a-0fbc129a759f')).toEqual({ page: 'dead-letter', id: '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f' });
    expect(parseRoute('#/deliveries/3b6a5cd5-3750-5c3c-a02a-0fbc129a759f')).toEqual({ page: 'delivery', id: '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f' });
  });

  it('treats anything else as the list it starts with, never as an id to fetch', () => {
    expect(parseRoute('#/deliveries/..%2f..%2fmetrics')).toEqual({ page: 'deliveries', query: {} });
    expect(parseRoute('#/dead-letters/<script>')).toEqual({ page: 'dead-letters', query: {} });
    expect(parseRoute(`#/deliveries/${'a'.repeat(65)}`)).toEqual({ page: 'deliveries', query: {} });
    expect(parseRoute('#/nowhere/at/all')).toEqual({ page: 'deliveries', query: {} });
  });

  it('writes links that read back as the same route', () => {
    const routes: Route[] = [
      { page: 'deliveries', query: { status: 'failing', since: '2026-12-07T10:00:00.000Z' } },
      { page: 'dead-letters', query: { error_class: 'timeout', after: 'abc%2Cdef,ghi' } },
      { page: 'delivery', id: '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f' },
    ];
    for (const route of routes) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
    expect(routeHref({ page: 'deliveries', query: { status: '' } })).toBe('#/deliveries');
  });
});
