import { type DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@hookstream/db';
import { KafkaModule, serviceKafkaOptions } from '@hookstream/kafka';
import { type Logger, PlatformModule } from '@hookstream/platform';
import type { DispatcherConfig } from './config.js';
import { FanoutModule } from './fanout/fanout.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { SendingModule } from './sending/sending.module.js';
import { SubscriptionIndexModule } from './subscriptions/subscription-index.module.js';

@Module({})
export class AppModule {
  static forRoot(config: DispatcherConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'dispatcher', config, logger }),
        DbModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: 'dispatcher' }),
        KafkaModule.forRoot(
          serviceKafkaOptions('dispatcher', config, config.CONSUMER_LAG_INTERVAL_MS > 0 ? { lagIntervalMs: config.CONSUMER_LAG_INTERVAL_MS } : {}),
        ),
        SubscriptionIndexModule,
        FanoutModule,
        SendingModule,
        RetentionModule,
      ],
    };
  }
}
