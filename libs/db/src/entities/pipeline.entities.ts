import { Column, Entity, PrimaryColumn } from 'typeorm';

// Hot-path tables: written in batches with plain SQL by their owners; the entities describe
// them for reads and for anyone browsing the schema from code.

/** Owned by ingress-gateway. */
@Entity('events')
export class EventEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('text') id!: string;
  @Column('text') type!: string;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('text') source!: string;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
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
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('integer', { name: 'duration_ms', nullable: true }) durationMs!: number | null;
}

/** Owned by retry-scheduler. */
@Entity('scheduled_retries')
export class ScheduledRetryEntity {
  @PrimaryColumn('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  @Column('integer') attempt!: number;
  @Column('timestamptz', { name: 'due_at' }) dueAt!: Date;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  @Column('jsonb') message!: unknown;
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
}

/** Owned by dlq-inspector: who replayed what, when. */
@Entity('replays')
export class ReplayEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId!: string;
  @Column('text', { name: 'requested_by' }) requestedBy!: string;
  @Column('text', { name: 'idempotency_key' }) idempotencyKey!: string;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt!: Date;
  @Column('text') status!: string;
}
