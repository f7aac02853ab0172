import { DeadLetterEntity, DeliveryAttemptEntity, DeliveryEntity, EventEntity, EventKeyEntity, IncomingWebhookEntity, IntegrationConfigEntity, ReplayEntity, ReplayJobEntity, ScheduledRetryEntity } from './pipeline.entities.js';
import { ApiKeyEntity, SubscriptionEntity, SubscriptionSecretEntity, TenantEntity } from './registry.entities.js';

export * from './pipeline.entities.js';
export * from './registry.entities.js';

export const ALL_ENTITIES = [
  TenantEntity,
  ApiKeyEntity,
  SubscriptionEntity,
  SubscriptionSecretEntity,
  EventEntity,
  EventKeyEntity,
  IntegrationConfigEntity,
  IncomingWebhookEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  ScheduledRetryEntity,
  DeadLetterEntity,
  ReplayEntity,
  ReplayJobEntity,
];
