import type { Receipt } from '../../bench/harness/ledger.ts';
import { type Quantiles, quantiles, roundQuantiles } from '../../bench/harness/stats.ts';

/**
 * Publish → receipt, in ms, for every delivery key (`<event id> <path>`) whose path passes
 * `counted` and that was answered 2xx: from the first publication attempt of its event to the
 * first 2xx the receiver gave it.
 */
export function publishToReceipt(sentAt: ReadonlyMap<string, number>, receipts: ReadonlyMap<string, Receipt>, counted: (path: string) => boolean): number[] {
  const out: number[] = [];
  for (const [key, r] of receipts) {
    if (r.firstOkAt === null) continue;
    const space = key.indexOf(' ');
    const sent = sentAt.get(key.slice(0, space));
    if (sent === undefined || !counted(key.slice(space + 1))) continue;
    out.push(r.firstOkAt - sent);
  }
  return out;
}

export interface LatencyComparison {
  /** The good tenants' publish → receipt while the fault ran, in ms. */
  during: Quantiles;
  /** The same load, the same tenants, without the fault. */
  baseline: Quantiles;
  /** during.p99 ÷ baseline.p99. */
  p99_ratio: number;
}

/** Quantiles of both rounds and their p99 ratio, rounded for the report. */
export function compareLatency(during: readonly number[], baseline: readonly number[]): LatencyComparison {
  const d = quantiles(during);
  const b = quantiles(baseline);
  return { during: roundQuantiles(d), baseline: roundQuantiles(b), p99_ratio: Math.round((d.p99 / b.p99) * 100) / 100 };
}

export interface LatencyBucket {
  /** Seconds from the round's first publication to the start of this bucket. */
  from_s: number;
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Publish → receipt by when the event was published, in buckets of `bucketMs`: shows whether a
 * round's tail comes from one burst (the fault's set-up, say) or from the whole round.
 */
export function latencyTimeline(sentAt: ReadonlyMap<string, number>, receipts: ReadonlyMap<string, Receipt>, counted: (path: string) => boolean, bucketMs: number): LatencyBucket[] {
  const start = Math.min(...sentAt.values());
  const buckets = new Map<number, number[]>();
  for (const [key, r] of receipts) {
    if (r.firstOkAt === null) continue;
    const space = key.indexOf(' ');
    const sent = sentAt.get(key.slice(0, space));
    if (sent === undefined || !counted(key.slice(space + 1))) continue;
    const b = Math.floor((sent - start) / bucketMs);
    const list = buckets.get(b) ?? [];
    list.push(r.firstOkAt - sent);
    buckets.set(b, list);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([b, values]) => {
      const q = roundQuantiles(quantiles(values));
      return { from_s: (b * bucketMs) / 1000, count: values.length, p50: q.p50, p99: q.p99, max: q.max };
    });
}

/** When one delivery passed each stage (epoch ms), from the gateway's and the dispatcher's rows. */
export interface StageTimes {
  /** `<event id> <path>`, as receipts are keyed. */
  key: string;
  /** events.source: how the event came in ('http', or 'kafka' from hookstream.ingest). */
  source: string;
  /** events.received_at: the gateway stored it. */
  receivedAt: number;
  /** deliveries.created_at: the dispatcher fanned it out. */
  fannedAt: number;
  /** The first attempt's started_at: the dispatcher began sending. */
  startedAt: number | null;
}

export interface StageLatency {
  /** publish → stored by the gateway (HTTP, validation, Postgres). */
  gateway: Quantiles;
  /** The gateway stage of the events published over HTTP, and of those produced to hookstream.ingest. */
  gateway_by_source: Record<string, Quantiles>;
  /** stored → delivery row (outbox to Kafka, fan-out). */
  fanout: Quantiles;
  /** delivery row → first attempt started (the send queue: fair shares, host slots, limits). */
  queue: Quantiles;
  /** first attempt started → receipt (the HTTP request). */
  send: Quantiles;
}

/**
 * Publish → receipt split at the stages the rows record, for the counted deliveries that were
 * received: says which part of the pipeline a latency regression lives in.
 */
export function latencyStages(sentAt: ReadonlyMap<string, number>, receipts: ReadonlyMap<string, Receipt>, counted: (path: string) => boolean, stages: readonly StageTimes[]): StageLatency {
  const gateway: number[] = [];
  const fanout: number[] = [];
  const queue: number[] = [];
  const send: number[] = [];
  const bySource = new Map<string, number[]>();
  for (const s of stages) {
    const space = s.key.indexOf(' ');
    const sent = sentAt.get(s.key.slice(0, space));
    const okAt = receipts.get(s.key)?.firstOkAt ?? null;
    if (sent === undefined || okAt === null || s.startedAt === null || !counted(s.key.slice(space + 1))) continue;
    gateway.push(s.receivedAt - sent);
    const ofSource = bySource.get(s.source) ?? [];
    ofSource.push(s.receivedAt - sent);
    bySource.set(s.source, ofSource);
    fanout.push(s.fannedAt - s.receivedAt);
    queue.push(s.startedAt - s.fannedAt);
    send.push(okAt - s.startedAt);
  }
  const gatewayBySource = Object.fromEntries([...bySource].sort(([a], [b]) => a.localeCompare(b)).map(([source, values]) => [source, roundQuantiles(quantiles(values))]));
  return { gateway: roundQuantiles(quantiles(gateway)), gateway_by_source: gatewayBySource, fanout: roundQuantiles(quantiles(fanout)), queue: roundQuantiles(quantiles(queue)), send: roundQuantiles(quantiles(send)) };
}
