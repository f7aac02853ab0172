import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DeliveryDetail, type DeliveryRetryView, type DeliveryView, type EventView, type ListPage, receiverBody, type RetryAuditView } from '@hookstream/contracts';
import { DomainError, manualRetryDelivery } from '@hookstream/domain';
import { KafkaProducer } from '@hookstream/kafka';
import { decodeCursor, type Logger, LOGGER, Metrics, nextCursor, type Principal } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import { isoOrNull } from '../replays/replay-audit.js';
import { type AttemptHistoryRow, DeliveryHistoryRepository, type DeliveryRow, type EventRow, type RetryRecord, type RetryTarget } from './delivery-history.repository.js';
import type { DeliveryFilter } from './delivery-filter.js';

const HISTORY_LIMIT = 100;

/** Delivery history for tenants and on-call: deliveries, their attempts, events, and manual retries. */
@Injectable()
export class DeliveriesService {
  private readonly retries;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: DeliveryHistoryRepository,
    private readonly producer: KafkaProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.retries = metrics.counter('hookstream_manual_retries_total', 'Manual retries of deliveries, by result', ['result']);
  }

  async list(tenantId: string | null, opts: { filter: DeliveryFilter; limit: number; cursor?: string }): Promise<ListPage<DeliveryView>> {
    const rows = await this.repo.list(tenantId, opts.filter, opts.limit, opts.cursor ? microsCursor(opts.cursor, 'uuid') : undefined);
    return { data: rows.map(deliveryView), next_cursor: nextCursor(rows, opts.limit, (r) => [r.micros, r.id]) };
  }

  async get(tenantId: string | null, id: string): Promise<DeliveryDetail> {
    const row = await this.repo.get(tenantId, id);
    if (!row) throw new DomainError('not_found', `no delivery ${id}`);
    const [attempts, retries] = await Promise.all([this.repo.attempts(row.tenant_id, id, HISTORY_LIMIT), this.repo.retryHistory(row.tenant_id, id, HISTORY_LIMIT)]);
    return { ...deliveryView(row), attempt_history: attempts.map(attemptView), retries: retries.map(retryAuditView) };
  }

  async events(tenantId: string | null, opts: { type?: string; since?: string; until?: string; limit: number; cursor?: string }): Promise<ListPage<EventView>> {
    const rows = await this.repo.events(tenantId, opts, opts.limit, opts.cursor ? microsCursor(opts.cursor, 'text') : undefined);
    return { data: rows.map(eventView), next_cursor: nextCursor(rows, opts.limit, (r) => [r.micros, r.id]) };
  }

  async eventDeliveries(tenantId: string | null, eventId: string, opts: { limit: number; cursor?: string }): Promise<ListPage<DeliveryView>> {
    const after = opts.cursor ? decodeCursor(opts.cursor, ['uuid'])[0] : undefined;
    const rows = await this.repo.forEvent(tenantId, eventId, opts.limit, after);
    if (rows.length === 0 && !after && !(await this.repo.eventExists(tenantId, eventId))) throw new DomainError('not_found', `no event ${eventId}`);
    return { data: rows.map(deliveryView), next_cursor: nextCursor(rows, opts.limit, (r) => [r.id]) };
  }

  /**
   * Sends a delivery again now, whatever its state, as attempt 1 of a new generation with the
   * same webhook-id and body (libs/domain manualRetryDelivery), through hookstream.deliveries as
   * a dead-letter replay does. The audit row (who, when, why) commits only once the broker has
   * the message; the same Idempotency-Key never sends twice. A dead delivery's letter is marked
   * replayed, so a later bulk replay does not send it once more.
   */
  async retry(tenantId: string | null, id: string, principal: Principal, opts: { reason: string | null; idempotencyKey?: string }): Promise<DeliveryRetryView> {
    let result: { record: RetryRecord; created: boolean };
    try {
      result = await this.db.transaction(async (em) => {
        const target = await this.repo.lockForRetry(em, tenantId, id);
        if (!target) throw new DomainError('not_found', `no delivery ${id}`);
        const d = target.delivery;
        if (opts.idempotencyKey) {
          const earlier = await this.repo.lockRetryByKey(em, d.tenant_id, opts.idempotencyKey);
          if (earlier) {
            if (earlier.delivery_id !== d.id) throw new DomainError('conflict', 'this idempotency key was used for another delivery');
            if (earlier.status === 'sent') return { record: earlier, created: false };
          }
        }
        refuseUnsendable(target);
        const body = target.stored_body ?? (target.event ? receiverBody({ ...target.event, tenant_id: d.tenant_id, occurred_at: iso(target.event.occurred_at), received_at: iso(target.event.received_at) }) : null);
        if (body === null) throw new DomainError('conflict', `the event ${d.event_id} of delivery ${id} is no longer stored, so it cannot be sent again`);
        const now = new Date();
        const message = manualRetryDelivery(
          {
            delivery_id: d.id,
            tenant_id: d.tenant_id,
            subscription_id: d.subscription_id,
            event_id: d.event_id,
            event_type: d.event_type,
            generations: [d.generation, target.max_sent_generation, target.dead_letter_generation],
            body,
          },
          now,
        );
        const record = await this.repo.insertRetryAudit(em, d, principal.keyId, opts, message.generation, now);
        await this.repo.markLetterRetried(em, d.id, message.generation);
        await this.producer.send('deliveries', [{ key: d.subscription_id, value: message }]);
        return { record, created: true };
      });
    } catch (err) {
      this.retries.inc({ result: err instanceof DomainError ? 'refused' : 'failed' });
      if (err instanceof DomainError) throw err;
      this.logger.error({ err, delivery: id }, 'retry could not be queued');
      throw new DomainError('unavailable', 'the retry could not be queued; try again (with the same Idempotency-Key, if you sent one)');
    }
    if (result.created) {
      this.retries.inc({ result: 'sent' });
      this.logger.info({ delivery: id, retry: result.record.id, by: principal.keyId, generation: result.record.generation, reason: result.record.reason }, 'delivery retried');
    }
    return { ...retryAuditView(result.record), delivery_id: result.record.delivery_id, created: result.created };
  }
}

