/**
 * Ordered delivery: which of an ordering key's deliveries may go out now (docs/adr/0009). Pure;
 * the dispatcher keeps each key's entries in Postgres and asks this on every change.
 *
 * A key's deliveries are ordered by their event's position in its tenant's order (fan-out assigns
 * it). The head is the first entry not yet settled. Only the head is ever sent, and only while no
 * attempt of it is outstanding: its retries hold back the later events of its key, and of no
 * other key. A dead head either lets the key move on (`skip`) or stops it until it is replayed
 * (`block`); the subscription chooses.
 */

/** How a subscription orders its deliveries. */
export type OrderingMode = 'none' | 'subscription' | 'key';

/** What a dead letter does to the later events of its key. */
export type DeadLetterPolicy = 'skip' | 'block';

/**
 * waiting: fanned out, not yet sent. sending: an attempt is outstanding (being made, or a retry is
 * scheduled). delivered: a 2xx was recorded. dead: it ended in the dead-letter queue.
 */
export type EntryState = 'waiting' | 'sending' | 'delivered' | 'dead';

export interface KeyEntry {
  /** Where the event stands in its tenant's order; unique within a key. */
  readonly position: number;
  readonly state: EntryState;
}

export type KeyDecision =
  /** The head is waiting: send it. */
  | { readonly kind: 'send'; readonly position: number }
  /** The head has an attempt outstanding: nothing else of this key goes out. */
  | { readonly kind: 'busy'; readonly position: number }
  /** The head is dead and the policy is `block`: the key waits for a replay or a skip. */
  | { readonly kind: 'blocked'; readonly position: number }
  /** Every entry is settled. */
  | { readonly kind: 'idle' };

/** The key an event is ordered under for a subscription, or null when it is not ordered at all. */
export function orderingKeyFor(mode: OrderingMode, envelopeKey: string | null | undefined): string | null {
  if (mode === 'subscription') return '';
  // An event without an ordering key is not ordered (docs/adr/0009): it never waits, nor holds back.
  if (mode === 'key') return envelopeKey ?? null;
  return null;
}

function settled(state: EntryState, policy: DeadLetterPolicy): boolean {
  return state === 'delivered' || (state === 'dead' && policy === 'skip');
}

/** What the key may do now. `entries` may come in any order. */
export function keyDecision(entries: readonly KeyEntry[], policy: DeadLetterPolicy): KeyDecision {
  let head: KeyEntry | undefined;
  for (const e of entries) {
    if (settled(e.state, policy)) continue;
    if (!head || e.position < head.position) head = e;
  }
  if (!head) return { kind: 'idle' };
  if (head.state === 'waiting') return { kind: 'send', position: head.position };
  if (head.state === 'sending') return { kind: 'busy', position: head.position };
  return { kind: 'blocked', position: head.position };
}

/**
 * Whether an attempt at `position` may start: it must be the head, waiting. A delivery message
 * that arrives for anything else (a duplicate, or a later event re-driven early) is held.
 */
export function maySend(entries: readonly KeyEntry[], position: number, policy: DeadLetterPolicy): boolean {
  const d = keyDecision(entries, policy);
  return d.kind === 'send' && d.position === position;
}

/** The key's entries waiting behind its head: what the per-subscription backlog bound counts. */
export function heldCount(entries: readonly KeyEntry[], policy: DeadLetterPolicy): number {
  const d = keyDecision(entries, policy);
  if (d.kind === 'idle') return 0;
  return entries.filter((e) => e.state === 'waiting' && e.position > d.position).length;
}
