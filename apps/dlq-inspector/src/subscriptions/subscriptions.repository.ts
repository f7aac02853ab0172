import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** What the inspector's features need to know of a subscription (the registry owns the table). */
export interface SubscriptionState {
  id: string;
  tenant_id: string;
  enabled: boolean;
  disabled_reason: string | null;
}

/** Read-only lookups of subscriptions (a foreign read listed in docs/architecture.md). */
@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The subscription, if it exists, is not deleted and is the tenant's (any tenant's when
   * `tenantId` is null: an admin's request). Another tenant's is null, so a caller answers 404.
   */
  async inScope(tenantId: string | null, id: string): Promise<SubscriptionState | null> {
    const rows: SubscriptionState[] = await this.db.query(
      'SELECT id, tenant_id, enabled, disabled_reason FROM subscriptions WHERE id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR tenant_id = $2)',
      [id, tenantId],
    );
    return rows[0] ?? null;
  }
}
