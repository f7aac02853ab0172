import { describe, expect, it } from '@jest/globals';
import { orderingText } from './ordering-text.ts';

describe('orderingText', () => {
  it('says when a subscription is not ordered', () => {
    expect(orderingText({ ordering: 'none', on_dead_letter: 'skip', ordering_backlog_max: 10_000 })).toBe('not ordered: each event as soon as it can go');
  });

  it('names the unit of order, what a dead letter does and the backlog bound', () => {
    expect(orderingText({ ordering: 'key', on_dead_letter: 'block', ordering_backlog_max: 10_000 })).toBe(
      "each ordering_key's events in order (events without one are not ordered); a dead letter stops its key until it is replayed; paused past 10,000 held",
    );
    expect(orderingText({ ordering: 'subscription', on_dead_letter: 'skip', ordering_backlog_max: 5 })).toBe('every event in one order; a dead letter lets its key move on; paused past 5 held');
  });
});
