import { type DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@hookstream/db';
import { KafkaModule, serviceKafkaOptions } from '@hookstream/kafka';
import { type Logger, PlatformModule } from '@hookstream/platform';
import type { RegistryConfig } from './config.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { DeclarativeModule } from './declarative/declarative.module.js';
import { EndpointHealthModule } from './endpoint-health/endpoint-health.module.js';
import { EventTypesModule } from './event-types/event-types.module.js';
import { QuotasModule } from './quotas/quotas.module.js';
import { SubscriptionsModule } from './subscriptions/subscriptions.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

@Module({})
export class AppModule {
  static forRoot(config: RegistryConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'subscription-registry', config, logger, redis: true, rateLimitedWrites: true }),
        DbModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: 'subscription-registry' }),
        KafkaModule.forRoot(serviceKafkaOptions('subscription-registry', config)),
        TenantsModule,
        QuotasModule,
        ApiKeysModule,
        EventTypesModule,
        SubscriptionsModule,
        DeclarativeModule,
        EndpointHealthModule,
      ],
    };
  }
}
