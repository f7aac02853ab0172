import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AttemptFailure, DeadLetterMessage, DeliveryMessage, DeliveryStatusMessage, RetryMessage, SubscriptionSnapshot } from '@hookstream/contracts';
import { classifyOutcome, deliveryExpiresAt, planRetry, postponementExpires, redactHeaders, storedToRawSecret, toBackoffPolicy } from '@hookstream/domain';
import { APP_CONFIG, Metrics } from '@hookstream/platform';
import type { SendResult } from '@hookstream/webhook-http';
import type { DispatcherConfig } from '../config.js';
import type { AttemptRow, DeliveryUpdate } from './attempts.repository.js';

/** Everything one planned attempt leads to: its row, the delivery's summary, follow-up messages. */
export interface Outcome {
  attempt: AttemptRow | null;
  update: DeliveryUpdate;
  retry?: RetryMessage;
  dead?: DeadLetterMessage;
  status: DeliveryStatusMessage;
  /**
   * Not announced on hookstream.delivery-status (the delivery's last error says it): the
   * dispatcher's own pacing between tenants, which says nothing about the endpoint.
   */
  quiet?: true;
}

/**
 * Turns what happened to a planned attempt into its outcome (classification and retry plans
 * are the pure functions of libs/domain), and counts it with the seed 001 metric names.
 */
@Injectable()
export class OutcomePlanner {
  private readonly deliveriesTotal;
  private readonly retriesTotal;
  private readonly httpStatus;
  private readonly duration;

