import { Column, Entity, PrimaryColumn } from 'typeorm';

// Hot-path tables: written in batches with plain SQL by their owners; the entities describe
// them for reads and for anyone browsing the schema from code.

/** Owned by ingress-gateway; partitioned by day of received_at (events_pYYYYMMDD). */
@Entity('events')
export class EventEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('text') id!: string;
  @Column('text') type!: string;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @PrimaryColumn('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('text') source!: string;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
}

/** Owned by ingress-gateway: the unique key that decides duplicates, and where each event lives. */
@Entity('event_keys')
export class EventKeyEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('text') id!: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
}

/** Owned by ingress-gateway: a tenant's partner integration; secrets sealed with AES-256-GCM. */
@Entity('integration_configs')
export class IntegrationConfigEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') provider!: string;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text') status!: 'active' | 'disabled';
  @Column('jsonb') settings!: Record<string, unknown>;
  @Column('bytea') secrets!: Buffer;
  @Column('text', { name: 'secrets_key_id' }) secretsKeyId!: string;
  @Column('timestamptz', { name: 'previous_secrets_until', nullable: true }) previousSecretsUntil!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** Owned by ingress-gateway: every partner callback, never deleted (audit). */
@Entity('incoming_webhooks')
export class IncomingWebhookEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'integration_id' }) integrationId!: string;
  @Column('text') provider!: string;
  @Column('text', { name: 'provider_event_id', nullable: true }) providerEventId!: string | null;
  @Column('text', { name: 'event_id', nullable: true }) eventId!: string | null;
  @Column('text', { name: 'event_type', nullable: true }) eventType!: string | null;
  @Column('timestamptz', { name: 'occurred_at', nullable: true }) occurredAt!: Date | null;
  @Column('jsonb', { nullable: true }) payload!: unknown;
  @Column('bytea', { name: 'raw_body', nullable: true }) rawBody!: Buffer | null;
  @Column('text', { name: 'content_type', nullable: true }) contentType!: string | null;
  @Column('text', { nullable: true }) signature!: string | null;
  @Column('text', { name: 'source_ip', nullable: true }) sourceIp!: string | null;
  @Column('text') status!: 'pending' | 'succeeded' | 'failed';
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Column('integer', { name: 'retry_count' }) retryCount!: number;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('timestamptz', { name: 'last_received_at' }) lastReceivedAt!: Date;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt!: Date | null;
  /** Set when retention scrubbed the content of this audit row (AUDIT_RETENTION_DAYS). */
  @Column('timestamptz', { name: 'scrubbed_at', nullable: true }) scrubbedAt!: Date | null;
}

/** Owned by dispatcher. */
@Entity('deliveries')
export class DeliveryEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text', { name: 'event_id' }) eventId!: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  @Column('text', { name: 'event_type' }) eventType!: string;
  @Column('text') status!: 'pending' | 'delivered' | 'failing' | 'dead';
  @Column('integer') attempts!: number;
  @Column('integer', { name: 'last_status_code', nullable: true }) lastStatusCode!: number | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

/** Owned by dispatcher; immutable. */
@Entity('delivery_attempts')
export class DeliveryAttemptEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  @Column('integer') attempt!: number;
  @Column('text') origin!: string;
  @Column('text') outcome!: string;
  @Column('integer', { name: 'status_code', nullable: true }) statusCode!: number | null;
  @Column('text', { name: 'error_class', nullable: true }) errorClass!: string | null;
  @Column('text', { name: 'error_message', nullable: true }) errorMessage!: string | null;
  @Column('text', { name: 'response_body', nullable: true }) responseBody!: string | null;
  @Column('text', { name: 'request_url' }) requestUrl!: string;
  /** Part of the key: the table is partitioned by day of started_at (migration 0010). */
  @PrimaryColumn('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('integer', { name: 'duration_ms', nullable: true }) durationMs!: number | null;
}

/** Owned by retry-scheduler. */
@Entity('scheduled_retries')
export class ScheduledRetryEntity {
  @PrimaryColumn('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  @Column('integer') generation!: number;
  @Column('integer') attempt!: number;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  /** Null once fired: the row stays as a tombstone until the sweeper removes it. */
  @Column('jsonb', { nullable: true }) message!: unknown;
  @Column('timestamptz', { name: 'fired_at', nullable: true }) firedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}

/** Owned by dlq-inspector. */
@Entity('dead_letters')
export class DeadLetterEntity {
  @PrimaryColumn('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  @Column('text', { name: 'event_id' }) eventId!: string;
  @Column('text', { name: 'event_type' }) eventType!: string;
  @Column('text') reason!: string;
  @Column('text', { name: 'error_class' }) errorClass!: string;
  @Column('integer', { name: 'last_status_code', nullable: true }) lastStatusCode!: number | null;
  @Column('integer') attempts!: number;
  @Column('jsonb') message!: unknown;
  @Column('timestamptz', { name: 'dead_at' }) deadAt!: Date;
  @Column('timestamptz', { name: 'replayed_at', nullable: true }) replayedAt!: Date | null;
  @Column('integer', { name: 'replay_count' }) replayCount!: number;
  @Column('integer', { name: 'replay_generation', nullable: true }) replayGeneration!: number | null;
  @Column('timestamptz', { name: 'replayed_dead_at', nullable: true }) replayedDeadAt!: Date | null;
}

/** Owned by dlq-inspector: who replayed what, when, as which generation, and what came of it. */
@Entity('replays')
export class ReplayEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text', { name: 'requested_by' }) requestedBy!: string;
  /** Single replays only; a job's replays are keyed by (job_id, delivery_id). */
  @Column('text', { name: 'idempotency_key', nullable: true }) idempotencyKey!: string | null;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt!: Date;
  @Column('text') status!: string;
  @Column('uuid', { name: 'job_id', nullable: true }) jobId!: string | null;
  @Column('timestamptz', { name: 'dead_at', nullable: true }) deadAt!: Date | null;
  @Column('integer', { nullable: true }) generation!: number | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @Column('text', { nullable: true }) detail!: string | null;
}

/** Owned by dlq-inspector: bulk replays and recovers, run by one process at a time under a lease. */
@Entity('replay_jobs')
export class ReplayJobEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('text') kind!: string;
  @Column('jsonb') filter!: unknown;
  @Column('integer', { name: 'rate_per_second' }) ratePerSecond!: number;
  @Column('text') status!: string;
  @Column('integer') total!: number;
  @Column('integer') sent!: number;
  @Column('integer') skipped!: number;
  @Column('text', { name: 'requested_by' }) requestedBy!: string;
  @Column('text', { name: 'idempotency_key', nullable: true }) idempotencyKey!: string | null;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('text', { name: 'cancelled_by', nullable: true }) cancelledBy!: string | null;
  @Column('text', { name: 'lease_owner', nullable: true }) leaseOwner!: string | null;
  @Column('timestamptz', { name: 'lease_expires_at', nullable: true }) leaseExpiresAt!: Date | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
}
