import { formatPath, inspectJsonText, MAX_BODY_DEPTH, parseWith, TENANT_KEYED_TOPICS } from '@hookstream/contracts';
import type { Batch, KafkaMessage } from 'kafkajs';
import { rawHeaders, type RawMessage } from './raw-message.js';
import type { BatchContext, BatchHandler, ConsumedMessage } from './batch-handler.js';
import type { TopicConsumerOptions } from './consumer.decorator.js';
import { backoffDelayMs, type ExponentialBackoff } from '@hookstream/domain';
import { type ClassifiedFailure, classifyFailure, isGroupMembershipError } from './failure-class.js';
import { type Poison, tenantOf } from './quarantine-record.js';

/** What the settler needs from the running kafkajs batch. */
export interface BatchControl {
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  /** Told about every retry of a dependency failure (log and metric). */
  onTransient(failure: ClassifiedFailure, attempt: number, delayMs: number): void;
}

/** Thrown when the consumer stops (or loses the partition) while a batch waits to be retried: leave it uncommitted. */
export class BatchAbandoned extends Error {}

/**
 * Runs one fetched batch through its handler so that the batch always settles: every message is
 * either handled or returned as poison. A dependency failure is retried in place with a capped
 * exponential backoff; any other failure splits the part that failed in halves, re-run in order,
 * down to the single message, which becomes poison. Handlers are idempotent, so re-running the
 * good messages around a culprit is harmless. The one exception: a sign that this consumer lost
 * its place in the group (its coordinator moved, a rebalance) is thrown on to kafkajs, which
 * rejoins; the batch stays uncommitted and is fetched again by whoever owns the partition.
 */
export class BatchSettler {
  private readonly poison: Poison[] = [];
  private readonly originals = new Map<string, KafkaMessage>();
  /** Work the handler's calls left to finish after them (BatchContext.settleAfter). */
  private readonly later: Promise<void>[] = [];
  private retries = 0;

  constructor(
    private readonly handler: BatchHandler<unknown>,
    private readonly options: TopicConsumerOptions,
    /** The physical topic and consumer group the batch was fetched for. */
    private readonly source: { topic: string; group: string },
    private readonly batch: Batch,
    private readonly control: BatchControl,
    private readonly backoff: ExponentialBackoff,
  ) {}

  /** The key, where the topic is keyed by tenant id: it names the message's tenant. */
  private tenantKey(key: string | null): string | null {
    return TENANT_KEYED_TOPICS.has(this.options.topic) ? key : null;
  }

  /** Handles the batch; resolves with the poison to quarantine before committing. */
  async settle(): Promise<Poison[]> {
    const valid: ConsumedMessage<unknown>[] = [];
    for (const m of this.batch.messages) {
      this.originals.set(m.offset, m);
      const base = { topic: this.source.topic, group: this.source.group, partition: this.batch.partition, offset: m.offset, key: m.key?.toString() ?? null, headers: headersOf(m.headers), timestamp: Number(m.timestamp) };
      const decoded = decode(m, this.options, this.handler.maxValueBytes);
      if (decoded.ok) valid.push({ ...base, value: decoded.value });
      else this.poison.push({ message: m, partition: this.batch.partition, code: decoded.code, reason: decoded.reason, details: decoded.errors, tenantId: tenantOf(decoded.json, this.tenantKey(m.key?.toString() ?? null)) });
    }
    await this.run(valid);
    return this.poison.sort((a, b) => (BigInt(a.message.offset) < BigInt(b.message.offset) ? -1 : 1));
  }

  /** What must end before the batch's offsets are committed, beyond the handler's calls. */
  get pendingWork(): readonly Promise<void>[] {
    return this.later;
  }

  private async run(messages: ConsumedMessage<unknown>[]): Promise<void> {
    const refused: Poison[] = [];
    const failure = await this.attempt(messages, refused);
    if (failure === null) {
      this.poison.push(...refused);
      return;
    }
    const [only] = messages;
    if (messages.length === 1 && only) {
      this.poison.push({ message: this.original(only), partition: only.partition, code: failure.code, reason: failure.message, details: { error: failure.code, message: failure.message }, tenantId: tenantOf(only.value, this.tenantKey(only.key)) });
      return;
    }
    if (messages.length === 0) throw new Error(`the handler fails on an empty batch: ${failure.message}`);
    const mid = Math.ceil(messages.length / 2);
    // Bisecting a large batch re-runs it about twice per culprit level: keep the membership alive.
    await this.heartbeat();
    await this.run(messages.slice(0, mid));
    await this.run(messages.slice(mid));
  }

  /** One call of the handler, retried while a dependency is down; the failure if the content is at fault. */
  private async attempt(messages: ConsumedMessage<unknown>[], refused: Poison[]): Promise<ClassifiedFailure | null> {
    for (;;) {
      refused.length = 0;
      try {
        await this.handler.handleBatch(messages, this.context(messages, refused));
        return null;
      } catch (err) {
        if (err instanceof BatchAbandoned || isGroupMembershipError(err)) throw err;
        const failure = classifyFailure(err);
        if (failure.kind === 'deterministic') return failure;
        await this.wait(failure);
      }
    }
  }

