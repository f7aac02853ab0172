import { randomUUID } from 'node:crypto';
import { Inject, type OnModuleDestroy } from '@nestjs/common';
import {
  type AttemptFailure,
  type DeadLetterMessage,
  type DeliveryMessage,
  deliveryMessageSchema,
  type DeliveryStatusMessage,
  HEADERS,
  type RetryMessage,
  type SubscriptionSnapshot,
} from '@hookstream/contracts';
import { activeSecrets, classifyOutcome, countsAgainstHost, planRetry, signDelivery, toBackoffPolicy } from '@hookstream/domain';
import { type BatchContext, type BatchHandler, type ConsumedMessage, type InvalidMessage, KafkaProducer, type OutgoingMessage, TopicConsumer } from '@hookstream/kafka';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';
import { type AttemptRow, AttemptsRepository, type DeliveryUpdate } from './attempts.repository.js';
import { Breakers, HostFailure } from './breakers.js';
import { HTTP_SENDER } from './sending.tokens.js';
import type { HttpSender, SendResult } from '@hookstream/webhook-http';
import { Semaphore } from './semaphore.js';

interface Outcome {
  attempt: AttemptRow | null;
  update: DeliveryUpdate;
  retry?: RetryMessage;
  dead?: DeadLetterMessage;
  status: DeliveryStatusMessage;
}

const USER_AGENT = 'Hookstream/0.1 (+https://github.com/hookstream)';

/**
 * `hookstream.deliveries` → signed POSTs. A batch is sent concurrently (bounded per process),
 * then every attempt is recorded in one transaction and every follow-up (retry, dead letter,
 * status) produced in one request, and only then are the offsets committed.
 */
@TopicConsumer({ topic: 'deliveries', groupId: 'dispatcher-send', schema: deliveryMessageSchema, partitionsConsumedConcurrently: 3 })
export class SendConsumer implements BatchHandler<DeliveryMessage>, OnModuleDestroy {
  private readonly semaphore: Semaphore;
  private readonly attemptsTotal;
  private readonly attemptSeconds;

