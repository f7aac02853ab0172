/**
 * The `ordered` scenario's check (docs/adr/0009): per ordered subscription and ordering key, the
 * requests in the order they reached the receiver. Pure, so what it flags is unit-tested.
 *
 * A key's event may go out only once every earlier one of the key has ended (a 2xx, or a dead
 * letter), so at the receiver a key's requests never go back to an earlier event after a later
 * one, and never reach an event before its predecessor was answered 2xx. At-least-once still
 * holds: the latest event may arrive again (a duplicate, counted, not a violation).
 */
import { type Quantiles, quantiles, roundQuantiles } from '../../bench/harness/stats.ts';
import type { Arrival } from './receiver.ts';

/** An acknowledged event's ordering key, its place in that key's publication order (0, 1, …), and when its publication was acknowledged (epoch ms). */
export interface OrderedEvent {
  key: string;
  seq: number;
  publishedAt: number;
}

export interface OrderInput {
  /** Requests to the ordered subscriptions, in arrival order, with their answers. */
  arrivals: readonly Arrival[];
  /** Delivery keys (`<event id> <path>`) the acknowledged events owe the ordered subscriptions. */
  owed: readonly string[];
  /** Every acknowledged ordered event, by id. */
  events: ReadonlyMap<string, OrderedEvent>;
  /** Delivery keys that ended in dead_letters: a dead event lets its key move on (`skip`). */
  deadLetters: ReadonlySet<string>;
}

export interface OrderReport {
  /** (subscription, ordering key) pairs, each its own order. */
  streams: number;
  /** Deliveries owed, and requests that arrived for them. */
  deliveries: number;
  requests: number;
  /** Requests answered other than 2xx (the flaky receiver's), so retries happened in order. */
  failed_requests: number;
  /** 2xx answers beyond the first for an event: each a repeat of its key's latest event. */
  duplicates: number;
  dead_lettered: number;
  /** Owed deliveries that never arrived with a 2xx nor ended as dead letters. */
  missing: number;
  order_violations: number;
  violation_sample: string[];
  missing_sample: string[];
  /**
   * From the moment a key's next event could go (its predecessor answered 2xx, and it published)
   * to its first request, in ms: what moving a key on costs (recording the outcome, releasing the
   * next entry, its message, the claim). A key carries at most one event per this long, so it
   * sets how fast a backlog behind a fault drains. Its tail is the faults': a handoff a fault
   * interrupts lasts until the system is back.
   */
  handoff_ms: Quantiles;
}

const SAMPLE = 10;

/** `<event id> <path>` → its parts (event ids hold no space). */
function split(deliveryKey: string): { eventId: string; path: string } {
  const at = deliveryKey.indexOf(' ');
  return { eventId: deliveryKey.slice(0, at), path: deliveryKey.slice(at + 1) };
}

interface Stream {
  /** The owed sequence numbers, ascending. */
  owed: number[];
  /** Owed ones that ended: answered 2xx, or dead-lettered (known from the start: see below). */
  ended: Set<number>;
  /** Index into `owed` of the head: the first not ended. */
  head: number;
  /** The highest sequence number that has arrived so far. */
  latest: number;
  /** When `latest` was first answered 2xx, if it was. */
  latestOkAt: number | null;
}

export function checkOrder(input: OrderInput): OrderReport {
  const report: OrderReport = {
    streams: 0,
    deliveries: input.owed.length,
    requests: 0,
    failed_requests: 0,
    duplicates: 0,
    dead_lettered: 0,
    missing: 0,
    order_violations: 0,
    violation_sample: [],
    missing_sample: [],
    handoff_ms: quantiles([]),
  };
  const handoffs: number[] = [];
  const streams = new Map<string, Stream>();
  const streamOf = (deliveryKey: string): { name: string; seq: number; publishedAt: number } | null => {
    const { eventId, path } = split(deliveryKey);
    const event = input.events.get(eventId);
    return event ? { name: `${path} ${event.key}`, seq: event.seq, publishedAt: event.publishedAt } : null;
  };
  for (const key of input.owed) {
    const at = streamOf(key);
    if (!at) continue;
    let s = streams.get(at.name);
    if (!s) {
      s = { owed: [], ended: new Set(), head: 0, latest: -1, latestOkAt: null };
      streams.set(at.name, s);
    }
    s.owed.push(at.seq);
    // A dead letter's last request is the receiver's last sight of it, and whether the next
    // event was sent after it was recorded is not visible here: a dead event counts as ended
    // throughout, so only an earlier event after a later one can flag its key.
    if (input.deadLetters.has(key)) {
      s.ended.add(at.seq);
      report.dead_lettered++;
    }
  }
  const advance = (s: Stream) => {
    while (s.head < s.owed.length && s.ended.has(s.owed[s.head] ?? -1)) s.head++;
  };
  for (const s of streams.values()) {
    s.owed.sort((a, b) => a - b);
    advance(s);
  }
  report.streams = streams.size;
  const delivered = new Set<string>();
  const violation = (text: string) => {
    report.order_violations++;
    if (report.violation_sample.length < SAMPLE) report.violation_sample.push(text);
  };
  for (const a of input.arrivals) {
    const at = streamOf(a.key);
    const s = at && streams.get(at.name);
    // Not owed (a publication never acknowledged): the ledger reports it as unexpected.
    if (!at || !s) continue;
    report.requests++;
    if (!a.ok) report.failed_requests++;
    if (at.seq < s.latest) violation(`${at.name}: ${at.seq} arrived after ${s.latest}`);
    const head = s.owed[s.head];
    if (head !== undefined && at.seq > head) violation(`${at.name}: ${at.seq} arrived before ${head} was delivered`);
    if (at.seq > s.latest) {
      if (s.latestOkAt !== null) handoffs.push(a.at - Math.max(s.latestOkAt, at.publishedAt));
      s.latest = at.seq;
      s.latestOkAt = null;
    }
    if (!a.ok) continue;
    if (delivered.has(a.key)) report.duplicates++;
    else if (at.seq === s.latest) s.latestOkAt = a.at;
    delivered.add(a.key);
    s.ended.add(at.seq);
    advance(s);
  }
  report.handoff_ms = roundQuantiles(quantiles(handoffs));
  for (const key of input.owed) {
    if (delivered.has(key) || input.deadLetters.has(key) || !streamOf(key)) continue;
    report.missing++;
    if (report.missing_sample.length < SAMPLE) report.missing_sample.push(key);
  }
  return report;
}
