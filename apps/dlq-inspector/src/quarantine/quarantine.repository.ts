import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chunk, valuesPlaceholders } from '@hookstream/db';
import type { DataSource, EntityManager } from 'typeorm';
import type { QuarantineRow } from './quarantine-record.js';

export interface StoredQuarantine {
  id: string;
  tenant_id: string | null;
  code: string;
  reason: string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  source_timestamp: Date | null;
  consumer_group: string;
  quarantined_at: Date;
  status: 'quarantined' | 'redriven';
  redriven_at: Date | null;
  redriven_by: string | null;
  redrive_count: number;
  value_bytes: number;
}

export interface StoredQuarantineDetail extends StoredQuarantine {
  details: string;
  message_key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, string]>;
}

export interface QuarantineListQuery {
  /** null: every tenant's and the tenant-less ones (admin). */
  tenantId: string | null;
  /** Physical source topic. */
  sourceTopic?: string;
  code?: string;
  since?: string;
  until?: string;
  status?: 'quarantined' | 'redriven';
  limit: number;
  after?: { at: string; id: string };
}

const SUMMARY = `id, tenant_id, code, reason, source_topic, source_partition, source_offset::text AS source_offset, source_timestamp,
  consumer_group, quarantined_at, status, redriven_at, redriven_by, redrive_count, COALESCE(octet_length(value), 0) AS value_bytes`;

/** quarantined_messages and quarantine_redrives, owned by the dlq-inspector. */
@Injectable()
export class QuarantineRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Idempotent: a record read twice, or quarantined twice by one group, is one row. */
  async insert(rows: readonly QuarantineRow[]): Promise<void> {
    for (const part of chunk(rows, 500)) {
      await this.db.query(
        `INSERT INTO quarantined_messages (quarantine_topic, quarantine_partition, quarantine_offset, source_topic, source_partition, source_offset,
           source_timestamp, consumer_group, tenant_id, code, reason, details, message_key, value, headers, quarantined_at)
         VALUES ${valuesPlaceholders(part.length, 16, ['text', 'int', 'bigint', 'text', 'int', 'bigint', 'timestamptz', 'text', 'text', 'text', 'text', 'text', 'bytea', 'bytea', 'jsonb', 'timestamptz'])}
         ON CONFLICT (source_topic, source_partition, source_offset, consumer_group) DO NOTHING`,
        part.flatMap((r) => [
          r.quarantine_topic, r.quarantine_partition, r.quarantine_offset, r.source_topic, r.source_partition, r.source_offset,
          r.source_timestamp, r.consumer_group, r.tenant_id, r.code, r.reason, r.details, r.message_key, r.value, JSON.stringify(r.headers), r.quarantined_at,
        ]),
      );
    }
  }

  /** Newest first. */
  async list(q: QuarantineListQuery): Promise<StoredQuarantine[]> {
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (q.tenantId !== null) where.push(`tenant_id = ${p(q.tenantId)}`);
    if (q.sourceTopic) where.push(`source_topic = ${p(q.sourceTopic)}`);
    if (q.code) where.push(`code = ${p(q.code)}`);
    if (q.status) where.push(`status = ${p(q.status)}`);
    if (q.since) where.push(`quarantined_at >= ${p(q.since)}::timestamptz`);
    if (q.until) where.push(`quarantined_at < ${p(q.until)}::timestamptz`);
    if (q.after) where.push(`(quarantined_at, id) < (${p(q.after.at)}::timestamptz, ${p(q.after.id)}::uuid)`);
    return this.db.query(
      `SELECT ${SUMMARY} FROM quarantined_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY quarantined_at DESC, id DESC LIMIT ${p(q.limit)}`,
      params,
    );
  }

  async get(tenantId: string | null, id: string, em: EntityManager | DataSource = this.db, lock = false): Promise<StoredQuarantineDetail | null> {
    const rows: StoredQuarantineDetail[] = await em.query(
      `SELECT ${SUMMARY}, details, message_key, value, headers FROM quarantined_messages
        WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)${lock ? ' FOR UPDATE' : ''}`,
      [id, tenantId],
    );
    return rows[0] ?? null;
  }

  /** Marks a message re-driven and audits who did it and where it went. */
  async markRedriven(em: EntityManager, row: StoredQuarantineDetail, by: string): Promise<StoredQuarantine> {
    await em.query(`INSERT INTO quarantine_redrives (quarantined_id, tenant_id, requested_by, target_topic) VALUES ($1, $2, $3, $4)`, [row.id, row.tenant_id, by, row.source_topic]);
    // Through a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
    const rows: StoredQuarantine[] = await em.query(
      `WITH updated AS (
         UPDATE quarantined_messages SET status = 'redriven', redriven_at = now(), redriven_by = $2, redrive_count = redrive_count + 1
          WHERE id = $1 RETURNING *)
       SELECT ${SUMMARY} FROM updated`,
      [row.id, by],
    );
    return rows[0];
  }
}
