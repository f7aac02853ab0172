import { describe, expect, it } from '@jest/globals';
import { eventTypeMatches, SubscriptionIndex } from './matching.js';

describe('eventTypeMatches', () => {
  it.each([
    ['*', 'order.placed', true],
    ['order.placed', 'order.placed', true],
    ['order.placed', 'order.placed.v2', false],
    ['order.*', 'order.placed', true],
    ['order.*', 'order.item.added', true],
    ['order.*', 'order', false],
    ['order.*', 'orders.placed', false],
  ])('%s vs %s → %s', (filter, type, expected) => {
    expect(eventTypeMatches(filter, type)).toBe(expected);
  });
});

describe('SubscriptionIndex', () => {
  const sub = (id: string, tenant: string, types: string[], enabled = true) => ({ id, tenant_id: tenant, event_types: types, enabled });

  it('matches exact, prefix and wildcard filters once each, within the tenant only', () => {
    const index = new SubscriptionIndex();
    index.upsert(sub('a', 't1', ['order.placed']));
    index.upsert(sub('b', 't1', ['order.*', 'order.placed']));
    index.upsert(sub('c', 't1', ['*']));
    index.upsert(sub('d', 't2', ['*']));
    index.upsert(sub('e', 't1', ['invoice.*']));
    expect(index.match('t1', 'order.placed').map((s) => s.id).sort()).toEqual(['a', 'b', 'c']);
    expect(index.match('t1', 'order.item.added').map((s) => s.id).sort()).toEqual(['b', 'c']);
    expect(index.match('t3', 'order.placed')).toEqual([]);
  });

  it('drops disabled subscriptions and forgets old filters on update and remove', () => {
    const index = new SubscriptionIndex();
    index.upsert(sub('a', 't1', ['order.placed']));
    index.upsert(sub('a', 't1', ['invoice.paid']));
    expect(index.match('t1', 'order.placed')).toEqual([]);
    index.upsert(sub('a', 't1', ['invoice.paid'], false));
    expect(index.match('t1', 'invoice.paid')).toEqual([]);
    index.upsert(sub('a', 't1', ['invoice.paid']));
    index.remove('a');
    expect(index.match('t1', 'invoice.paid')).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('never matches an excluded type, exact or by prefix', () => {
    const index = new SubscriptionIndex<{ id: string; tenant_id: string; event_types: string[]; excluded_event_types: string[]; enabled: boolean }>();
    index.upsert({ id: 'a', tenant_id: 't1', event_types: ['*'], excluded_event_types: ['order.internal', 'audit.*'], enabled: true });
    expect(index.match('t1', 'order.placed').map((s) => s.id)).toEqual(['a']);
    expect(index.match('t1', 'order.internal')).toEqual([]);
    expect(index.match('t1', 'audit.login.failed')).toEqual([]);
  });
});
