import { makeEnvelope } from '../../bench/harness/publisher.ts';
import { sleep } from '../../bench/harness/clock.ts';
import type { PlannedDelivery } from './ledger.ts';
import type { OrderedEvent } from './ordering.ts';
import type { ChaosSystem, ChaosTenant } from './system.ts';
import { EVENT_TYPES, type EventKind } from './world.ts';

export interface LoadOptions {
  ratePerSecond: number;
  /** Every n-th event is `chaos.hostile` (0: none), the rest `chaos.plain`. */
  hostileEvery: number;
  /** Publications waiting for an acknowledgement at most; beyond it the publisher falls behind. */
  maxInFlight: number;
  /**
   * Ordering keys per tenant (0 or absent: none). With some, every event is `chaos.ordered` and
   * carries one, the keys taking turns; see `ordered` below.
   */
  orderingKeys?: number;
}

export interface LoadResult {
  /** Events whose publication was acknowledged, by way. */
  published: { http: number; kafka: number };
  /** When each acknowledged event's first publication attempt started (epoch ms), by event id. */
  sentAt: Map<string, number>;
  /** Every pair the acknowledged events touch, with its fate. */
  planned: PlannedDelivery[];
  /** Attempts that had to be repeated before an acknowledgement (the fault, seen from outside), by what the attempt got. */
  publishRetries: Record<string, number>;
  /** Events never acknowledged before the deadline: a problem, and not in `planned`. */
  unacknowledged: string[];
  /** Answers that will never turn into an acknowledgement (a refusal): each is a problem. */
  refused: string[];
  /** Each acknowledged event's ordering key and place in its key's order, by event id. */
  ordered: Map<string, OrderedEvent>;
}

const BODY_BYTES = 256;

interface Retry {
  why: string;
  waitMs: number;
}

/**
 * A steady publisher: `ratePerSecond` events, alternately through the gateway's HTTP API (with
 * the tenant's key) and straight to hookstream.ingest (acks=all), each retried with the same id
 * until it is acknowledged, as a careful client would across a fault. Only acknowledged events
 * are owed deliveries; the gateway deduplicates a repeated id.
 */
export class SteadyLoad {
  private readonly result: LoadResult = { published: { http: 0, kafka: 0 }, sentAt: new Map(), planned: [], publishRetries: {}, unacknowledged: [], refused: [], ordered: new Map() };
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Per ordering key: its latest publication (the next one starts after it ends), and how many it had. */
  private readonly keys = new Map<string, { last: Promise<void>; count: number }>();
  private stopped = false;
  private giveUpAt = Infinity;
  private loop: Promise<void> = Promise.resolve();

  private readonly system: ChaosSystem;
  private readonly prefix: string;
  private readonly options: LoadOptions;

  constructor(system: ChaosSystem, prefix: string, options: LoadOptions) {
    this.system = system;
    this.prefix = prefix;
    this.options = options;
  }

  start(): void {
    this.loop = this.run();
  }

  /** Stops publishing, then waits (until `deadlineMs` from now) for every publication in flight. */
  async stop(deadlineMs: number): Promise<LoadResult> {
    this.stopped = true;
    await this.loop;
    this.giveUpAt = Date.now() + deadlineMs;
    await Promise.all(this.inFlight.values());
    return this.result;
  }

  private async run(): Promise<void> {
    const started = Date.now();
    let seq = 0;
    while (!this.stopped) {
      const due = started + (seq * 1000) / this.options.ratePerSecond;
      const now = Date.now();
      if (due > now) {
        await sleep(Math.min(due - now, 50));
        continue;
      }
      if (this.inFlight.size >= this.options.maxInFlight) {
        await Promise.race(this.inFlight.values());
        continue;
      }
      const id = `${this.prefix}${String(seq)}`;
      const tenants = this.system.tenants.length;
      const tenant = this.system.tenants[seq % tenants];
      const keys = this.options.orderingKeys ?? 0;
      const sending = keys > 0 ? this.publishOrdered(id, tenant, seq % tenants, Math.floor(seq / tenants) % keys, seq) : this.publishUnordered(id, tenant, seq);
      this.inFlight.set(id, sending.finally(() => this.inFlight.delete(id)));
      seq++;
    }
  }

