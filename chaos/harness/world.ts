import type { BatchSettings } from '@hookstream/contracts';
import { eventTypeMatches } from '@hookstream/domain';
import type { Fate } from './ledger.ts';
import type { Behaviour } from './receiver.ts';

/**
 * The event types the load publishes; every subscription below filters on them. `ordered` events
 * carry an ordering key, and only the `ordered` scenario publishes them.
 */
export const EVENT_TYPES = { plain: 'chaos.plain', hostile: 'chaos.hostile', ordered: 'chaos.ordered' } as const;
export type EventKind = keyof typeof EVENT_TYPES;

export interface SubscriptionSpec {
  /** Names the subscription in its URL path, so in the receivers' keys. */
  name: string;
  behaviour: Behaviour;
  eventTypes: string[];
  /** Per-attempt timeout; the hanging receiver's keeps its first attempts short. */
  timeoutMs?: number;
  disabled?: boolean;
  /** Ordered delivery (docs/adr/0009); absent: none. */
  ordering?: 'key' | 'subscription';
  /** Batched delivery (docs/adr/0012); absent: one event per request. */
  batch?: BatchSettings;
}

/**
 * The batched subscriptions' setting: small batches that fill within a scenario's steady rate,
 * so faults hit batches waiting, in flight and retrying.
 */
export const CHAOS_BATCH: BatchSettings = { max_events: 10, max_bytes: 256 * 1024, max_wait_ms: 250 };

/**
 * Every tenant's subscriptions. Each event of a tenant meets all of them: the ones whose filter
 * matches it should deliver it (or dead-letter it, for `dead`); the rest account for it as
 * filtered, and the disabled one as disabled.
 */
export const SUBSCRIPTIONS: readonly SubscriptionSpec[] = [
  { name: 'ok-a', behaviour: 'ok', eventTypes: [EVENT_TYPES.plain] },
  { name: 'ok-b', behaviour: 'ok', eventTypes: ['chaos.*'] },
  { name: 'filtered', behaviour: 'ok', eventTypes: ['chaos.other'] },
  { name: 'disabled', behaviour: 'ok', eventTypes: ['chaos.*'], disabled: true },
  { name: 'hang', behaviour: 'hang', eventTypes: [EVENT_TYPES.hostile], timeoutMs: 2000 },
  { name: 'reset', behaviour: 'reset', eventTypes: [EVENT_TYPES.hostile] },
  { name: 'slow', behaviour: 'slow', eventTypes: [EVENT_TYPES.hostile] },
  { name: 'throttle', behaviour: 'throttle', eventTypes: [EVENT_TYPES.hostile] },
  { name: 'huge', behaviour: 'huge', eventTypes: [EVENT_TYPES.hostile] },
  { name: 'dead', behaviour: 'dead', eventTypes: [EVENT_TYPES.hostile] },
  // Batches of every kind of event; the flaky receiver fails some batches' first request, which
  // then retry as a unit.
  { name: 'batched', behaviour: 'flaky', eventTypes: ['chaos.*'], batch: CHAOS_BATCH },
];

export function fateOf(spec: Pick<SubscriptionSpec, 'behaviour' | 'eventTypes' | 'disabled'>, type: string): Fate {
  if (spec.disabled) return 'disabled';
  if (!spec.eventTypes.some((f) => eventTypeMatches(f, type))) return 'filtered';
  return spec.behaviour === 'dead' ? 'dead' : 'deliver';
}

/**
 * The subscriptions the `ordered` scenario adds to every tenant for its round, ordered by key:
 * one whose receiver accepts every request, one whose receiver fails the first request of some
 * deliveries, so that a key's head retries while its later events wait, and one like it that
 * takes batches. Their paths start
 * with ORDERED_PATH, which is how the receivers know to log the order requests arrive in.
 */
export const ORDERED_SUBSCRIPTIONS: readonly SubscriptionSpec[] = [
  { name: 'ordered', behaviour: 'ok', eventTypes: [EVENT_TYPES.ordered], ordering: 'key' },
  { name: 'ordered-flaky', behaviour: 'flaky', eventTypes: [EVENT_TYPES.ordered], ordering: 'key' },
  // Order inside and across batches, through the same faults.
  { name: 'ordered-batched', behaviour: 'flaky', eventTypes: [EVENT_TYPES.ordered], ordering: 'key', batch: CHAOS_BATCH },
];