  constructor(
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    metrics: Metrics,
  ) {
    this.deliveriesTotal = metrics.counter('hookstream_deliveries_total', 'Planned delivery attempts by outcome (status) and error class', ['status', 'error_class']);
    this.retriesTotal = metrics.counter('hookstream_delivery_retries_total', 'Retries scheduled after a failed attempt, by error class', ['error_class']);
    this.httpStatus = metrics.counter('hookstream_delivery_http_responses_total', 'HTTP status codes endpoints answered', ['code']);
    this.duration = metrics.histogram('hookstream_delivery_duration_seconds', 'Duration of HTTP delivery attempts', [], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30]);
  }

  /** An HTTP attempt was made (or refused before connecting) with `headers` and answered `result`. */
  concluded(msg: DeliveryMessage, sub: SubscriptionSnapshot, startedAt: Date, result: SendResult, headers: Readonly<Record<string, string>>): Outcome {
    const [outcome] = this.concludedAll([msg], sub, startedAt, result, headers, null);
    if (!outcome) throw new Error('no outcome planned');
    return outcome;
  }

  /**
   * One request carried every message of `msgs` (a batch, when `batch` is set: docs/guides/batching.md)
   * and answered `result`. One decision fits them all, taken once: delivered, retried at the same
   * time as the same batch, or dead-lettered together. The batch's age limit is its oldest
   * member's. Each message still gets its own outcome: its attempt row, summary and messages.
   */
  concludedAll(msgs: readonly DeliveryMessage[], sub: SubscriptionSnapshot, startedAt: Date, result: SendResult, headers: Readonly<Record<string, string>>, batch: { id: string; size: number } | null): Outcome[] {
    const lead = msgs[0];
    if (!lead) return [];
    const now = new Date();
    const decision = classifyOutcome(result, now);
    this.duration.observe(result.durationMs / 1000);
    const statusCode = result.kind === 'response' ? result.statusCode : null;
    if (statusCode !== null) this.httpStatus.inc({ code: String(statusCode) });
    const storedHeaders = storableHeaders(sub, headers);
    const row = (msg: DeliveryMessage, outcome: AttemptRow['outcome'], failure: AttemptFailure | null): AttemptRow =>
      attemptRow(msg, sub, startedAt, outcome, failure, { status_code: statusCode, response_body: result.responseBody, duration_ms: result.durationMs, request_headers: storedHeaders });
    if (decision.kind === 'delivered') {
      return msgs.map((msg) => {
        this.count('delivered', 'none');
        return {
          attempt: row(msg, 'delivered', null),
          update: this.update(msg, 'delivered', msg.attempt, statusCode, null),
          status: status(msg, 'delivered', statusCode, null, result.durationMs),
        };
      });
    }
    const failure: AttemptFailure = { error_class: decision.kind === 'gone' ? 'gone' : decision.errorClass, status_code: statusCode, message: decision.reason };
    if (decision.kind !== 'retry') return msgs.map((msg) => this.dead(msg, row(msg, 'dead_lettered', failure), failure, decision.reason, msg.attempt, result.durationMs));
    const maxAgeMs = this.maxAgeMs(sub);
    const expiresAt = expiryOf(msgs, maxAgeMs);
    const plan = planRetry({
      attempt: lead.attempt,
      policy: toBackoffPolicy(sub.retry_policy, this.config.RETRY_DELAYS),
      now,
      retryAfterMs: decision.retryAfterMs,
      maxRetryAfterMs: this.config.MAX_RETRY_AFTER_SECONDS * 1000,
    });
    if (plan.kind === 'retry' && plan.dueAt < expiresAt) {
      return msgs.map((msg) => {
        this.count('retry_scheduled', failure.error_class);
        this.retriesTotal.inc({ error_class: failure.error_class });
        return {
          attempt: row(msg, 'retry_scheduled', failure),
          update: this.update(msg, 'failing', msg.attempt, statusCode, failure.message),
          retry: { delivery: { ...msg, attempt: plan.nextAttempt, origin: 'retry', ...(batch ? { batch: { ...batch, expires_at: expiresAt.toISOString() } } : {}) }, due_at: plan.dueAt.toISOString(), failure, expires_at: expiresAt.toISOString() },
          status: status(msg, 'retry_scheduled', statusCode, failure.error_class, result.durationMs),
        };
      });
    }
    const reason =
      plan.kind === 'exhausted'
        ? `all ${plan.attempts} attempts failed; last: ${failure.message}`
        : `retries would outlive the delivery's ${Math.round(maxAgeMs / 1000)} s age limit; last: ${failure.message}`;
    return msgs.map((msg) => this.dead(msg, row(msg, 'dead_lettered', failure), failure, reason, msg.attempt, result.durationMs));
  }

  /** No HTTP call was made and none will be (unknown, disabled or gone subscription): dead-letter it, replayable later. */
  deadWithoutAttempt(msg: DeliveryMessage, failure: AttemptFailure): Outcome {
    return this.dead(msg, null, failure, failure.message, msg.attempt - 1, null);
  }

  /**
   * Not now, without spending an attempt: the host's breaker is open (`breaker_open`), the
   * subscription's own limits would hold it too long (`throttled`), or its tenant is disabled
   * (`tenant_disabled`: no age limit, it waits for the tenant). It comes back through the
   * retry-scheduler at `retryAt`; the postponement is recorded as a row of its own (except a
   * paused tenant's, which only the delivery's last error shows). A breaker
   * postponement that would come back only after the delivery's age limit dead-letters it
   * instead (reason `breaker_open_expired`), as an exhausted retry would be.
   */
  postponed(msg: DeliveryMessage, sub: SubscriptionSnapshot, errorClass: 'breaker_open' | 'throttled' | 'tenant_disabled', retryAt: Date, throttledBy = "the subscription's rate or concurrency limit"): Outcome {
    const [outcome] = this.postponedAll([msg], sub, errorClass, retryAt, throttledBy);
    if (!outcome) throw new Error('no outcome planned');
    return outcome;
  }

  /**
   * Deferred because its tenant held more than its fair share of this dispatcher while others
   * competed: a throttled postponement, but without an attempt row or a status message. It says
   * nothing about the endpoint or the subscription, and a tenant sending far more than its
   * endpoints drain is deferred hundreds of times a second, each a row and a message two services
   * read; the delivery's last error says it, and hookstream_fair_share_deferrals_total counts it.
   */
  fairShareDeferred(msg: DeliveryMessage, sub: SubscriptionSnapshot, retryAt: Date): Outcome {
    const outcome = this.postponed(msg, sub, 'throttled', retryAt, "its tenant's fair share of the dispatcher");
    return { ...outcome, attempt: null, quiet: true };
  }

  /**
   * `postponed` for the deliveries of one request (a batch): one decision for them all, so a
   * batch is never split. Its age limit is its oldest member's, or the one its members carry
   * from a failed batch (expiryOf), as in concludedAll.
   */
  postponedAll(msgs: readonly DeliveryMessage[], sub: SubscriptionSnapshot, errorClass: 'breaker_open' | 'throttled' | 'tenant_disabled', retryAt: Date, throttledBy = "the subscription's rate or concurrency limit"): Outcome[] {
    if (msgs.length === 0) return [];
    const why = errorClass === 'breaker_open' ? `circuit open for ${sub.url}` : errorClass === 'tenant_disabled' ? 'its tenant is disabled' : throttledBy;
    // Only a breaker's postponement spends the delivery's age: throttling is the subscription's
    // own pacing, and a paused tenant's deliveries wait for it however long it takes.
    let expiresAt: Date | null = null;
    if (errorClass === 'breaker_open') {
      const maxAgeMs = this.maxAgeMs(sub);
      expiresAt = expiryOf(msgs, maxAgeMs);
      if (postponementExpires(retryAt, expiresAt)) {
        const failure: AttemptFailure = { error_class: errorClass, status_code: null, message: `${why} past the delivery's age limit` };
        const reason = `breaker_open_expired: the circuit for ${sub.url} stayed open past the delivery's ${Math.round(maxAgeMs / 1000)} s age limit (${expiresAt.toISOString()})`;
        return msgs.map((msg) => this.dead(msg, null, failure, reason, msg.attempt - 1, null));
      }
    }
    const expires = expiresAt?.toISOString() ?? null;
    const failure: AttemptFailure = { error_class: errorClass, status_code: null, message: `${why}; postponed to ${retryAt.toISOString()}` };
    return msgs.map((msg) => {
      this.count('postponed', errorClass);
      return {
        // A paused tenant's deliveries come back every TENANT_PAUSE_RECHECK_MS for as long as it is
        // off: a row each time would bury their attempt history; the delivery's last error says it.
        attempt: errorClass === 'tenant_disabled' ? null : attemptRow(msg, sub, new Date(), 'postponed', failure, { status_code: null, response_body: null, duration_ms: 0, request_headers: null }),
        update: { id: msg.delivery_id, generation: msg.generation, status: null, attempts: msg.attempt - 1, last_status_code: null, last_error: failure.message },
        retry: { delivery: { ...msg, origin: errorClass === 'breaker_open' ? 'breaker' : 'throttle' }, due_at: retryAt.toISOString(), failure, expires_at: expires },
        status: status(msg, 'postponed', null, errorClass, null),
      };
    });
  }

  /** Whether postponing `msg` to `retryAt` behind its open breaker would outlive its age limit. */
  breakerPostponementExpires(msg: DeliveryMessage, sub: SubscriptionSnapshot, retryAt: Date): boolean {
    return postponementExpires(retryAt, expiryOf([msg], this.maxAgeMs(sub)));
  }

  /** The subscription's age limit, or the service default. */
  private maxAgeMs(sub: SubscriptionSnapshot): number {
    return (sub.retry_policy?.max_age_seconds ?? this.config.MAX_DELIVERY_AGE_HOURS * 3600) * 1000;
  }

  private dead(msg: DeliveryMessage, attempt: AttemptRow | null, failure: AttemptFailure, reason: string, attempts: number, durationMs: number | null): Outcome {
    this.count('dead_lettered', failure.error_class);
    return {
      attempt,
      update: this.update(msg, 'dead', attempts, failure.status_code, failure.message),
      dead: { delivery: msg, reason, failure, attempts, dead_at: new Date().toISOString() },
      status: status(msg, 'dead_lettered', failure.status_code, failure.error_class, durationMs),
    };
  }

  private update(msg: DeliveryMessage, s: NonNullable<DeliveryUpdate['status']>, attempts: number, statusCode: number | null, error: string | null): DeliveryUpdate {
    return { id: msg.delivery_id, generation: msg.generation, status: s, attempts, last_status_code: statusCode, last_error: error };
  }

  private count(outcome: DeliveryStatusMessage['outcome'], errorClass: string): void {
    this.deliveriesTotal.inc({ status: outcome, error_class: errorClass });
  }
}

