import { type DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@hookstream/db';
import { KafkaModule, serviceKafkaOptions } from '@hookstream/kafka';
import { type Logger, PlatformModule } from '@hookstream/platform';
import type { GatewayConfig } from './config.js';
import { EventsModule } from './events/events.module.js';
import { IncomingModule } from './incoming/incoming.module.js';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'ingress-gateway', config, logger, redis: true }),
        DbModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: 'ingress-gateway' }),
        KafkaModule.forRoot(serviceKafkaOptions('ingress-gateway', config)),
        EventsModule,
        IncomingModule,
      ],
    };
  }
}
