import { Column, Entity, PrimaryColumn } from 'typeorm';

// Owned and written by subscription-registry. The one entity left: TenantsService's low-volume
// CRUD reads better through a TypeORM Repository; everything else is SQL in *.repository.ts
// files (docs/adr/0004-raw-sql-through-the-datasource.md).

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
  /** False: events are accepted and stored, but nothing is delivered until it is true again. */
  @Column('boolean', { default: true }) enabled!: boolean;
  @Column('timestamptz', { name: 'enabled_changed_at', nullable: true }) enabledChangedAt!: Date | null;
}
