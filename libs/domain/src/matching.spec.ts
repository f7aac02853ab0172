import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { eventTypeSchema } from '@hookstream/contracts';
import { eventTypeMatches, explainMatch, isValidFilter, SubscriptionIndex } from './matching.js';

describe('eventTypeMatches', () => {
  it.each([
    ['*', 'order.placed', true],
    ['order.placed', 'order.placed', true],
    ['order.placed', 'order.placed.v2', false],
    ['order.*', 'order.placed', true],
    ['order.*', 'order.item.added', true],
    ['order.*', 'order', false],
    ['order.*', 'orders.placed', false],
    ['policy/bound', 'policy/bound', true],
    ['policy.*', 'policy/bound', false],
    ['insurance.*', 'insurance.policy/bound', true],
  ])('%s vs %s → %s', (filter, type, expected) => {
    expect(eventTypeMatches(filter, type)).toBe(expected);
  });
});

describe('event type names and filters', () => {
  it.each(['order.placed', 'policy/bound', 'insurance.policy/bound', 'a/b/c.d-e_f', 'x'])('takes the type %s', (type) => {
    expect(eventTypeSchema.safeParse(type).success).toBe(true);
    expect(isValidFilter(type)).toBe(true);
  });

  it.each(['/policy', 'policy/', 'policy//bound', 'policy/.bound', 'Policy/Bound', 'policy bound', 'a..b', '.a', 'a.'])('refuses the type %s', (type) => {
    expect(eventTypeSchema.safeParse(type).success).toBe(false);
    expect(isValidFilter(type)).toBe(false);
  });

  it('makes prefixes of dot-separated segments only', () => {
    expect(isValidFilter('insurance.*')).toBe(true);
    expect(isValidFilter('insurance.policy/bound.*')).toBe(true);
    expect(isValidFilter('policy/*')).toBe(false);
    expect(isValidFilter('*')).toBe(true);
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

  it('matches disabled subscriptions only when asked to, with the same filters and exclusions', () => {
    const index = new SubscriptionIndex();
    index.upsert(sub('a', 't1', ['order.*'], false));
    index.upsert(sub('b', 't1', ['order.placed']));
    index.upsert({ ...sub('c', 't1', ['*'], false), excluded_event_types: ['order.*'] });
    index.upsert(sub('d', 't2', ['*'], false));
    expect(index.match('t1', 'order.placed').map((s) => s.id)).toEqual(['b']);
    expect(index.match('t1', 'order.placed', true).map((s) => s.id).sort()).toEqual(['a', 'b']);
    expect(index.match('t1', 'invoice.paid', true).map((s) => s.id)).toEqual(['c']);
  });

  it('never matches an excluded type, exact or by prefix', () => {
    const index = new SubscriptionIndex<{ id: string; tenant_id: string; event_types: string[]; excluded_event_types: string[]; enabled: boolean }>();
    index.upsert({ id: 'a', tenant_id: 't1', event_types: ['*'], excluded_event_types: ['order.internal', 'audit.*'], enabled: true });
    expect(index.match('t1', 'order.placed').map((s) => s.id)).toEqual(['a']);
    expect(index.match('t1', 'order.internal')).toEqual([]);
    expect(index.match('t1', 'audit.login.failed')).toEqual([]);
  });
});

describe('explainMatch', () => {
  const base = { event_types: ['order.*'], excluded_event_types: ['order.internal'], enabled: true };

  it('names the filter that routes the event', () => {
    expect(explainMatch(base, 'order.placed')).toEqual({ receives: true, matchedFilter: 'order.*' });
  });

  it('names every reason a subscription would not receive it', () => {
    expect(explainMatch(base, 'invoice.paid')).toEqual({ receives: false, reasons: [{ code: 'no_matching_filter', message: 'none of its filters (order.*) matches invoice.paid' }] });
    expect(explainMatch({ ...base, enabled: false, disabled_reason: 'gone' }, 'order.internal')).toEqual({
      receives: false,
      reasons: [
        { code: 'excluded', message: 'order.internal is excluded by order.internal' },
        { code: 'disabled', message: 'the subscription is disabled (gone)' },
      ],
    });
  });

  // The dry-run answers with explainMatch; the dispatcher routes with SubscriptionIndex. They
  // must agree on every subscription set and event type, which a few hand-picked cases cannot show.
  it('agrees with SubscriptionIndex.match on random subscriptions and event types', () => {
    const segment = fc.constantFrom('order', 'invoice', 'item', 'paid', 'placed', 'a');
    const type = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
    const filter = fc.oneof(type, type.map((t) => `${t}.*`), fc.constant('*'));
    const subscription = fc.record({
      tenant_id: fc.constantFrom('t1', 't2'),
      event_types: fc.array(filter, { minLength: 1, maxLength: 4 }),
      excluded_event_types: fc.array(fc.oneof(type, type.map((t) => `${t}.*`)), { maxLength: 2 }),
      enabled: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(subscription, { maxLength: 30 }), fc.array(type, { minLength: 1, maxLength: 10 }), (subs, types) => {
        const index = new SubscriptionIndex<(typeof subs)[number] & { id: string }>();
        const withIds = subs.map((s, i) => ({ ...s, id: `s${i}` }));
        for (const s of withIds) index.upsert(s);
        for (const tenant of ['t1', 't2']) {
          for (const t of types) {
            const routed = index.match(tenant, t).map((s) => s.id).sort();
            const explained = withIds.filter((s) => s.tenant_id === tenant && explainMatch(s, t).receives).map((s) => s.id).sort();
            expect(explained).toEqual(routed);
          }
        }
      }),
      { seed: 20261123, numRuns: 500 },
    );
  });
});
