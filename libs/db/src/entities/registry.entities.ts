import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RetryPolicy } from '@hookstream/contracts';

// Owned and written by subscription-registry.

@Entity('tenants')
export class TenantEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  /** Intake limits for this tenant; null means the gateway's default. */
  @Column('integer', { name: 'max_event_bytes', nullable: true }) maxEventBytes!: number | null;
  @Column('double precision', { name: 'rate_limit_per_second', nullable: true }) rateLimitPerSecond!: number | null;
  @Column('integer', { name: 'rate_limit_burst', nullable: true }) rateLimitBurst!: number | null;
  /** Days the tenant's events and delivery attempts are kept; null: the services' RETENTION_DAYS. */
  @Column('integer', { name: 'retention_days', nullable: true }) retentionDays!: number | null;
}

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') name!: string;
  @Column('text') scope!: 'tenant' | 'admin';
  @Column('bytea', { name: 'key_hash' }) keyHash!: Buffer;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt!: Date | null;
}

@Entity('subscriptions')
export class SubscriptionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') url!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { name: 'event_types', array: true }) eventTypes!: string[];
  @Column('boolean') enabled!: boolean;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason!: string | null;
  @Column('jsonb', { name: 'retry_policy', nullable: true }) retryPolicy!: RetryPolicy | null;
  @Column('integer', { name: 'timeout_ms' }) timeoutMs!: number;
  @Column('integer') version!: number;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt!: Date | null;
}

@Entity('subscription_secrets')
export class SubscriptionSecretEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId!: string;
  @Column('text') secret!: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt!: Date | null;
}
