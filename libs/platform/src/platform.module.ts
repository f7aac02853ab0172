import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { ADMIN_KEY, ApiKeyGuard } from './auth.js';
import { APP_CONFIG, type BaseConfig } from './config.js';
import { DomainErrorFilter } from './error-filter.js';
import { HealthController, HealthRegistry } from './health.js';
import { type Logger, LOGGER } from './logger.js';
import { Metrics, MetricsController } from './metrics.js';
import { OpenApiDocument, PUBLIC_API_DOCUMENT, RATE_LIMITED_WRITES, SERVICE_NAME } from './openapi.js';
import { OpenApiController } from './openapi.controller.js';
import { KeyUsage } from './key-usage.js';
import { RedisClient } from './redis.js';

export interface PlatformOptions {
  /** Names the service in its OpenAPI document. */
  service: string;
  config: BaseConfig;
  logger: Logger;
  /** Services that keep state in Redis get a client whose health gates readiness. */
  redis?: boolean;
  /** The whole API's document (docs/openapi.json), served and drawn at /docs by the service that fronts the API. */
  publicApiDocument?: Record<string, unknown>;
  /** Every authenticated write may answer 429: documented so (the registry's config_writes_per_minute). */
  rateLimitedWrites?: boolean;
}

/**
 * Config, logging, metrics, health, the auth guard and the error filter: the plumbing every
 * service shares. Global so feature modules inject these without re-importing.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: options.config },
      { provide: LOGGER, useValue: options.logger },
      { provide: ADMIN_KEY, useValue: options.config.ADMIN_API_KEY ?? null },
      Metrics,
      HealthRegistry,
      KeyUsage,
      OpenApiDocument,
      { provide: SERVICE_NAME, useValue: options.service },
      { provide: PUBLIC_API_DOCUMENT, useValue: options.publicApiDocument ?? null },
      { provide: RATE_LIMITED_WRITES, useValue: options.rateLimitedWrites ?? false },
      { provide: APP_GUARD, useClass: ApiKeyGuard },
      { provide: APP_FILTER, useClass: DomainErrorFilter },
    ];
    if (options.redis) providers.push(RedisClient);
    return {
      module: PlatformModule,
      imports: [DiscoveryModule],
      controllers: [HealthController, MetricsController, OpenApiController],
      providers,
      exports: [APP_CONFIG, LOGGER, ADMIN_KEY, Metrics, HealthRegistry, KeyUsage, ...(options.redis ? [RedisClient] : [])],
    };
  }
}
