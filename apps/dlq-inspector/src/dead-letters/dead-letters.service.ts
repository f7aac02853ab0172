import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryMessage } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import { KafkaProducer } from '@hookstream/kafka';
import { decodeCursor, type Logger, LOGGER, nextCursor, type Principal } from '@hookstream/platform';
import { type DeadLetterRow, DeadLettersRepository, type ReplayRecord } from './dead-letters.repository.js';

export interface DeadLetterView {
  id: string;
  tenant_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  reason: string;
  error_class: string;
  last_status_code: number | null;
  attempts: number;
  dead_at: string;
  replayed_at: string | null;
  replay_count: number;
}

export interface ReplayView {
  replay_id: string;
  delivery_id: string;
  status: string;
  requested_at: string;
  requested_by: string;
  /** False when this request repeated an earlier one (same idempotency key): nothing was sent again. */
  created: boolean;
}

@Injectable()
export class DeadLettersService {
  constructor(
    private readonly repo: DeadLettersRepository,
    private readonly producer: KafkaProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(tenantId: string | null, opts: { subscriptionId?: string; limit: number; cursor?: string }): Promise<{ data: DeadLetterView[]; next_cursor: string | null }> {
    const rows = await this.repo.list({
      tenantId,
      limit: opts.limit,
      ...(opts.subscriptionId ? { subscriptionId: opts.subscriptionId } : {}),
      ...(opts.cursor ? { after: afterCursor(opts.cursor) } : {}),
    });
    return {
      data: rows.map(view),
      next_cursor: nextCursor(rows, opts.limit, (r) => [new Date(r.dead_at).toISOString(), r.delivery_id]),
    };
  }

  async get(tenantId: string | null, id: string): Promise<DeadLetterView & { payload: unknown; headers_note: string }> {
    const row = await this.repo.get(tenantId, id);
    if (!row) throw new DomainError('not_found', `no dead letter ${id}`);
    return { ...view(row), payload: safeJson(row.message.delivery.body), headers_note: 'webhook-id is the event id and stays the same on replay' };
  }

  /**
   * Sends the dead delivery again, as attempt 1 of a fresh schedule and with the same
   * webhook-id. The same idempotency key never sends twice; without one, a letter can be
   * replayed once per time it died.
   */
  async replay(tenantId: string | null, id: string, principal: Principal, idempotencyKey?: string): Promise<ReplayView> {
    const row = await this.repo.get(tenantId, id);
    if (!row) throw new DomainError('not_found', `no dead letter ${id}`);
    const key = idempotencyKey ?? `${row.delivery_id}@${new Date(row.dead_at).toISOString()}`;
    const { replay, created } = await this.repo.recordReplay(row.tenant_id, row.delivery_id, principal.keyId, key);
    if (replay.delivery_id !== row.delivery_id) throw new DomainError('conflict', 'this idempotency key was used for another delivery');
    if (replay.status === 'sent') return replayView(replay, created);
    const delivery: DeliveryMessage = { ...row.message.delivery, attempt: 1, origin: 'replay', first_attempt_at: new Date().toISOString() };
    try {
      await this.producer.send('deliveries', [{ key: delivery.subscription_id, value: delivery }]);
    } catch (err) {
      await this.repo.markReplayFailed(replay.id);
      this.logger.error({ err, delivery: id }, 'replay could not be queued');
      throw new DomainError('unavailable', 'the replay could not be queued; try again with the same Idempotency-Key');
    }
    await this.repo.markReplayed(replay.id, row.delivery_id);
    this.logger.info({ delivery: id, replay: replay.id, by: principal.keyId }, 'dead letter replayed');
    return replayView({ ...replay, status: 'sent' }, created);
  }
}

function view(r: DeadLetterRow): DeadLetterView {
  return {
    id: r.delivery_id,
    tenant_id: r.tenant_id,
    subscription_id: r.subscription_id,
    event_id: r.event_id,
    event_type: r.event_type,
    reason: r.reason,
    error_class: r.error_class,
    last_status_code: r.last_status_code,
    attempts: r.attempts,
    dead_at: new Date(r.dead_at).toISOString(),
    replayed_at: r.replayed_at ? new Date(r.replayed_at).toISOString() : null,
    replay_count: r.replay_count,
  };
}

function replayView(r: ReplayRecord, created: boolean): ReplayView {
  return {
    replay_id: r.id,
    delivery_id: r.delivery_id,
    status: r.status,
    requested_at: new Date(r.requested_at).toISOString(),
    requested_by: r.requested_by,
    created,
  };
}

function afterCursor(cursor: string): { deadAt: string; deliveryId: string } {
  const [deadAt = '', deliveryId = ''] = decodeCursor(cursor, ['timestamp', 'uuid']);
  return { deadAt, deliveryId };
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
