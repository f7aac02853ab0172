import 'reflect-metadata';
import { type DynamicModule, Logger, type Provider, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { DbModule } from '@hookstream/db';
import { TOPIC_CONSUMER, type TopicConsumerOptions } from '@hookstream/kafka';
import { type BaseConfig, createLogger, loadConfig, PlatformModule, RedisClient } from '@hookstream/platform';
import type { z } from 'zod';
import { AppModule as DispatcherModule } from '../../../apps/dispatcher/src/app.module.js';
import { dispatcherConfigSchema } from '../../../apps/dispatcher/src/config.js';
import { AppModule as InspectorModule } from '../../../apps/dlq-inspector/src/app.module.js';
import { inspectorConfigSchema } from '../../../apps/dlq-inspector/src/config.js';
import { AppModule as GatewayModule } from '../../../apps/ingress-gateway/src/app.module.js';
import { gatewayConfigSchema } from '../../../apps/ingress-gateway/src/config.js';
import { AppModule as SchedulerModule } from '../../../apps/retry-scheduler/src/app.module.js';
import { schedulerConfigSchema } from '../../../apps/retry-scheduler/src/config.js';
import { AppModule as RegistryModule } from '../../../apps/subscription-registry/src/app.module.js';
import { registryConfigSchema } from '../../../apps/subscription-registry/src/config.js';
import type { ServiceName } from '@hookstream/testing';

/** What a service's own module tree says it needs from its environment. */
export interface ServiceWiring {
  config: BaseConfig;
  /** Keys its config schema reads; a variable outside these is a typo or a leftover. */
  knownVariables: ReadonlySet<string>;
  usesPostgres: boolean;
  usesRedis: boolean;
  /** Controllers beyond the platform's health, metrics and docs: an HTTP API behind the auth guard. */
  servesApi: boolean;
  /** Every @TopicConsumer class the service starts, as ConsumerHost discovers them. */
  consumers: TopicConsumerOptions[];
}

interface ServiceEntry {
  schema: z.ZodType<BaseConfig> & { shape: Record<string, unknown> };
  root: (config: BaseConfig) => DynamicModule;
}

const logger = createLogger('k8s-manifest-test', 'silent');
// Building the root modules registers TypeORM's default data source each time, and Nest warns.
Logger.overrideLogger(['error']);

// Each AppModule.forRoot takes its own config type; the config passed in is the one its schema produced.
const SERVICES: Record<ServiceName, ServiceEntry> = {
  'ingress-gateway': { schema: gatewayConfigSchema, root: (c) => GatewayModule.forRoot(c as z.infer<typeof gatewayConfigSchema>, logger) },
  'subscription-registry': { schema: registryConfigSchema, root: (c) => RegistryModule.forRoot(c as z.infer<typeof registryConfigSchema>, logger) },
  dispatcher: { schema: dispatcherConfigSchema, root: (c) => DispatcherModule.forRoot(c as z.infer<typeof dispatcherConfigSchema>, logger) },
  'retry-scheduler': { schema: schedulerConfigSchema, root: (c) => SchedulerModule.forRoot(c as z.infer<typeof schedulerConfigSchema>, logger) },
  'dlq-inspector': { schema: inspectorConfigSchema, root: (c) => InspectorModule.forRoot(c as z.infer<typeof inspectorConfigSchema>, logger) },
};

const PLATFORM_CONTROLLERS = new Set<unknown>(PlatformModule.forRoot({ service: 'x', config: {} as BaseConfig, logger }).controllers);

type ModuleRef = Type<unknown> | DynamicModule;

function isDynamic(m: ModuleRef): m is DynamicModule {
  return typeof m === 'object' && 'module' in m;
}

function metadata<T>(key: string, target: object): T[] {
  return (Reflect.getMetadata(key, target) as T[] | undefined) ?? [];
}

/** Walks the module tree the way Nest does: static @Module metadata plus dynamic module fields. */
function collect(root: DynamicModule): { modules: ModuleRef[]; providers: Provider[]; controllers: unknown[] } {
  const seen = new Set<unknown>();
  const modules: ModuleRef[] = [];
  const providers: Provider[] = [];
  const controllers: unknown[] = [];
  const visit = (m: ModuleRef | undefined) => {
    if (!m || seen.has(m)) return;
    seen.add(m);
    modules.push(m);
    const cls = isDynamic(m) ? m.module : m;
    providers.push(...metadata<Provider>(MODULE_METADATA.PROVIDERS, cls), ...(isDynamic(m) ? (m.providers ?? []) : []));
    controllers.push(...metadata<unknown>(MODULE_METADATA.CONTROLLERS, cls), ...(isDynamic(m) ? (m.controllers ?? []) : []));
    const imports = [...metadata<ModuleRef>(MODULE_METADATA.IMPORTS, cls), ...((isDynamic(m) ? (m.imports ?? []) : []) as ModuleRef[])];
    imports.forEach(visit);
  };
  visit(root);
  return { modules, providers, controllers };
}

/** Validates `env` with the service's own config schema (throws naming the variable) and reads its wiring. */
export function serviceWiring(service: ServiceName, env: Record<string, string>): ServiceWiring {
  const entry = SERVICES[service];
  const config = loadConfig(entry.schema, env);
  const { modules, providers, controllers } = collect(entry.root(config));
  const dynamic = modules.filter(isDynamic);
  const consumers = providers
    .filter((p): p is Type<unknown> => typeof p === 'function')
    .map((p) => Reflect.getMetadata(TOPIC_CONSUMER, p) as TopicConsumerOptions | undefined)
    .filter((o): o is TopicConsumerOptions => o !== undefined);
  return {
    config,
    knownVariables: new Set(Object.keys(entry.schema.shape)),
    usesPostgres: dynamic.some((m) => m.module === DbModule),
    usesRedis: providers.includes(RedisClient),
    servesApi: controllers.some((c) => !PLATFORM_CONTROLLERS.has(c)),
    consumers,
  };
}
