import { type DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@hookstream/db';
import { KafkaModule, serviceKafkaOptions } from '@hookstream/kafka';
import { type Logger, PlatformModule } from '@hookstream/platform';
import type { SchedulerConfig } from './config.js';
import { RetriesModule } from './retries/retries.module.js';

@Module({})
export class AppModule {
  static forRoot(config: SchedulerConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'retry-scheduler', config, logger }),
        DbModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: 'retry-scheduler' }),
        KafkaModule.forRoot(serviceKafkaOptions('retry-scheduler', config)),
        RetriesModule,
      ],
    };
  }
}