function status(msg: DeliveryMessage, outcome: DeliveryStatusMessage['outcome'], statusCode: number | null, errorClass: DeliveryStatusMessage['error_class'], durationMs: number | null): DeliveryStatusMessage {
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

function attemptRow(
  msg: DeliveryMessage,
  sub: SubscriptionSnapshot,
  startedAt: Date,
  outcome: AttemptRow['outcome'],
  failure: AttemptFailure | null,
  response: Pick<AttemptRow, 'status_code' | 'response_body' | 'duration_ms' | 'request_headers'>,
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

/** What may be stored of the headers sent: signatures, credentials and the subscription's secrets redacted before they reach Postgres. */
function storableHeaders(sub: SubscriptionSnapshot, headers: Readonly<Record<string, string>>): Record<string, string> {
  // A legacy_sha256_raw receiver's secret is the string the stored whsec_ form encodes: that too.
  const forms = (secret: string): string[] => [secret, secret.replace(/^wh(sec|sk)_/, ''), ...(sub.signature_scheme === 'legacy_sha256_raw' ? [storedToRawSecret(secret)] : [])];
  return redactHeaders(headers, { signatureHeader: sub.signature_header, secretValues: sub.secrets.flatMap((s) => forms(s.secret)) });
}

/**
 * When `msgs`, sent or postponed together, outlive their age limit: the oldest member's, or the
 * batch's own where a failed batch's members carry it (they may come back apart, and each part
 * must reach the same verdict as the whole).
 */
function expiryOf(msgs: readonly DeliveryMessage[], maxAgeMs: number): Date {
  let earliest = Infinity;
  for (const m of msgs) {
    const at = m.batch?.expires_at ? Date.parse(m.batch.expires_at) : deliveryExpiresAt(m.first_attempt_at, maxAgeMs).getTime();
    if (at < earliest) earliest = at;
  }
  return new Date(earliest);
}
