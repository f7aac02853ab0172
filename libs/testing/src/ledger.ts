import type { ReceivedRequest } from './receiver.js';

/** One expected delivery: an event to one subscription (named by the path its URL ends in). */
export interface LedgerKey {
  eventId: string;
  path: string;
}

export interface LedgerReport {
  expected: number;
  /** Expected deliveries that arrived at least once. */
  delivered: number;
  lost: LedgerKey[];
  /** Expected deliveries that arrived more than once, with every arrival time. */
  duplicates: (LedgerKey & { arrivals: number[] })[];
  /** Arrivals nobody expected (another event or subscription). */
  unexpected: number;
}

/**
 * What a receiver saw against what should have arrived: every (event, subscription) once at
 * least, and how often more than once. Arrivals are matched by `webhook-id` and path.
 */
export class DeliveryLedger {
  private readonly expected = new Set<string>();

  expect(eventId: string, path: string): void {
    this.expected.add(`${eventId} ${path}`);
  }

  get size(): number {
    return this.expected.size;
  }

  report(requests: readonly ReceivedRequest[]): LedgerReport {
    const arrivals = new Map<string, number[]>();
    let unexpected = 0;
    for (const r of requests) {
      const key = `${String(r.headers['webhook-id'])} ${r.path}`;
      if (!this.expected.has(key)) {
        unexpected++;
        continue;
      }
      const times = arrivals.get(key) ?? [];
      times.push(r.at);
      arrivals.set(key, times);
    }
    const split = (key: string): LedgerKey => {
      const [eventId = '', path = ''] = key.split(' ');
      return { eventId, path };
    };
    return {
      expected: this.expected.size,
      delivered: arrivals.size,
      lost: [...this.expected].filter((k) => !arrivals.has(k)).map(split),
      duplicates: [...arrivals].filter(([, times]) => times.length > 1).map(([k, times]) => ({ ...split(k), arrivals: times })),
      unexpected,
    };
  }
}

/** Requests per second that arrived in [from, to). */
export function arrivalRate(requests: readonly ReceivedRequest[], from: number, to: number): number {
  return requests.filter((r) => r.at >= from && r.at < to).length / ((to - from) / 1000);
}
