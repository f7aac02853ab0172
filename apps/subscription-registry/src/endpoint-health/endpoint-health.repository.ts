import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ErrorClass, EventEnvelope } from '@hookstream/contracts';
import { preparedStatement, queryPrepared } from '@hookstream/db';
import type { DisableReason, FailureStreak } from '@hookstream/domain';
import type { DataSource, EntityManager } from 'typeorm';

/** One attempt outcome that says something about an endpoint (see healthSignal). */
export interface HealthOutcome {
  subscriptionId: string;
  tenantId: string;
  at: string;
  ok: boolean;
  statusCode: number | null;
  errorClass: ErrorClass | null;
}

export interface SubscriptionHealth extends FailureStreak {
  subscriptionId: string;
  tenantId: string;
  lastSuccessAt: Date | null;
  lastStatusCode: number | null;
  lastErrorClass: ErrorClass | null;
}

/** The health after a batch, and whether the batch ended a failing streak (a `subscription.recovered` was queued). */
export interface RecordedHealth extends SubscriptionHealth {
  recovered: boolean;
}

export interface DisabledSubscription {
  id: string;
  tenantId: string;
  name: string | null;
  url: string;
  version: number;
  reason: DisableReason;
  disabledAt: Date;
}

interface HealthRow {
  subscription_id: string;
  tenant_id: string;
  last_success_at: Date | null;
  failing_since: Date | null;
  last_failure_at: Date | null;
  last_status_code: number | null;
  last_error_class: ErrorClass | null;
}

const toHealth = (r: HealthRow): SubscriptionHealth => ({
  subscriptionId: r.subscription_id,
  tenantId: r.tenant_id,
  lastSuccessAt: r.last_success_at,
  failingSince: r.failing_since,
  lastFailureAt: r.last_failure_at,
  lastStatusCode: r.last_status_code,
  lastErrorClass: r.last_error_class,
});

/** A timestamptz as the envelope's ISO 8601 text, in UTC with milliseconds. */
const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const RECORD_HEALTH = preparedStatement(
  'record_endpoint_health',
  `WITH outcome AS (
         SELECT o.*, s.version FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::boolean[], $5::int[], $6::text[])
                  AS o(subscription_id, tenant_id, at, ok, status_code, error_class)
           JOIN subscriptions s ON s.id = o.subscription_id AND s.tenant_id = o.tenant_id AND s.enabled AND s.deleted_at IS NULL
       ), prior AS (
         SELECT h.* FROM subscription_health h
           JOIN (SELECT DISTINCT subscription_id, version FROM outcome) o ON o.subscription_id = h.subscription_id AND o.version = h.subscription_version
            FOR UPDATE OF h
       ), success AS (
         SELECT o.subscription_id, GREATEST(min(p.last_success_at), max(o.at) FILTER (WHERE o.ok)) AS last_success_at
           FROM outcome o LEFT JOIN prior p USING (subscription_id)
          GROUP BY o.subscription_id
       ), batch AS (
         SELECT o.subscription_id, min(o.tenant_id) AS tenant_id, min(o.version) AS version, s.last_success_at,
                min(o.at) FILTER (WHERE NOT o.ok AND (s.last_success_at IS NULL OR o.at > s.last_success_at)) AS first_failure,
                max(o.at) FILTER (WHERE NOT o.ok) AS last_failure_at,
                (array_agg(o.status_code ORDER BY o.at DESC) FILTER (WHERE NOT o.ok))[1] AS last_status_code,
                (array_agg(o.error_class ORDER BY o.at DESC) FILTER (WHERE NOT o.ok))[1] AS last_error_class
           FROM outcome o JOIN success s USING (subscription_id)
          GROUP BY o.subscription_id, s.last_success_at
       ), merged AS (
         SELECT b.subscription_id, b.tenant_id, b.version, b.last_success_at,
                -- The kept streak survives only if it began after the latest success; failing that,
                -- the kept last failure, if it came after that success, is the earliest known since.
                LEAST(CASE WHEN b.last_success_at IS NULL OR p.failing_since > b.last_success_at THEN p.failing_since
                           WHEN p.last_failure_at > b.last_success_at THEN p.last_failure_at END,
                      b.first_failure) AS failing_since,
                GREATEST(p.last_failure_at, b.last_failure_at) AS last_failure_at,
                CASE WHEN b.last_failure_at >= COALESCE(p.last_failure_at, '-infinity') THEN b.last_status_code ELSE p.last_status_code END AS last_status_code,
                CASE WHEN b.last_failure_at >= COALESCE(p.last_failure_at, '-infinity') THEN b.last_error_class ELSE p.last_error_class END AS last_error_class
           FROM batch b LEFT JOIN prior p USING (subscription_id)
       ), upserted AS (
         INSERT INTO subscription_health (subscription_id, tenant_id, subscription_version, last_success_at, failing_since, last_failure_at, last_status_code, last_error_class)
         SELECT subscription_id, tenant_id, version, last_success_at, failing_since, last_failure_at, last_status_code, last_error_class FROM merged
         ON CONFLICT (subscription_id) DO UPDATE SET
           tenant_id = EXCLUDED.tenant_id, subscription_version = EXCLUDED.subscription_version, last_success_at = EXCLUDED.last_success_at,
           failing_since = EXCLUDED.failing_since, last_failure_at = EXCLUDED.last_failure_at, last_status_code = EXCLUDED.last_status_code,
           last_error_class = EXCLUDED.last_error_class, updated_at = now()
         RETURNING subscription_id, tenant_id, last_success_at, failing_since, last_failure_at, last_status_code, last_error_class
       ), recovered AS (
         -- A streak this batch ended. Announced in this same statement, so that a crash cannot
         -- record the recovery and lose its event: once recorded, a redelivered batch sees no streak.
         SELECT u.subscription_id, u.tenant_id, u.last_success_at, p.failing_since, u.last_status_code, u.last_error_class, s.name, s.url,
                'evt_subscription_recovered_' || u.subscription_id || '_' || (extract(epoch FROM p.failing_since) * 1000000)::bigint AS event_id
           FROM upserted u JOIN prior p USING (subscription_id) JOIN subscriptions s ON s.id = u.subscription_id
          WHERE p.failing_since IS NOT NULL AND u.failing_since IS NULL AND u.last_success_at IS NOT NULL
       ), catalog AS (
         -- A strict catalog must accept the event (as for subscription.disabled).
         INSERT INTO event_types (tenant_id, name, description, schema)
         SELECT DISTINCT tenant_id, $7, $8, $9::jsonb FROM recovered
         ON CONFLICT (tenant_id, name) DO NOTHING
       ), announced AS (
         INSERT INTO subscription_disabled_events (id, tenant_id, subscription_id, envelope)
         SELECT r.event_id, r.tenant_id, r.subscription_id,
                jsonb_build_object('id', r.event_id, 'type', $7::text, 'tenant_id', r.tenant_id, 'occurred_at', ${ISO('r.last_success_at')},
                  'data', jsonb_build_object('subscription_id', r.subscription_id, 'name', r.name, 'url', r.url, 'failing_since', ${ISO('r.failing_since')},
                    'recovered_at', ${ISO('r.last_success_at')}, 'last_status_code', r.last_status_code, 'last_error_class', r.last_error_class))
           FROM recovered r
         ON CONFLICT (id) DO NOTHING
         RETURNING subscription_id
       )
       SELECT u.*, EXISTS (SELECT 1 FROM announced a WHERE a.subscription_id = u.subscription_id) AS recovered FROM upserted u`,
);

