import { childTraceparent, type EventEnvelope, HEADERS, receiverBody, SCHEMA_VERSION } from '@hookstream/contracts';
import { CompressionTypes, type Message, type Producer } from 'kafkajs';
import { epochMs, sleep } from './clock.ts';

/** An event to publish, and the delivery keys (`<event id> <subscription path>`) it should cause. */
export interface PlannedEvent {
  envelope: EventEnvelope;
  keys: string[];
}

/** When each event was due and when it was handed to the producer (epoch ms, by event index). */
export interface PublishLog {
  scheduledAt: Float64Array;
  sentAt: Float64Array;
  /** When the first event was due. */
  startedAt: number;
  /** When the broker had acknowledged the last one. */
  ackedAt: number;
}

/** The body a receiver gets for this event (what the dispatcher derives from it). */
export function bodyOf(envelope: EventEnvelope): string {
  return receiverBody({ ...envelope, received_at: envelope.occurred_at });
}

// One string per padding length: a full run plans 300,000 events, which should not mean
// 300,000 copies of the same padding in the harness's heap.
const pads = new Map<number, string>();

/** An envelope whose receiver body is exactly `bodyBytes` long (padding in `data.pad`). */
export function makeEnvelope(id: string, type: string, tenantId: string, bodyBytes: number, seq: number): EventEnvelope {
  const envelope: EventEnvelope = { id, type, tenant_id: tenantId, occurred_at: new Date().toISOString(), data: { seq, pad: '' } };
  const length = Math.max(0, bodyBytes - bodyOf(envelope).length);
  let pad = pads.get(length);
  if (pad === undefined) {
    pad = 'x'.repeat(length);
    pads.set(length, pad);
  }
  envelope.data['pad'] = pad;
  return envelope;
}

function toMessage(e: EventEnvelope): Message {
  // As @hookstream/publisher sends them: keyed by tenant, with the schema version and a trace.
  return { key: e.tenant_id, value: JSON.stringify(e), headers: { [HEADERS.schemaVersion]: String(SCHEMA_VERSION), [HEADERS.traceparent]: childTraceparent(null) } };
}

/**
 * Publishes to `hookstream.ingest` (the public input internal services use) with acks from all
 * in-sync replicas. Several produce requests may be in flight: the harness must never be the
 * reason an event is late.
 */
export class IngestPublisher {
  private readonly producer: Producer;
  private readonly topic: string;

  constructor(producer: Producer, topic: string) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Everything at once, in batches of `batch`, `inFlight` requests at a time (closed loop). */
  async burst(events: readonly PlannedEvent[], batch = 1000, inFlight = 4): Promise<PublishLog> {
    const log = newLog(events.length);
    log.startedAt = epochMs();
    let next = 0;
    const worker = async () => {
      while (next < events.length) {
        const from = next;
        next = Math.min(events.length, next + batch);
        const at = epochMs();
        log.scheduledAt.fill(at, from, next);
        log.sentAt.fill(at, from, next);
        await this.send(events.slice(from, next));
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    log.ackedAt = epochMs();
    return log;
  }

  /**
   * Open loop: event i is due at start + i / rate and goes out when due, whatever the answers
   * to earlier ones (no coordinated omission). Events due together share one produce request.
   */
  async openLoop(events: readonly PlannedEvent[], ratePerSecond: number, maxInFlight = 64): Promise<PublishLog> {
    const log = newLog(events.length);
    const start = epochMs() + 20;
    for (let i = 0; i < events.length; i++) log.scheduledAt[i] = start + (i * 1000) / ratePerSecond;
    log.startedAt = start;
    const inFlight = new Set<Promise<void>>();
    // Set by a failed send (in a callback, hence an object the compiler does not narrow).
    const failed: { error: Error | null } = { error: null };
    let next = 0;
    while (next < events.length) {
      if (failed.error) break;
      if (inFlight.size >= maxInFlight) {
        await Promise.race(inFlight);
        continue;
      }
      const now = epochMs();
      const due = log.scheduledAt[next] ?? now;
      if (due > now) {
        await sleep(due - now);
        continue;
      }
      let end = next;
      while (end < events.length && (log.scheduledAt[end] ?? Infinity) <= now) end++;
      log.sentAt.fill(now, next, end);
      const sending: Promise<void> = this.send(events.slice(next, end)).then(
        () => void inFlight.delete(sending),
        (err: unknown) => {
          failed.error = err instanceof Error ? err : new Error(String(err));
          inFlight.delete(sending);
        },
      );
      inFlight.add(sending);
      next = end;
    }
    await Promise.all(inFlight);
    if (failed.error) throw failed.error;
    log.ackedAt = epochMs();
    return log;
  }

  private async send(events: readonly PlannedEvent[]): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, compression: CompressionTypes.None, messages: events.map((e) => toMessage(e.envelope)) });
  }
}

function newLog(n: number): PublishLog {
  return { scheduledAt: new Float64Array(n), sentAt: new Float64Array(n), startedAt: 0, ackedAt: 0 };
}

/** Publish → first 2xx receipt per delivery key, in ms, from the scheduled publish time. */
export function latencies(events: readonly PlannedEvent[], log: PublishLog, firstOkAt: (key: string) => number | null): number[] {
  const out: number[] = [];
  events.forEach((e, i) => {
    for (const key of e.keys) {
      const at = firstOkAt(key);
      if (at !== null) out.push(at - (log.scheduledAt[i] ?? 0));
    }
  });
  return out;
}