/** A retry to a subscription that is gone or disabled would only fail again. */
function refuseUnsendable(t: RetryTarget): void {
  if (t.subscription_enabled === null) throw new DomainError('conflict', 'the subscription no longer exists');
  if (!t.subscription_enabled) {
    const why = t.subscription_disabled_reason ? ` (${t.subscription_disabled_reason})` : '';
    throw new DomainError('conflict', `the subscription is disabled${why}; enable it first, or the retry fails again`);
  }
}

function microsCursor(cursor: string, idKind: 'uuid' | 'text'): { micros: string; id: string } {
  const [micros = '', id = ''] = decodeCursor(cursor, ['micros', idKind]);
  return { micros, id };
}

const iso = (d: Date): string => new Date(d).toISOString();

export function deliveryView(r: DeliveryRow): DeliveryView {
  return {
    id: r.id,
    tenant_id: r.tenant_id,
    event_id: r.event_id,
    event_type: r.event_type,
    subscription_id: r.subscription_id,
    status: r.status,
    attempts: r.attempts,
    generation: r.generation,
    last_status_code: r.last_status_code,
    last_error: r.last_error,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    delivered_at: r.delivered_at ? iso(r.delivered_at) : null,
    next_retry_at: r.next_retry_at ? iso(r.next_retry_at) : null,
  };
}

function attemptView(a: AttemptHistoryRow): DeliveryDetail['attempt_history'][number] {
  return { ...a, started_at: iso(a.started_at) };
}

function eventView(e: EventRow): EventView {
  return { id: e.id, tenant_id: e.tenant_id, type: e.type, occurred_at: iso(e.occurred_at), received_at: iso(e.received_at), source: e.source, data: e.data };
}

function retryAuditView(r: RetryRecord): RetryAuditView {
  return {
    retry_id: r.id,
    kind: r.kind,
    requested_by: r.requested_by,
    requested_at: iso(r.requested_at),
    status: r.status,
    generation: r.generation,
    sent_at: isoOrNull(r.sent_at),
    reason: r.reason,
    detail: r.detail,
  };
}
