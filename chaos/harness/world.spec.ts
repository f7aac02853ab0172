import { EVENT_TYPES, fateOf, SUBSCRIPTIONS } from './world.ts';

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
    });
  });
});