  private async publishUnordered(id: string, tenant: ChaosTenant, seq: number): Promise<void> {
    const kind: EventKind = this.options.hostileEvery > 0 && seq % this.options.hostileEvery === 0 ? 'hostile' : 'plain';
    await this.publish(makeEnvelope(id, EVENT_TYPES[kind], tenant.id, BODY_BYTES, seq), tenant, kind, seq % 2 === 0 ? 'http' : 'kafka');
  }

  /**
   * As a publisher that wants a key's events in order must (docs/adr/0009): its next event goes
   * out only once the previous one was acknowledged, and all of a key's events one way. Through
   * different ways, a later event posted over HTTP could be accepted before an earlier one the
   * gateway had yet to consume from hookstream.ingest. Even keys go over HTTP, odd ones to Kafka.
   */
  private publishOrdered(id: string, tenant: ChaosTenant, tenantIndex: number, keyIndex: number, seq: number): Promise<void> {
    const key = `t${String(tenantIndex)}-k${String(keyIndex)}`;
    const k = this.keys.get(key) ?? { last: Promise.resolve(), count: 0 };
    const keySeq = k.count++;
    const envelope = makeEnvelope(id, EVENT_TYPES.ordered, tenant.id, BODY_BYTES, seq);
    envelope.ordering_key = key;
    envelope.data['key_seq'] = keySeq;
    const way = keyIndex % 2 === 0 ? 'http' : 'kafka';
    k.last = k.last.then(async () => {
      if (await this.publish(envelope, tenant, 'ordered', way)) this.result.ordered.set(id, { key, seq: keySeq, publishedAt: Date.now() });
    });
    this.keys.set(key, k);
    return k.last;
  }

  /** Publishes until acknowledged (true), refused, or past the deadline. */
  private async publish(envelope: ReturnType<typeof makeEnvelope>, tenant: ChaosTenant, kind: EventKind, way: 'http' | 'kafka'): Promise<boolean> {
    const id = envelope.id;
    // Backing off, as a careful client does, so that retries do not become the outage.
    let backoff = 1;
    const firstTry = Date.now();
    for (;;) {
      if (Date.now() > this.giveUpAt) {
        this.result.unacknowledged.push(id);
        return false;
      }
      const outcome = way === 'http' ? await this.postHttp(envelope, tenant.apiKey) : await this.produce(envelope);
      if (outcome === 'acked') {
        this.result.published[way]++;
        this.result.sentAt.set(id, firstTry);
        this.result.planned.push(...this.system.plan(tenant, id, kind));
        return true;
      }
      if ('refused' in outcome) {
        this.result.refused.push(`${id}: ${outcome.refused}`);
        return false;
      }
      const retries = this.result.publishRetries;
      retries[outcome.why] = (retries[outcome.why] ?? 0) + 1;
      await sleep(outcome.waitMs * backoff);
      backoff = Math.min(backoff * 2, 16);
    }
  }

  /** 'acked', a refusal, or why and how long to wait before trying again. */
  private async postHttp(envelope: ReturnType<typeof makeEnvelope>, apiKey: string): Promise<'acked' | { refused: string } | Retry> {
    const { tenant_id: _tenant, ...body } = envelope;
    try {
      const res = await fetch(`${this.system.pipeline.url('ingress-gateway')}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      if (res.status === 202 || res.status === 200) return 'acked';
      if (res.status === 429) return { why: 'http 429', waitMs: Math.min(5000, Number(res.headers.get('retry-after') ?? '1') * 1000) };
      // 5xx: a dependency is down (the gateway answers 503 when it cannot persist or publish).
      if (res.status >= 500) return { why: `http ${res.status} ${errorCode(text)}`.trim(), waitMs: 250 };
      return { refused: `${res.status} ${text.slice(0, 200)}` };
    } catch (err) {
      // The gateway is down or restarting: connection refused, reset or timed out.
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      return { why: `http ${cause}`, waitMs: 250 };
    }
  }

  private async produce(envelope: ReturnType<typeof makeEnvelope>): Promise<'acked' | Retry> {
    try {
      await this.system.publisher.burst([{ envelope, keys: [] }], 1, 1);
      return 'acked';
    } catch (err) {
      return { why: `kafka ${(err as Error).name}`, waitMs: 500 };
    }
  }
}

/** The `code` of the services' error body, when there is one. */
function errorCode(text: string): string {
  try {
    const body = JSON.parse(text) as { code?: unknown };
    return typeof body.code === 'string' ? body.code : '';
  } catch {
    return '';
  }
}