  constructor(
    private readonly index: SubscriptionIndexService,
    private readonly attempts: AttemptsRepository,
    private readonly breakers: Breakers,
    private readonly producer: KafkaProducer,
    @Inject(HTTP_SENDER) private readonly sender: HttpSender,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.semaphore = new Semaphore(config.SEND_CONCURRENCY);
    this.attemptsTotal = metrics.counter('hookstream_delivery_attempts_total', 'Delivery attempts by outcome', ['outcome', 'error_class']);
    this.attemptSeconds = metrics.histogram('hookstream_delivery_attempt_seconds', 'Duration of HTTP attempts', [], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
  }

  onModuleDestroy(): void {
    this.sender.close();
  }

  async handleBatch(messages: ConsumedMessage<DeliveryMessage>[], invalid: InvalidMessage[], ctx: BatchContext): Promise<void> {
    for (const m of invalid) this.logger.error({ offset: m.offset, partition: m.partition, errors: m.errors }, 'unreadable delivery message skipped');
    if (messages.length === 0) return;
    await this.index.whenReady(ctx);
    const beat = setInterval(() => void ctx.heartbeat().catch(() => undefined), 3000);
    let outcomes: Outcome[];
    try {
      outcomes = await Promise.all(messages.map((m) => this.semaphore.run(() => this.deliver(m.value, m.headers[HEADERS.traceparent] ?? null))));
    } finally {
      clearInterval(beat);
    }
    await this.attempts.record(
      outcomes.flatMap((o) => (o.attempt ? [o.attempt] : [])),
      outcomes.map((o) => o.update),
    );
    const trace = (i: number) => messages[i]?.headers[HEADERS.traceparent] ?? null;
    const retries: OutgoingMessage[] = [];
    const dead: OutgoingMessage[] = [];
    const statuses: OutgoingMessage[] = [];
    outcomes.forEach((o, i) => {
      if (o.retry) retries.push({ key: o.retry.delivery.subscription_id, value: o.retry, traceparent: trace(i) });
      if (o.dead) dead.push({ key: o.dead.delivery.subscription_id, value: o.dead, traceparent: trace(i) });
      statuses.push({ key: o.status.tenant_id, value: o.status, traceparent: trace(i) });
    });
    await this.producer.sendMany([
      { topic: 'retries', messages: retries },
      { topic: 'dlq', messages: dead },
      { topic: 'deliveryStatus', messages: statuses },
    ]);
  }

  private async deliver(msg: DeliveryMessage, traceparent: string | null): Promise<Outcome> {
    const sub = this.index.index.get(msg.subscription_id);
    if (!sub) return this.deadWithoutAttempt(msg, { error_class: 'subscription_missing', status_code: null, message: 'the subscription no longer exists' });
    if (!sub.enabled) {
      return this.deadWithoutAttempt(msg, { error_class: 'subscription_disabled', status_code: null, message: `the subscription is disabled${sub.disabled_reason ? ` (${sub.disabled_reason})` : ''}` });
    }
    const startedAt = new Date();
    const request = this.buildRequest(msg, sub, startedAt, traceparent);
    let origin: string;
    try {
      origin = new URL(sub.url).origin;
    } catch {
      origin = sub.url;
    }
    const run = await this.breakers.run(origin, async () => {
      const result = await this.sender.send(request);
      if (countsAgainstHost(result)) throw new HostFailure(result);
      return result;
    });
    if (!run.ran) return this.postpone(msg, sub, startedAt, run.retryAt);
    return this.conclude(msg, sub, startedAt, run.value);
  }

  private buildRequest(msg: DeliveryMessage, sub: SubscriptionSnapshot, at: Date, traceparent: string | null) {
    const signed = signDelivery({
      scheme: sub.signature_scheme,
      secrets: activeSecrets(sub.secrets, at),
      msgId: msg.event_id,
      timestampSeconds: Math.floor(at.getTime() / 1000),
      body: msg.body,
      signatureHeader: sub.signature_header,
    });
    // The registry refuses custom headers that collide with these, so ours always win.
    const headers: Record<string, string> = {
      'user-agent': USER_AGENT,
      ...sub.headers,
      'content-type': 'application/json',
      ...signed,
    };
    if (traceparent) headers['traceparent'] = traceparent;
    return { url: sub.url, headers, body: msg.body, timeoutMs: sub.timeout_ms };
  }

  private conclude(msg: DeliveryMessage, sub: SubscriptionSnapshot, startedAt: Date, result: SendResult): Outcome {
    const now = new Date();
    const decision = classifyOutcome(result, now);
    this.attemptSeconds.observe(result.durationMs / 1000);
    const statusCode = result.kind === 'response' ? result.statusCode : null;
    const base = (outcome: AttemptRow['outcome'], failure: AttemptFailure | null): AttemptRow =>
      attemptRow(msg, sub, startedAt, outcome, failure, { status_code: statusCode, response_body: result.responseBody, duration_ms: result.durationMs });
    if (decision.kind === 'delivered') {
      this.attemptsTotal.inc({ outcome: 'delivered', error_class: 'none' });
      return {
        attempt: base('delivered', null),
        update: { id: msg.delivery_id, status: 'delivered', attempts: msg.attempt, last_status_code: statusCode, last_error: null },
        status: this.status(msg, 'delivered', statusCode, null, result.durationMs),
      };
    }
    const failure: AttemptFailure = {
      error_class: decision.kind === 'gone' ? 'http_status' : decision.errorClass,
      status_code: statusCode,
      message: decision.reason,
    };
    if (decision.kind === 'retry') {
      const maxAgeMs = (sub.retry_policy?.max_age_seconds ?? this.config.MAX_DELIVERY_AGE_HOURS * 3600) * 1000;
      const expiresAt = new Date(Date.parse(msg.first_attempt_at) + maxAgeMs);
      const plan = planRetry({
        attempt: msg.attempt,
        policy: toBackoffPolicy(sub.retry_policy, this.config.RETRY_DELAYS),
        now,
        retryAfterMs: decision.retryAfterMs,
        maxRetryAfterMs: this.config.MAX_RETRY_AFTER_SECONDS * 1000,
      });
      if (plan.kind === 'retry' && plan.dueAt < expiresAt) {
        this.attemptsTotal.inc({ outcome: 'retry_scheduled', error_class: failure.error_class });
        return {
          attempt: base('retry_scheduled', failure),
          update: { id: msg.delivery_id, status: 'failing', attempts: msg.attempt, last_status_code: statusCode, last_error: failure.message },
          retry: {
            delivery: { ...msg, attempt: plan.nextAttempt, origin: 'retry' },
            due_at: plan.dueAt.toISOString(),
            failure,
            expires_at: expiresAt.toISOString(),
          },
          status: this.status(msg, 'retry_scheduled', statusCode, failure.error_class, result.durationMs),
        };
      }
      const reason = plan.kind === 'exhausted' ? `all ${plan.attempts} attempts failed; last: ${failure.message}` : `retries would outlive the delivery's ${Math.round(maxAgeMs / 1000)} s age limit; last: ${failure.message}`;
      return this.dead(msg, base('dead_lettered', failure), failure, reason, result.durationMs);
    }
    return this.dead(msg, base('dead_lettered', failure), failure, decision.reason, result.durationMs);
  }

  private dead(msg: DeliveryMessage, attempt: AttemptRow, failure: AttemptFailure, reason: string, durationMs: number): Outcome {
    this.attemptsTotal.inc({ outcome: 'dead_lettered', error_class: failure.error_class });
    return {
      attempt,
      update: { id: msg.delivery_id, status: 'dead', attempts: msg.attempt, last_status_code: failure.status_code, last_error: failure.message },
      dead: { delivery: msg, reason, failure, attempts: msg.attempt, dead_at: new Date().toISOString() },
      status: this.status(msg, 'dead_lettered', failure.status_code, failure.error_class, durationMs),
    };
  }

  /** No HTTP call was made (unknown or disabled subscription): dead-letter it, replayable later. */
  private deadWithoutAttempt(msg: DeliveryMessage, failure: AttemptFailure): Outcome {
    this.attemptsTotal.inc({ outcome: 'dead_lettered', error_class: failure.error_class });
    return {
      attempt: null,
      update: { id: msg.delivery_id, status: 'dead', attempts: msg.attempt - 1, last_status_code: null, last_error: failure.message },
      dead: { delivery: msg, reason: failure.message, failure, attempts: msg.attempt - 1, dead_at: new Date().toISOString() },
      status: this.status(msg, 'dead_lettered', null, failure.error_class, null),
    };
  }

  /** The host's breaker is open: try again when it half-opens, without spending an attempt. */
  private postpone(msg: DeliveryMessage, sub: SubscriptionSnapshot, startedAt: Date, retryAt: Date): Outcome {
    this.attemptsTotal.inc({ outcome: 'postponed', error_class: 'breaker_open' });
    const failure: AttemptFailure = { error_class: 'breaker_open', status_code: null, message: `circuit open for ${sub.url}; postponed to ${retryAt.toISOString()}` };
    return {
      attempt: attemptRow(msg, sub, startedAt, 'postponed', failure, { status_code: null, response_body: null, duration_ms: 0 }),
      update: { id: msg.delivery_id, status: 'pending', attempts: msg.attempt - 1, last_status_code: null, last_error: failure.message },
      retry: { delivery: { ...msg, origin: 'breaker' }, due_at: retryAt.toISOString(), failure, expires_at: null },
      status: this.status(msg, 'postponed', null, 'breaker_open', null),
    };
  }

  private status(
    msg: DeliveryMessage,
    outcome: DeliveryStatusMessage['outcome'],
    statusCode: number | null,
    errorClass: DeliveryStatusMessage['error_class'],
    durationMs: number | null,
  ): DeliveryStatusMessage {
    return {
      delivery_id: msg.delivery_id,
      tenant_id: msg.tenant_id,
      subscription_id: msg.subscription_id,
      event_id: msg.event_id,
      attempt: msg.attempt,
      outcome,
      status_code: statusCode,
      error_class: errorClass,
      duration_ms: durationMs,
      at: new Date().toISOString(),
    };
  }
}

function attemptRow(
  msg: DeliveryMessage,
  sub: SubscriptionSnapshot,
  startedAt: Date,
  outcome: AttemptRow['outcome'],
  failure: AttemptFailure | null,
  response: Pick<AttemptRow, 'status_code' | 'response_body' | 'duration_ms'>,
): AttemptRow {
  return {
    id: randomUUID(),
    delivery_id: msg.delivery_id,
    tenant_id: msg.tenant_id,
    subscription_id: msg.subscription_id,
    attempt: msg.attempt,
    origin: msg.origin,
    outcome,
    error_class: failure?.error_class ?? null,
    error_message: failure?.message ?? null,
    request_url: sub.url,
    started_at: startedAt,
    ...response,
  };
}
