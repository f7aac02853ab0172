import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { z } from 'zod';
import { BodyParsingInterceptor } from './body-parsing.js';
import { type BaseConfig, ConfigError, loadConfig } from './config.js';
import { HealthRegistry } from './health.js';
import { InputInterceptor } from './input-guard.js';
import { instrumentHttp } from './http-metrics.js';
import { createLogger, type Logger, PinoNestLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { startTelemetry } from './telemetry.js';

export interface ServiceDefinition<C extends BaseConfig> {
  name: string;
  schema: z.ZodType<C>;
  /** Builds the root module from the validated config, so modules never read process.env. */
  module: (config: C, logger: Logger) => Type<unknown> | import('@nestjs/common').DynamicModule;
  /** Largest request body an authenticated route accepts, in bytes (read only after its key is checked). */
  bodyLimit?: (config: C) => number;
  /** Smaller limits some authenticated routes keep to, by the name their @BodyLimit gives. */
  namedBodyLimits?: (config: C) => Readonly<Record<string, number>>;
  /** Largest body a public route (no API key) reads; 0 by default: health, metrics and docs take none. */
  publicBodyLimit?: (config: C) => number;
  /**
   * Keep the exact bytes of JSON and form bodies as `req.rawBody` (Nest's RawBodyRequest), for
   * routes that verify a signature over them. Off by default: it holds each body twice.
   */
  rawBody?: boolean;
}

/**
 * Boots one service: config first (a bad variable stops the process naming it), then
 * OpenTelemetry, then Nest, then HTTP. SIGTERM marks the service not-ready, lets Nest run every shutdown hook (consumers
 * stop fetching, finish their batch and commit), and exits; a hard timeout guards a hung hook.
 */
export async function runService<C extends BaseConfig>(def: ServiceDefinition<C>): Promise<INestApplication> {
  let config: C;
  try {
    config = loadConfig(def.schema);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${def.name}: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(def.name, config.LOG_LEVEL);
  const telemetry = startTelemetry(def.name, config);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  // kafkajs 2.2.4 computes a negative timer on Node 24 (harmless, clamped to 1 ms); keep other warnings.
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'TimeoutNegativeWarning') logger.warn({ warning: w.name }, w.message);
  });

  const app = await NestFactory.create<NestExpressApplication>(def.module(config, logger), {
    logger: new PinoNestLogger(logger),
    // Bodies are read after authentication, by the interceptor below, never by a global parser.
    bodyParser: false,
  });
  instrumentHttp(app, app.get(Metrics));
  // In this order: the body is read once the guard has checked the key, then checked for what
  // Postgres or JSON.parse would refuse or change, before any handler sees it.
  app.useGlobalInterceptors(
    new BodyParsingInterceptor(app.get(Reflector), {
      authenticated: def.bodyLimit?.(config) ?? 1024 * 1024,
      public: def.publicBodyLimit?.(config) ?? 0,
      named: def.namedBodyLimits?.(config) ?? {},
      rawBody: def.rawBody ?? false,
    }),
    new InputInterceptor(app.get(Reflector)),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.get(HealthRegistry).markDraining();
    const hard = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    hard.unref();
    app
      .close()
      .then(() => telemetry.shutdown().catch((err: unknown) => logger.warn({ err }, 'could not flush spans')))
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  await app.listen(config.PORT, config.HOST);
  const url = await app.getUrl();
  logger.info({ url: url.replace('[::1]', 'localhost') }, `${def.name} listening`);
  return app;
}
