import { type DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@hookstream/db';
import { KafkaModule, serviceKafkaOptions } from '@hookstream/kafka';
import { type Logger, PlatformModule } from '@hookstream/platform';
import type { InspectorConfig } from './config.js';
import { DeadLettersModule } from './dead-letters/dead-letters.module.js';
import { DeliveriesModule } from './deliveries/deliveries.module.js';
import { EndpointHealthReportModule } from './endpoint-health/endpoint-health-report.module.js';
import { QuarantineModule } from './quarantine/quarantine.module.js';
import { ReplayJobsModule } from './replay-jobs/replay-jobs.module.js';
import { SubscriptionFeedModule } from './subscription-feed/subscription-feed.module.js';

@Module({})
export class AppModule {
  static forRoot(config: InspectorConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'dlq-inspector', config, logger, redis: true }),
        DbModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: 'dlq-inspector' }),
        KafkaModule.forRoot(serviceKafkaOptions('dlq-inspector', config)),
        DeadLettersModule,
        ReplayJobsModule,
        DeliveriesModule,
        EndpointHealthReportModule,
        QuarantineModule,
        SubscriptionFeedModule,
      ],
    };
  }
}
