/**
 * Batched delivery (docs/guides/batching.md): which queued deliveries of a subscription go out
 * together in one request, and when. Pure: the dispatcher's scheduler holds the queue and the clock.
 */

export interface BatchBounds {
  max_events: number;
  max_bytes: number;
  max_wait_ms: number;
}

export type BatchPlan = { kind: 'send'; count: number } | { kind: 'wait'; untilMs: number };

/**
 * Which deliveries may share a request: those of the same failed batch (they retry as a unit,
 * and only together), or else those not in one, at the same attempt, so that one decision (retry
 * when, or dead-letter) fits every member.
 */
export function batchGroup(msg: { attempt: number; batch?: { id: string } | null | undefined }): string {
  return `${msg.batch?.id ?? ''}/${msg.attempt}`;
}

/** The body of a batch: the envelopes, byte for byte as each would be sent alone, in a JSON array. */
export function batchBody(bodies: readonly string[]): string {
  return `[${bodies.join(',')}]`;
}

/**
 * How many of `sizes` (the body bytes of one group's queued deliveries, in queue order, the head
 * first) to send now, or until when to wait for more. A request is full at `max_events`, when
 * the next envelope would take its array past `max_bytes` (a first envelope larger than that
 * goes alone), or when a failed batch's `expected` members are all here. One that is not full
 * goes once its head has waited `max_wait_ms` since `headSince`.
 */
export function planBatch(sizes: readonly number[], bounds: BatchBounds, expected: number | null, headSince: number, now: number): BatchPlan {
  if (sizes.length === 0) throw new RangeError('a batch needs at least one delivery');
  let count = 1;
  let bytes = 2 + (sizes[0] ?? 0);
  let full = false;
  for (let i = 1; i < sizes.length && count < bounds.max_events; i++) {
    const next = bytes + 1 + (sizes[i] ?? 0);
    if (next > bounds.max_bytes) {
      full = true;
      break;
    }
    bytes = next;
    count++;
  }
  if (count >= bounds.max_events || bytes >= bounds.max_bytes || (expected !== null && count >= expected)) full = true;
  const dueAt = headSince + bounds.max_wait_ms;
  return full || now >= dueAt ? { kind: 'send', count } : { kind: 'wait', untilMs: dueAt };
}
