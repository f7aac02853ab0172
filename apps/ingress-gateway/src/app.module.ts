import { readFileSync } from 'node:fs';
import { type DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@hookstream/db';
import { KafkaModule, serviceKafkaOptions } from '@hookstream/kafka';
import { type Logger, PlatformModule } from '@hookstream/platform';
import type { GatewayConfig } from './config.js';
import { EventsModule } from './events/events.module.js';
import { IncomingModule } from './incoming/incoming.module.js';

/**
 * The whole API's document, as committed (docs/openapi.json, which `npm test` holds against the
 * code): the gateway fronts the API, so its /docs draws all of it. Read once at boot; the image
 * carries the file at the same place relative to this module.
 */
function publicApiDocument(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'ingress-gateway', config, logger, redis: true, publicApiDocument: publicApiDocument() }),
        DbModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: 'ingress-gateway' }),
        KafkaModule.forRoot(serviceKafkaOptions('ingress-gateway', config)),
        EventsModule,
        IncomingModule,
      ],
    };
  }
}