  private context(messages: ConsumedMessage<unknown>[], refused: Poison[]): BatchContext {
    const inCall = new Set(messages);
    return {
      heartbeat: () => this.control.heartbeat(),
      isRunning: () => this.control.isRunning(),
      batch: { partition: this.batch.partition, lastOffset: this.batch.lastOffset() },
      settleAfter: (work) => {
        // Observed at once, so a rejection before the host looks is not an unhandled one.
        work.catch(() => undefined);
        this.later.push(work);
      },
      quarantine: (message, code, details) => {
        if (!inCall.has(message)) throw new Error(`quarantine(): offset ${message.offset} is not a message of this call`);
        refused.push({ message: this.original(message), partition: message.partition, code, reason: reasonOf(code, details), details, tenantId: tenantOf(message.value, this.tenantKey(message.key)) });
      },
    };
  }

  /** Sleeps the backoff in slices, heartbeating, and gives up the batch if the consumer stops meanwhile. */
  async wait(failure: ClassifiedFailure): Promise<void> {
    const delay = backoffDelayMs(this.retries, this.backoff);
    this.control.onTransient(failure, this.retries, delay);
    this.retries += 1;
    const until = Date.now() + delay;
    while (Date.now() < until) {
      if (!this.control.isRunning()) throw new BatchAbandoned('the consumer stopped while a dependency was down');
      await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
      await this.heartbeat();
    }
    if (!this.control.isRunning()) throw new BatchAbandoned('the consumer stopped while a dependency was down');
  }

  /**
   * Heartbeats between tries. A failed heartbeat is ignored (the next one may pass, and the
   * session outlasts a few), unless it says the membership is gone: then kafkajs must rejoin.
   */
  private async heartbeat(): Promise<void> {
    try {
      await this.control.heartbeat();
    } catch (err) {
      if (isGroupMembershipError(err)) throw err;
    }
  }

  private original(m: ConsumedMessage<unknown>): KafkaMessage {
    const found = this.originals.get(m.offset);
    if (!found) throw new Error(`no message at offset ${m.offset} in this batch`);
    return found;
  }
}

type Decoded = { ok: true; value: unknown } | { ok: false; code: 'malformed_json' | 'validation_failed' | 'payload_too_large'; reason: string; errors: { path: string; message: string }[]; json: unknown };

function decode(m: KafkaMessage, options: TopicConsumerOptions, maxValueBytes: number | undefined): Decoded {
  if (maxValueBytes !== undefined && m.value !== null && m.value.length > maxValueBytes) {
    const message = `the value is ${m.value.length} bytes; this topic takes at most ${maxValueBytes}`;
    return { ok: false, code: 'payload_too_large', reason: `invalid message: ${message}`, errors: [{ path: '(root)', message }], json: null };
  }
  if (options.schema === 'raw') {
    const raw: RawMessage = { key: m.key, value: m.value, headers: rawHeaders(m) };
    return { ok: true, value: raw };
  }
  if (m.value === null) {
    return options.tombstones ? { ok: true, value: null } : { ok: false, code: 'malformed_json', reason: 'empty message value', errors: [{ path: '(root)', message: 'empty message value' }], json: null };
  }
  const text = m.value.toString('utf8');
  // Public input is checked as the HTTP API checks a body, before JSON.parse builds it.
  const report = options.inspectText ? inspectJsonText(text, MAX_BODY_DEPTH) : null;
  if (report?.tooDeepAt) {
    const errors = [{ path: formatPath(report.tooDeepAt), message: `nested deeper than ${MAX_BODY_DEPTH} levels` }];
    return { ok: false, code: 'validation_failed', reason: `invalid message: the value is nested deeper than ${MAX_BODY_DEPTH} levels`, errors, json: null };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'malformed_json', reason: 'value is not valid JSON', errors: [{ path: '(root)', message: 'value is not valid JSON' }], json: null };
  }
  if (report?.problems.length) {
    const errors = report.problems.map((p) => ({ path: formatPath(p.path), message: p.message }));
    return { ok: false, code: 'validation_failed', reason: `invalid message: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors, json };
  }
  const parsed = parseWith(options.schema, json);
  if (parsed.ok) return parsed;
  return { ok: false, code: 'validation_failed', reason: `invalid message: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors: parsed.errors, json };
}

function reasonOf(code: string, details: unknown): string {
  if (Array.isArray(details)) {
    const parts = details.filter((d): d is { path: string; message: string } => typeof d === 'object' && d !== null && 'path' in d && 'message' in d).map((d) => `${d.path}: ${d.message}`);
    if (parts.length) return `${code}: ${parts.join('; ')}`;
  }
  return code;
}

function headersOf(h: KafkaMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}
