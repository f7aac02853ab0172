import { describe, expect, it } from '@jest/globals';
import type { DeliveryMessage } from '@hookstream/contracts';
import { decideReplay, type ReplayCandidate, replayDelivery } from './replay.js';

const died = new Date('2026-11-22T10:00:00.000Z');
const candidate = (over: Partial<ReplayCandidate> = {}): ReplayCandidate => ({
  deadAt: died,
  replayedDeadAt: null,
  generation: 0,
  replayGeneration: null,
  subscription: { enabled: true, disabledReason: null },
  ...over,
});

describe('decideReplay', () => {
  it('replays a letter nobody replayed as the generation after the one that died', () => {
    expect(decideReplay(candidate(), false)).toEqual({ replay: true, generation: 1 });
    expect(decideReplay(candidate({ generation: 3 }), false)).toEqual({ replay: true, generation: 4 });
    expect(decideReplay(candidate({ generation: undefined }), false)).toEqual({ replay: true, generation: 1 });
  });

  it('replays a death once: the same death again is skipped, unless forced', () => {
    const replayed = candidate({ replayedDeadAt: new Date(died.getTime()), replayGeneration: 1 });
    expect(decideReplay(replayed, false)).toEqual({ replay: false, reason: 'already_replayed', message: 'already replayed since it died at 2026-11-22T10:00:00.000Z' });
    expect(decideReplay(replayed, true)).toEqual({ replay: true, generation: 2 });
  });

  it('replays again once the delivery has died again, above every generation it had', () => {
    const diedAgain = candidate({ deadAt: new Date('2026-11-22T11:00:00Z'), replayedDeadAt: died, generation: 1, replayGeneration: 1 });
    expect(decideReplay(diedAgain, false)).toEqual({ replay: true, generation: 2 });
    // Forced twice before it died again: the generation still moves past both replays.
    expect(decideReplay(candidate({ replayedDeadAt: died, generation: 0, replayGeneration: 2 }), true)).toEqual({ replay: true, generation: 3 });
  });

  it('holds replays for a disabled or missing subscription, even when forced', () => {
    expect(decideReplay(candidate({ subscription: { enabled: false, disabledReason: 'auto_disabled' } }), true)).toEqual({
      replay: false,
      reason: 'subscription_disabled',
      message: 'the subscription is disabled (auto_disabled); enable it first, or the replay dies again',
    });
    expect(decideReplay(candidate({ subscription: null }), true)).toMatchObject({ replay: false, reason: 'subscription_missing' });
  });
});

describe('replayDelivery', () => {
  it('keeps the event id and body, starts a fresh schedule in the new generation', () => {
    const dead: DeliveryMessage = {
      delivery_id: '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f',
      tenant_id: 'acme',
      subscription_id: '6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10',
      event_id: 'evt_1',
      event_type: 'order.placed',
      attempt: 8,
      generation: 0,
      body: '{"id":"evt_1","type":"order.placed","timestamp":"2026-11-22T10:00:00.000Z","data":{}}',
      origin: 'retry',
      first_attempt_at: '2026-11-21T06:00:00.000Z',
    };
    const now = new Date('2026-11-22T12:00:00.000Z');
    expect(replayDelivery(dead, 1, now)).toEqual({ ...dead, attempt: 1, generation: 1, origin: 'replay', first_attempt_at: '2026-11-22T12:00:00.000Z' });
  });
});
