import { ORDERED_PATH } from './receiver.ts';
import { EVENT_TYPES, fateOf, ORDERED_SUBSCRIPTIONS, SUBSCRIPTIONS } from './world.ts';

const fates = (type: string) => Object.fromEntries(SUBSCRIPTIONS.map((s) => [s.name, fateOf(s, type)]));

describe('fateOf', () => {
  it('owes a plain event to the two friendly subscriptions, and accounts for every other one', () => {
    expect(fates(EVENT_TYPES.plain)).toEqual({
      'ok-a': 'deliver',
      'ok-b': 'deliver',
      filtered: 'filtered',
      disabled: 'disabled',
      hang: 'filtered',
      reset: 'filtered',
      slow: 'filtered',
      throttle: 'filtered',
      huge: 'filtered',
      dead: 'filtered',
      batched: 'deliver',
    });
  });

  it('owes a hostile event to every misbehaving receiver, a dead letter to the dead one, and the wildcard subscription its delivery', () => {
    expect(fates(EVENT_TYPES.hostile)).toEqual({
      'ok-a': 'filtered',
      'ok-b': 'deliver',
      filtered: 'filtered',
      disabled: 'disabled',
      hang: 'deliver',
      reset: 'deliver',
      slow: 'deliver',
      throttle: 'deliver',
      huge: 'deliver',
      dead: 'dead',
      batched: 'deliver',
    });
  });

  it('owes an ordered event to the wildcard subscription and to the ordered ones, and no other', () => {
    expect(fates(EVENT_TYPES.ordered)).toEqual({
      'ok-a': 'filtered',
      'ok-b': 'deliver',
      filtered: 'filtered',
      disabled: 'disabled',
      hang: 'filtered',
      reset: 'filtered',
      slow: 'filtered',
      throttle: 'filtered',
      huge: 'filtered',
      dead: 'filtered',
      batched: 'deliver',
    });
    expect(ORDERED_SUBSCRIPTIONS.map((s) => [s.name, fateOf(s, EVENT_TYPES.ordered), fateOf(s, EVENT_TYPES.plain), s.ordering])).toEqual([
      ['ordered', 'deliver', 'filtered', 'key'],
      ['ordered-flaky', 'deliver', 'filtered', 'key'],
      ['ordered-batched', 'deliver', 'filtered', 'key'],
    ]);
  });

  it('names the ordered subscriptions, and only them, so that the receivers log their arrivals', () => {
    // Paths are `/<name>/<tenant index>`.
    expect(ORDERED_SUBSCRIPTIONS.every((s) => `/${s.name}/0`.startsWith(ORDERED_PATH))).toBe(true);
    expect(SUBSCRIPTIONS.some((s) => `/${s.name}/0`.startsWith(ORDERED_PATH))).toBe(false);
  });
});
