import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EventEnvelope, EventMessage } from '@hookstream/contracts';
import { chunk, preparedStatement, queryPrepared } from '@hookstream/db';
import type { DataSource } from 'typeorm';

export type EventSource = 'http' | 'kafka' | 'incoming';

interface Row {
  tenant_id: string;
  id: string;
  type: string;
  occurred_at: Date;
  received_at: Date;
  data: Record<string, unknown>;
  ordering_key: string | null;
}

const MARK_PUBLISHED = preparedStatement(
  'events_mark_published',
  `UPDATE events e SET published_at = now()
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS p(tenant_id, id, received_at)
        WHERE e.tenant_id = p.tenant_id AND e.id = p.id AND e.received_at = p.received_at
          AND e.published_at IS NULL`,
);

/**
 * One batch as a single jsonb array, so the text never changes with the batch's length and the
 * statement is prepared once per connection (VALUES lists of varying length were planned on
 * every call: the events insert was the gateway's largest planning cost in hostile_tenant).
 */
const INSERT_NEW = preparedStatement(
  'events_insert_new',
  `WITH input AS (
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id text, id text, type text, occurred_at timestamptz, data jsonb, source text, ordering_key text)
   ), fresh AS (
     INSERT INTO event_keys (tenant_id, id, received_at)
     SELECT tenant_id, id, date_trunc('milliseconds', now()) FROM input
     ON CONFLICT (tenant_id, id) DO NOTHING
     RETURNING tenant_id, id, received_at
   )
   INSERT INTO events (tenant_id, id, type, occurred_at, received_at, data, source, ordering_key)
   SELECT i.tenant_id, i.id, i.type, i.occurred_at, f.received_at, i.data, i.source, i.ordering_key
     FROM input i JOIN fresh f ON f.tenant_id = i.tenant_id AND f.id = i.id
   RETURNING tenant_id, id, type, occurred_at, received_at, data, ordering_key`,
);

/**
 * The events table, written by this service only, a batch per statement. `events` is partitioned
 * by received_at, so the unique key that decides duplicates lives in `event_keys`; a row of each
 * is written by one statement, and (tenant_id, id, received_at) then names the event's row in
 * its partition (received_at is stored to the millisecond, exactly what EventMessage carries).
 */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts what is new (ids must be unique within the call) and returns it; ids already stored come back absent. */
  async insertNew(envelopes: readonly EventEnvelope[], source: EventSource): Promise<EventMessage[]> {
    const out: EventMessage[] = [];
    for (const part of chunk(envelopes, 1000)) {
      const input = JSON.stringify(part.map((e) => ({ tenant_id: e.tenant_id, id: e.id, type: e.type, occurred_at: e.occurred_at, data: e.data, source, ordering_key: e.ordering_key ?? null })));
      const rows = await queryPrepared<Row[]>(this.db, INSERT_NEW, [input]);
      out.push(...rows.map(toMessage));
    }
    return out;
  }

  async markPublished(events: readonly EventMessage[]): Promise<void> {
    for (const part of chunk(events, 5000)) await this.setPublished(this.db, part);
  }

  /** Of these ids, those persisted but never acknowledged by Kafka (a crash in between). */
  async unpublishedAmong(keys: readonly { tenant_id: string; id: string }[]): Promise<EventMessage[]> {
    if (keys.length === 0) return [];
    const rows: Row[] = await this.db.query(
      `SELECT e.tenant_id, e.id, e.type, e.occurred_at, e.received_at, e.data, e.ordering_key
         FROM unnest($1::text[], $2::text[]) AS p(tenant_id, id)
         JOIN event_keys k ON k.tenant_id = p.tenant_id AND k.id = p.id
         JOIN events e ON e.tenant_id = k.tenant_id AND e.id = k.id AND e.received_at = k.received_at
        WHERE e.published_at IS NULL`,
      [keys.map((k) => k.tenant_id), keys.map((k) => k.id)],
    );
    return rows.map(toMessage);
  }

  /**
   * The outbox's depth: events persisted and not yet acknowledged by Kafka, older than `olderThanMs`
   * (younger ones are normally still in their request). Served by the partial index events_unpublished.
   */
  async countUnpublished(olderThanMs: number): Promise<number> {
    const rows: Array<{ n: string }> = await this.db.query(
      `SELECT count(*) AS n FROM events WHERE published_at IS NULL AND received_at < now() - make_interval(secs => $1::double precision / 1000)`,
      [olderThanMs],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Claims a page of stale unpublished events; the lock holds until `work` finishes. */
  async drainUnpublished(olderThanMs: number, limit: number, work: (events: EventMessage[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (em) => {
      const rows: Row[] = await em.query(
        `SELECT tenant_id, id, type, occurred_at, received_at, data, ordering_key FROM events
          WHERE published_at IS NULL AND received_at < now() - make_interval(secs => $1::double precision / 1000)
          ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [olderThanMs, limit],
      );
      if (rows.length === 0) return 0;
      const events = rows.map(toMessage);
      await work(events);
      await this.setPublished(em, events);
      return events.length;
    });
  }

  private async setPublished(runner: Pick<DataSource, 'query'>, events: readonly EventMessage[]): Promise<void> {
    await queryPrepared<unknown>(runner, MARK_PUBLISHED,
      [events.map((e) => e.tenant_id), events.map((e) => e.id), events.map((e) => e.received_at)],
    );
  }
}

function toMessage(r: Row): EventMessage {
  return {
    id: r.id,
    tenant_id: r.tenant_id,
    type: r.type,
    occurred_at: new Date(r.occurred_at).toISOString(),
    received_at: new Date(r.received_at).toISOString(),
    data: r.data,
    ordering_key: r.ordering_key,
  };
}
