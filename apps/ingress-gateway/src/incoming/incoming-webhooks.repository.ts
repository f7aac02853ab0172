import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PartnerProvider } from '@hookstream/domain';
import type { DataSource, EntityManager } from 'typeorm';

/** What every stored callback records about its request. */
export interface ReceivedCallback {
  tenantId: string;
  integrationId: string;
  provider: PartnerProvider;
  payload: unknown;
  rawBody: Buffer | null;
  contentType: string | null;
  signature: string | null;
  sourceIp: string | null;
}

/** A verified callback: its event is known, so it can be published (again, after a failure). */
export interface VerifiedCallback extends ReceivedCallback {
  providerEventId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
}

/** A stored verified callback whose event is not yet known to be published. */
export interface PendingCallback {
  id: string;
  tenantId: string;
  integrationId: string;
  provider: PartnerProvider;
  providerEventId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  payload: unknown;
}

export interface CallbackRow {
  id: string;
  integration_id: string;
  provider: string;
  provider_event_id: string | null;
  event_id: string | null;
  event_type: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  failure_reason: string | null;
  retry_count: number;
  signature: string | null;
  source_ip: string | null;
  content_type: string | null;
  payload: unknown;
  received_at: Date;
  last_received_at: Date;
  processed_at: Date | null;
  received_micros: string;
}

interface PendingRow {
  id: string;
  tenant_id: string;
  integration_id: string;
  provider: PartnerProvider;
  provider_event_id: string;
  event_id: string;
  event_type: string;
  occurred_at: Date;
  payload: unknown;
}

const PENDING_COLUMNS = 'id, tenant_id, integration_id, provider, provider_event_id, event_id, event_type, occurred_at, payload';

/**
 * incoming_webhooks: every partner callback, kept forever as the audit trail (a trigger refuses
 * deletes). A verified callback is keyed on (integration, provider event id), so a provider's
 * re-send finds its row and counts as a retry; an unverified one never takes that key.
 */
@Injectable()
export class IncomingWebhooksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A callback refused before its event could be trusted (bad signature, disabled, too large, …). */
  async recordRefused(callback: ReceivedCallback, reason: string): Promise<void> {
    await this.db.query(
      `INSERT INTO incoming_webhooks (id, tenant_id, integration_id, provider, payload, raw_body, content_type, signature, source_ip, status, failure_reason, processed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'failed', $10, now())`,
      [randomUUID(), ...received(callback), storableText(reason)],
    );
  }

  /**
   * Stores a verified callback as pending, or, when the provider re-sends it, counts the retry.
   * A re-send of one that failed (e.g. refused by the catalog, since changed) is pending again.
   * Returns the row's state after this receipt.
   */
  async receiveVerified(callback: VerifiedCallback): Promise<{ pending: PendingCallback | null; retryCount: number }> {
    const [row] = await this.db.query<(PendingRow & { status: string; retry_count: number })[]>(
      `INSERT INTO incoming_webhooks (id, tenant_id, integration_id, provider, payload, raw_body, content_type, signature, source_ip,
                                      provider_event_id, event_id, event_type, occurred_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending')
       ON CONFLICT (integration_id, provider_event_id) DO UPDATE SET
         retry_count = incoming_webhooks.retry_count + 1,
         last_received_at = now(),
         status = CASE WHEN incoming_webhooks.status = 'failed' THEN 'pending' ELSE incoming_webhooks.status END,
         failure_reason = CASE WHEN incoming_webhooks.status = 'failed' THEN NULL ELSE incoming_webhooks.failure_reason END
       RETURNING ${PENDING_COLUMNS}, status, retry_count`,
      [randomUUID(), ...received(callback), callback.providerEventId, callback.eventId, callback.eventType, callback.occurredAt],
    );
    if (!row) throw new Error('the upsert returned no row');
    return { pending: row.status === 'pending' ? toPending(row) : null, retryCount: row.retry_count };
  }

  /** Counts a re-send of an event already in flight or done, without touching its state. */
  async countResend(integrationId: string, providerEventId: string): Promise<void> {
    await this.db.query(
      'UPDATE incoming_webhooks SET retry_count = retry_count + 1, last_received_at = now() WHERE integration_id = $1 AND provider_event_id = $2',
      [integrationId, providerEventId],
    );
  }

  async settle(outcomes: readonly { id: string; failure: string | null }[], em: Pick<EntityManager, 'query'> = this.db.manager): Promise<void> {
    if (outcomes.length === 0) return;
    await em.query(
      `UPDATE incoming_webhooks w SET status = CASE WHEN o.failure IS NULL THEN 'succeeded' ELSE 'failed' END, failure_reason = o.failure, processed_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS o(id, failure)
        WHERE w.id = o.id AND w.status = 'pending'`,
      [outcomes.map((o) => o.id), outcomes.map((o) => (o.failure === null ? null : storableText(o.failure)))],
    );
  }

  /** Claims verified callbacks pending for longer than the grace; the lock holds until `work` settles them. */
  async recoverPending(olderThanMs: number, limit: number, work: (pending: PendingCallback[]) => Promise<{ id: string; failure: string | null }[]>): Promise<number> {
    return this.db.transaction(async (em) => {
      const rows = await em.query<PendingRow[]>(
        `SELECT ${PENDING_COLUMNS} FROM incoming_webhooks
          WHERE status = 'pending' AND last_received_at < now() - make_interval(secs => $1::double precision / 1000)
          ORDER BY last_received_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [olderThanMs, limit],
      );
      if (rows.length === 0) return 0;
      await this.settle(await work(rows.map(toPending)), em);
      return rows.length;
    });
  }

  /** An integration's callbacks, newest first, after the cursor (received micros, id). */
  async list(tenantId: string, integrationId: string, status: string | undefined, limit: number, before: [string, string] | null): Promise<CallbackRow[]> {
    return this.db.query<CallbackRow[]>(
      `SELECT id, integration_id, provider, provider_event_id, event_id, event_type, status, failure_reason, retry_count, signature, source_ip,
              content_type, payload, received_at, last_received_at, processed_at,
              (extract(epoch FROM received_at) * 1000000)::bigint::text AS received_micros
         FROM incoming_webhooks
        WHERE tenant_id = $1 AND integration_id = $2 AND ($3::text IS NULL OR status = $3)
          AND ($4::bigint IS NULL OR (received_at, id) < (timestamptz 'epoch' + $4::bigint * interval '1 microsecond', $5::uuid))
        ORDER BY received_at DESC, id DESC LIMIT $6`,
      [tenantId, integrationId, status ?? null, before?.[0] ?? null, before?.[1] ?? null, limit],
    );
  }
}

/**
 * Failure reasons quote what the caller sent (a key, a path); Postgres text cannot hold U+0000
 * or a lone surrogate, so those are written out as escapes instead of failing the audit write.
 */
function storableText(text: string): string {
  return text.replaceAll('\u0000', '\\u0000').replace(/\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

function received(c: ReceivedCallback): unknown[] {
  return [c.tenantId, c.integrationId, c.provider, c.payload === undefined ? null : JSON.stringify(c.payload), c.rawBody, c.contentType, c.signature, c.sourceIp];
}

function toPending(r: PendingRow): PendingCallback {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    integrationId: r.integration_id,
    provider: r.provider,
    providerEventId: r.provider_event_id,
    eventId: r.event_id,
    eventType: r.event_type,
    occurredAt: new Date(r.occurred_at).toISOString(),
    payload: r.payload,
  };
}
