import { type DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@hookstream/db';
import { KafkaModule } from '@hookstream/kafka';
import { type Logger, PlatformModule } from '@hookstream/platform';
import type { InspectorConfig } from './config.js';
import { DeadLettersModule } from './dead-letters/dead-letters.module.js';
import { DeliveriesModule } from './deliveries/deliveries.module.js';
import { EndpointHealthReportModule } from './endpoint-health/endpoint-health-report.module.js';
import { QUARANTINE_TOPIC_KEYS } from './quarantine/quarantine.consumer.js';
import { QuarantineModule } from './quarantine/quarantine.module.js';
import { ReplayJobsModule } from './replay-jobs/replay-jobs.module.js';

@Module({})
export class AppModule {
  static forRoot(config: InspectorConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'dlq-inspector', config, logger, redis: true }),
        DbModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: 'dlq-inspector' }),
        KafkaModule.forRoot({ clientId: 'dlq-inspector', brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, commitIntervalMs: config.KAFKA_COMMIT_INTERVAL_MS, consumes: ['dlq', 'deliveryStatus', ...QUARANTINE_TOPIC_KEYS] }),
        DeadLettersModule,
        ReplayJobsModule,
        DeliveriesModule,
        EndpointHealthReportModule,
        QuarantineModule,
      ],
    };
  }
}
