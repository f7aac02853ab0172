import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type DeadLetterPolicy, type EntryState, heldCount, keyDecision, type KeyEntry, maySend, orderingKeyFor } from './ordered-keys.js';

const e = (position: number, state: EntryState): KeyEntry => ({ position, state });

describe('orderingKeyFor', () => {
  it('orders a whole subscription under one key, by the envelope key, or not at all', () => {
    expect(orderingKeyFor('subscription', 'ord_1')).toBe('');
    expect(orderingKeyFor('key', 'ord_1')).toBe('ord_1');
    expect(orderingKeyFor('key', undefined)).toBeNull();
    expect(orderingKeyFor('none', 'ord_1')).toBeNull();
  });
});

describe('keyDecision', () => {
  it('sends the first waiting entry once everything before it is settled, whatever order the rows come in', () => {
    expect(keyDecision([e(9, 'waiting'), e(3, 'delivered'), e(5, 'waiting')], 'skip')).toEqual({ kind: 'send', position: 5 });
    expect(keyDecision([], 'skip')).toEqual({ kind: 'idle' });
    expect(keyDecision([e(1, 'delivered'), e(2, 'dead')], 'skip')).toEqual({ kind: 'idle' });
  });

  it('holds the key while its head has an attempt outstanding, and on a dead head as the policy says', () => {
    const rows = [e(1, 'sending'), e(2, 'waiting')];
    expect(keyDecision(rows, 'skip')).toEqual({ kind: 'busy', position: 1 });
    expect(maySend(rows, 2, 'skip')).toBe(false);
    const dead = [e(1, 'dead'), e(2, 'waiting')];
    expect(keyDecision(dead, 'skip')).toEqual({ kind: 'send', position: 2 });
    expect(keyDecision(dead, 'block')).toEqual({ kind: 'blocked', position: 1 });
    expect(heldCount([e(1, 'dead'), e(2, 'waiting'), e(3, 'waiting')], 'block')).toBe(2);
    expect(heldCount([e(1, 'sending'), e(2, 'waiting'), e(3, 'waiting')], 'skip')).toBe(2);
    expect(heldCount([e(1, 'waiting'), e(2, 'waiting')], 'skip')).toBe(1);
  });
});

/**
 * The dispatcher as a model: entries per key, and every way at-least-once delivery disturbs it.
 * A message can arrive twice or early, a process can die after the receiver answered 2xx and
 * before the outcome was recorded (a lease expiry sends it again), retries fail and exhaust, and
 * on-call replays dead letters.
 */
type Action =
  | { kind: 'arrive'; key: number }
  | { kind: 'message'; key: number; pick: number }
  | { kind: 'attempt'; key: number; outcome: 'ok' | 'ok_unrecorded' | 'fail' | 'exhaust' }
  | { kind: 'replay'; key: number };

// Two keys and small picks: collisions (two entries of one key in flight at once) are what the
// search must find, and it finds them within a few dozen runs of a broken decision.
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('arrive' as const), key: fc.nat(1) }),
  fc.record({ kind: fc.constant('message' as const), key: fc.nat(1), pick: fc.nat(4) }),
  fc.record({ kind: fc.constant('attempt' as const), key: fc.nat(1), outcome: fc.constantFrom('ok' as const, 'ok_unrecorded' as const, 'fail' as const, 'exhaust' as const) }),
  fc.record({ kind: fc.constant('replay' as const), key: fc.nat(1) }),
);

interface Run {
  /** Every request the receiver saw, per key, in the order it saw them. */
  requests: number[][];
  /** The entries' states when each request was made: what had settled before it. */
  settledBefore: Array<Array<Set<number>>>;
  entries: KeyEntry[][];
}

function simulate(actions: readonly Action[], policy: DeadLetterPolicy): Run {
  const entries: KeyEntry[][] = [[], []];
  const requests: number[][] = [[], []];
  const settledBefore: Array<Array<Set<number>>> = [[], []];
  let position = 0;
  const set = (key: number, p: number, state: EntryState) => {
    entries[key] = (entries[key] ?? []).map((x) => (x.position === p ? { position: p, state } : x));
  };
  const request = (key: number, p: number) => {
    requests[key]?.push(p);
    const rows = entries[key] ?? [];
    settledBefore[key]?.push(new Set(rows.filter((x) => x.state === 'delivered' || (x.state === 'dead' && policy === 'skip')).map((x) => x.position)));
  };
  for (const a of actions) {
    const rows = entries[a.key] ?? [];
    if (a.kind === 'arrive') {
      // Positions grow across keys: another key's events interleave, as in a tenant's partition.
      entries[a.key] = [...rows, { position: position++, state: 'waiting' }];
    } else if (a.kind === 'message') {
      // A delivery message for any entry of the key: the head, a duplicate, or a later one early.
      const target = rows[a.pick % Math.max(rows.length, 1)];
      if (target && maySend(rows, target.position, policy)) {
        set(a.key, target.position, 'sending');
        request(a.key, target.position);
      }
    } else if (a.kind === 'attempt') {
      // The head's outstanding attempt (a retry firing, or a lease expiring) is made again.
      const d = keyDecision(rows, policy);
      if (d.kind !== 'busy') continue;
      request(a.key, d.position);
      if (a.outcome === 'ok') set(a.key, d.position, 'delivered');
      if (a.outcome === 'exhaust') set(a.key, d.position, 'dead');
      // ok_unrecorded: the receiver answered 2xx, the process died first; the entry stays sending.
    } else {
      // Replaying the dead head of a blocked key: it waits to be sent again, still first.
      const d = keyDecision(rows, policy);
      if (d.kind === 'blocked') set(a.key, d.position, 'waiting');
    }
  }
  return { requests, settledBefore, entries };
}

describe('ordered delivery under at-least-once (property)', () => {
  for (const policy of ['skip', 'block'] as const) {
    it(`never sends an event before every earlier event of its key has settled (${policy})`, () => {
      fc.assert(
        fc.property(fc.array(action, { maxLength: 200 }), (actions) => {
          const run = simulate(actions, policy);
          run.requests.forEach((seen, key) => {
            // The receiver sees each key's positions in order; a repeat is only ever of the latest.
            for (let i = 1; i < seen.length; i++) expect(seen[i] ?? 0).toBeGreaterThanOrEqual(seen[i - 1] ?? 0);
            // And every earlier entry of the key had settled when a request went out.
            seen.forEach((p, i) => {
              const earlier = (run.entries[key] ?? []).filter((x) => x.position < p).map((x) => x.position);
              for (const q of earlier) expect(run.settledBefore[key]?.[i]?.has(q)).toBe(true);
            });
          });
        }),
        { numRuns: 1000 },
      );
    });
  }

  it('delivers everything in the end when the receiver recovers, skipping the dead under skip', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 100 }), fc.constantFrom<DeadLetterPolicy>('skip', 'block'), (actions, policy) => {
        // After the disturbances, every message arrives and every attempt succeeds.
        const drain: Action[] = [];
        for (let round = 0; round < 100; round++) {
          for (const key of [0, 1]) drain.push({ kind: 'message', key, pick: round }, { kind: 'attempt', key, outcome: 'ok' });
        }
        const run = simulate([...actions, ...drain], policy);
        for (const rows of run.entries) {
          const d = keyDecision(rows, policy);
          if (policy === 'skip') expect(d).toEqual({ kind: 'idle' });
          else expect(['idle', 'blocked']).toContain(d.kind);
          expect(rows.filter((x) => x.state === 'waiting' || x.state === 'sending').length).toBe(d.kind === 'blocked' ? heldCount(rows, policy) : 0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
