import { DeadLetterEntity, DeliveryAttemptEntity, DeliveryEntity, EventEntity, ReplayEntity, ScheduledRetryEntity } from './pipeline.entities.js';
import { ApiKeyEntity, SubscriptionEntity, SubscriptionSecretEntity, TenantEntity } from './registry.entities.js';

export * from './pipeline.entities.js';
export * from './registry.entities.js';

export const ALL_ENTITIES = [
  TenantEntity,
  ApiKeyEntity,
  SubscriptionEntity,
  SubscriptionSecretEntity,
  EventEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  ScheduledRetryEntity,
  DeadLetterEntity,
  ReplayEntity,
];
