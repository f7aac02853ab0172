import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryOutcome, ErrorClass } from '@hookstream/contracts';
import { chunk, valuesPlaceholders } from '@hookstream/db';
import type { DataSource } from 'typeorm';

export interface AttemptRow {
  id: string;
  delivery_id: string;
  tenant_id: string;
  subscription_id: string;
  attempt: number;
  origin: string;
  outcome: DeliveryOutcome;
  status_code: number | null;
  error_class: ErrorClass | null;
  error_message: string | null;
  response_body: string | null;
  request_url: string;
  started_at: Date;
  duration_ms: number | null;
}

export interface DeliveryUpdate {
  id: string;
  status: 'delivered' | 'failing' | 'dead' | 'pending';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
}

const ATTEMPT_COLUMNS = [
  ['id', 'uuid'],
  ['delivery_id', 'uuid'],
  ['tenant_id', 'text'],
  ['subscription_id', 'uuid'],
  ['attempt', 'int'],
  ['origin', 'text'],
  ['outcome', 'text'],
  ['status_code', 'int'],
  ['error_class', 'text'],
  ['error_message', 'text'],
  ['response_body', 'text'],
  ['request_url', 'text'],
  ['started_at', 'timestamptz'],
  ['duration_ms', 'int'],
] as const;

/** delivery_attempts (immutable) and the deliveries summary, one transaction per batch. */
@Injectable()
export class AttemptsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(attempts: readonly AttemptRow[], updates: readonly DeliveryUpdate[]): Promise<void> {
    if (attempts.length === 0 && updates.length === 0) return;
    await this.db.transaction(async (em) => {
      for (const part of chunk(attempts, 1000)) {
        await em.query(
          `INSERT INTO delivery_attempts (${ATTEMPT_COLUMNS.map(([c]) => c).join(', ')})
           VALUES ${valuesPlaceholders(part.length, ATTEMPT_COLUMNS.length, ATTEMPT_COLUMNS.map(([, t]) => t))}
           ON CONFLICT (id) DO NOTHING`,
          part.flatMap((a) => ATTEMPT_COLUMNS.map(([c]) => a[c])),
        );
      }
      if (updates.length === 0) return;
      // A postponement ('pending') leaves the counters alone; counts only move forward.
      await em.query(
        `UPDATE deliveries d SET
            status = CASE WHEN u.status = 'pending' THEN d.status ELSE u.status END,
            attempts = GREATEST(d.attempts, u.attempts),
            last_status_code = COALESCE(u.last_status_code, d.last_status_code),
            last_error = CASE WHEN u.status = 'delivered' THEN NULL ELSE COALESCE(u.last_error, d.last_error) END,
            updated_at = now()
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::text[]) AS u(id, status, attempts, last_status_code, last_error)
          WHERE d.id = u.id`,
        [
          updates.map((u) => u.id),
          updates.map((u) => u.status),
          updates.map((u) => u.attempts),
          updates.map((u) => u.last_status_code),
          updates.map((u) => u.last_error),
        ],
      );
    });
  }
}
