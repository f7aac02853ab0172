import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AttemptView, DeadLetterDetail, DeadLetterView, ListPage, ReplayView } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import { decodeCursor, type Logger, LOGGER, nextCursor, type Principal } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import { LetterReplayer } from '../replays/letter-replayer.service.js';
import { auditView, isoOrNull } from '../replays/replay-audit.js';
import { type ReplayRecord, ReplaysRepository } from '../replays/replays.repository.js';
import type { DeadLetterFilter } from './dead-letter-filter.js';
import { type AttemptRow, type DeadLetterSummaryRow, DeadLettersRepository } from './dead-letters.repository.js';

const HISTORY_LIMIT = 100;

@Injectable()
export class DeadLettersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: DeadLettersRepository,
    private readonly replays: ReplaysRepository,
    private readonly replayer: LetterReplayer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(
    tenantId: string | null,
    opts: { filter: DeadLetterFilter; replayed?: boolean; limit: number; cursor?: string },
  ): Promise<ListPage<DeadLetterView>> {
    const rows = await this.repo.list({
      tenantId,
      filter: opts.filter,
      limit: opts.limit,
      ...(opts.replayed === undefined ? {} : { replayed: opts.replayed }),
      ...(opts.cursor ? { after: afterCursor(opts.cursor) } : {}),
    });
    return {
      data: rows.map(view),
      next_cursor: nextCursor(rows, opts.limit, (r) => [new Date(r.dead_at).toISOString(), r.delivery_id]),
    };
  }

  /** The letter, its payload, every attempt the dispatcher made (latest 100) and every replay. */
  async get(tenantId: string | null, id: string): Promise<DeadLetterDetail> {
    const row = await this.repo.get(tenantId, id);
    if (!row) throw new DomainError('not_found', `no dead letter ${id}`);
    const [attempts, replays] = await Promise.all([this.repo.attempts(row.tenant_id, id, HISTORY_LIMIT), this.replays.history(row.tenant_id, id, HISTORY_LIMIT)]);
    return {
      ...view(row),
      payload: safeJson(row.message.delivery.body),
      first_attempt_at: row.message.delivery.first_attempt_at,
      headers_note: 'webhook-id is the event id and stays the same on replay',
      attempt_history: attempts.map(attemptView),
      replays: replays.map(auditView),
    };
  }

  /**
   * Sends the dead delivery again, as attempt 1 of a fresh schedule in a new generation, with the
   * same webhook-id. The same idempotency key never sends twice; without one, a letter is replayed
   * once per time it died. A death already replayed (by a request or a job) is refused unless
   * forced, and forcing needs an idempotency key so that retrying the request stays safe.
   */
  async replay(tenantId: string | null, id: string, principal: Principal, opts: { idempotencyKey?: string; force: boolean }): Promise<ReplayView> {
    const row = await this.repo.get(tenantId, id);
    if (!row) throw new DomainError('not_found', `no dead letter ${id}`);
    if (opts.force && !opts.idempotencyKey) {
      throw new DomainError('validation_failed', 'a forced replay needs an Idempotency-Key header', [{ path: 'Idempotency-Key', message: 'required with force=true' }]);
    }
    const key = opts.idempotencyKey ?? `${row.delivery_id}@${new Date(row.dead_at).toISOString()}`;
    let result: { replay: ReplayRecord; created: boolean; refused?: string };
    try {
      result = await this.db.transaction(async (em) => {
        const replay = await this.replays.openRequest(em, row.tenant_id, row.delivery_id, principal.keyId, key);
        if (replay.delivery_id !== row.delivery_id) throw new DomainError('conflict', 'this idempotency key was used for another dead letter');
        if (replay.status === 'sent') return { replay, created: false };
        const [outcome] = await this.replayer.replay(em, [row.delivery_id], { tenantId: row.tenant_id, force: opts.force, via: 'single' });
        if (!outcome) throw new DomainError('not_found', `no dead letter ${id}`);
        if (outcome.kind === 'skipped') {
          const skipped = await this.replays.finishRequest(em, replay.id, { status: 'skipped', dead_at: outcome.dead_at, generation: null, sent_at: null, detail: outcome.message });
          return { replay: skipped, created: false, refused: outcome.message };
        }
        const sent = await this.replays.finishRequest(em, replay.id, { status: 'sent', dead_at: outcome.dead_at, generation: outcome.generation, sent_at: outcome.sent_at, detail: null });
        return { replay: sent, created: true };
      });
    } catch (err) {
      if (err instanceof DomainError) throw err;
      this.logger.error({ err, delivery: id }, 'replay could not be queued');
      await this.replays.recordFailure(row.tenant_id, row.delivery_id, principal.keyId, key, 'could not be queued: Kafka or Postgres unavailable')
        // The caller still gets the 503; a failed audit write is worth a line of its own.
        .catch((auditErr: unknown) => this.logger.warn({ err: auditErr, delivery: id }, 'could not record the failed replay'));
      throw new DomainError('unavailable', 'the replay could not be queued; try again with the same Idempotency-Key');
    }
    if (result.refused) {
      throw new DomainError('conflict', `not replayed: ${result.refused}`, { replay_id: result.replay.id, delivery_id: row.delivery_id, hint: 'pass force=true with a new Idempotency-Key to send it once more' });
    }
    if (result.created) this.logger.info({ delivery: id, replay: result.replay.id, by: principal.keyId, generation: result.replay.generation }, 'dead letter replayed');
    return replayView(result.replay, result.created);
  }
}

function view(r: DeadLetterSummaryRow): DeadLetterView {
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
    generation: r.generation,
    dead_at: new Date(r.dead_at).toISOString(),
    replayed: r.replayed,
    replayed_at: isoOrNull(r.replayed_at),
    replay_count: r.replay_count,
    delivery_status: r.delivery_status,
  };
}

function attemptView(a: AttemptRow): AttemptView {
  return { ...a, started_at: new Date(a.started_at).toISOString() };
}

function replayView(r: ReplayRecord, created: boolean): ReplayView {
  return { ...auditView(r), delivery_id: r.delivery_id, created };
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
