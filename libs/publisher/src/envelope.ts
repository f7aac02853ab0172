import { type EventEnvelope, eventEnvelopeSchema, type FieldError, parseWith } from '@hookstream/contracts';
import type { EventIdGenerator } from './ids.js';

/** Event type → the shape of its `data`. */
export type EventMap = Record<string, object>;

/** One event to publish; `id` and `occurred_at` are generated when absent. */
export type EventOf<E extends EventMap> = {
  [K in keyof E & string]: {
    type: K;
    data: E[K];
    /** Your idempotency key: the same id for the same tenant is accepted once. */
    id?: string;
    occurred_at?: string | Date;
    /** What the event is ordered by, for subscriptions that order by key (docs/guides/ordering.md). */
    ordering_key?: string;
    /** W3C trace context of the operation that caused the event. */
    traceparent?: string;
  };
}[keyof E & string];

export interface StampedEvent {
  envelope: EventEnvelope;
  traceparent: string | null;
}

/**
 * Stamps an id and occurred_at where missing and checks the result against the same envelope
 * schema the gateway enforces, so a bad event fails in the caller's process, with field paths.
 */
export function stampEvent(
  input: EventOf<EventMap>,
  tenantId: string,
  ids: EventIdGenerator,
  now: Date,
  maxEventBytes: number,
): { ok: true; event: StampedEvent } | { ok: false; errors: FieldError[] } {
  const occurred = input.occurred_at instanceof Date ? input.occurred_at.toISOString() : input.occurred_at;
  const candidate = {
    id: input.id ?? ids.next(),
    type: input.type,
    tenant_id: tenantId,
    occurred_at: occurred ?? now.toISOString(),
    data: input.data,
    ...(input.ordering_key === undefined ? {} : { ordering_key: input.ordering_key }),
  };
  const parsed = parseWith(eventEnvelopeSchema, candidate);
  if (!parsed.ok) return parsed;
  const size = Buffer.byteLength(JSON.stringify(parsed.value));
  if (size > maxEventBytes) return { ok: false, errors: [{ path: 'data', message: `the event is ${size} bytes; the limit is ${maxEventBytes}` }] };
  return { ok: true, event: { envelope: parsed.value, traceparent: input.traceparent ?? null } };
}