/**
 * subscription_health and subscription_disabled_events, and disabling subscriptions: all owned by
 * the registry. Each method is one statement for a whole batch.
 */
@Injectable()
export class EndpointHealthRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Folds a batch of outcomes into the health of each enabled, live subscription they name (the
   * outcome's tenant must own it) and returns the new health of those. A success moves
   * last_success_at forward; failing_since is the first failure after the latest success, so a
   * success that arrives late (another dispatcher's, produced a moment earlier) still ends the
   * streak it preceded, and only failures after it count. A record kept for an older version of
   * the subscription is ignored: any change to it (enabled again, a new URL, a rotated secret) may
   * be what fixes the endpoint, so its record starts afresh.
   */
  /** subscription.disabled events not yet on hookstream.ingest, oldest first, locked for this transaction. */
  async claimUnpublishedEvents(em: EntityManager, limit: number): Promise<{ id: string; tenant_id: string; envelope: EventEnvelope }[]> {
    return em.query(
      `SELECT id, tenant_id, envelope FROM subscription_disabled_events
        WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async markEventsPublished(em: EntityManager, ids: readonly string[]): Promise<void> {
    await em.query('UPDATE subscription_disabled_events SET published_at = now() WHERE id = ANY($1::text[])', [ids]);
  }

  /**
   * Also queues `subscription.recovered` (with `recoveredType`'s catalog entry) for each streak the
   * batch ends, in the same statement.
   */
  async record(em: EntityManager, outcomes: readonly HealthOutcome[], recoveredType: { name: string; description: string; schema: Record<string, unknown> }): Promise<RecordedHealth[]> {
    const rows: (HealthRow & { recovered: boolean })[] = await queryPrepared<(HealthRow & { recovered: boolean })[]>(em, RECORD_HEALTH,
      [
        outcomes.map((o) => o.subscriptionId),
        outcomes.map((o) => o.tenantId),
        outcomes.map((o) => o.at),
        outcomes.map((o) => o.ok),
        outcomes.map((o) => o.statusCode),
        outcomes.map((o) => o.errorClass),
        recoveredType.name,
        recoveredType.description,
        JSON.stringify(recoveredType.schema),
      ],
    );
    return rows.map((r) => ({ ...toHealth(r), recovered: r.recovered }));
  }

  /**
   * Disables the subscriptions that are still enabled, through the changelog outbox (the version
   * moves, so ChangelogPublishWorker publishes the new snapshot, and the health record kept for the old version
   * no longer counts). Returns the ones this call disabled.
   */
  async disable(em: EntityManager, targets: ReadonlyArray<{ subscriptionId: string; tenantId: string; reason: DisableReason }>): Promise<DisabledSubscription[]> {
    const rows: { id: string; tenant_id: string; name: string | null; url: string; version: number; reason: DisableReason; updated_at: Date }[] = await em.query(
      `WITH target AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, tenant_id, reason)),
       disabled AS (
         UPDATE subscriptions s SET enabled = false, disabled_reason = t.reason, version = s.version + 1, updated_at = now()
           FROM target t
          WHERE s.id = t.id AND s.tenant_id = t.tenant_id AND s.enabled AND s.deleted_at IS NULL
         RETURNING s.id, s.tenant_id, s.name, s.url, s.version, t.reason, s.updated_at
       )
       SELECT * FROM disabled`,
      [targets.map((t) => t.subscriptionId), targets.map((t) => t.tenantId), targets.map((t) => t.reason)],
    );
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, name: r.name, url: r.url, version: r.version, reason: r.reason, disabledAt: new Date(r.updated_at) }));
  }

  /**
   * Enabled subscriptions holding more entries waiting in their ordering keys (the dispatcher's
   * ordered_entries, read-only here) than their ordering_backlog_max. Entries of a subscription
   * that stopped ordering still count: they keep their order until sent.
   */
  async overOrderingBacklog(): Promise<{ subscription_id: string; tenant_id: string; waiting: number; max: number }[]> {
    return this.db.query(
      `SELECT s.id AS subscription_id, s.tenant_id, count(*)::int AS waiting, s.ordering_backlog_max AS max
         FROM ordered_entries e JOIN subscriptions s ON s.id = e.subscription_id
        WHERE e.state = 'waiting' AND s.enabled AND s.deleted_at IS NULL
          AND e.created_at > COALESCE(s.enabled_at, '-infinity')
        GROUP BY s.id, s.tenant_id, s.ordering_backlog_max
       HAVING count(*) > s.ordering_backlog_max`,
    );
  }

  /**
   * Registers an event type in each tenant's catalog unless the tenant has one by that name, so a
   * strict catalog accepts Hookstream's own events.
   */
  async registerEventType(em: EntityManager, tenantIds: readonly string[], type: { name: string; description: string; schema: Record<string, unknown> }): Promise<void> {
    await em.query(
      `INSERT INTO event_types (tenant_id, name, description, schema)
       SELECT DISTINCT t, $2, $3, $4::jsonb FROM unnest($1::text[]) AS t
       ON CONFLICT (tenant_id, name) DO NOTHING`,
      [tenantIds, type.name, type.description, JSON.stringify(type.schema)],
    );
  }

  async enqueueEvents(em: EntityManager, events: ReadonlyArray<{ subscriptionId: string; envelope: EventEnvelope }>): Promise<void> {
    await em.query(
      `INSERT INTO subscription_disabled_events (id, tenant_id, subscription_id, envelope)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[])
       ON CONFLICT (id) DO NOTHING`,
      [events.map((e) => e.envelope.id), events.map((e) => e.envelope.tenant_id), events.map((e) => e.subscriptionId), events.map((e) => JSON.stringify(e.envelope))],
    );
  }

  /** The health of one of the tenant's live subscriptions (as of its current version); null when the tenant has no such subscription. */
  async find(tenantId: string, subscriptionId: string): Promise<{ enabled: boolean; disabledReason: string | null; health: SubscriptionHealth } | null> {
    const rows: (HealthRow & { enabled: boolean; disabled_reason: string | null })[] = await this.db.query(
      `SELECT s.id AS subscription_id, s.tenant_id, s.enabled, s.disabled_reason,
              h.last_success_at, h.failing_since, h.last_failure_at, h.last_status_code, h.last_error_class
         FROM subscriptions s LEFT JOIN subscription_health h ON h.subscription_id = s.id AND h.subscription_version = s.version
        WHERE s.tenant_id = $1 AND s.id = $2 AND s.deleted_at IS NULL`,
      [tenantId, subscriptionId],
    );
    const row = rows[0];
    return row ? { enabled: row.enabled, disabledReason: row.disabled_reason, health: toHealth(row) } : null;
  }
}
