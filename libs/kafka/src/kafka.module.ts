import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HealthRegistry, type Logger, LOGGER } from '@hookstream/platform';
import type { Kafka } from 'kafkajs';
import { ConsumerHost } from './consumer-host.service.js';
import { createKafka, KAFKA_CLIENT } from './kafka.client.js';
import { KAFKA_OPTIONS, type KafkaModuleOptions } from './kafka.options.js';
import { KafkaProducer } from './producer.service.js';

/** The Kafka client, the idempotent producer and the batch-consumer host for one service. */
@Global()
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    return {
      module: KafkaModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: KAFKA_OPTIONS, useValue: options },
        {
          provide: KAFKA_CLIENT,
          inject: [LOGGER, HealthRegistry],
          useFactory: (logger: Logger, health: HealthRegistry): Kafka => {
            const kafka = createKafka(options.clientId, options.brokers, logger, options.security);
            const admin = kafka.admin();
            let connected: Promise<void> | null = null;
            health.register('kafka', async () => {
              connected ??= admin.connect().catch((err: unknown) => {
                connected = null;
                throw err;
              });
              await connected;
              await admin.describeCluster();
            });
            return kafka;
          },
        },
        KafkaProducer,
        ConsumerHost,
      ],
      exports: [KAFKA_CLIENT, KAFKA_OPTIONS, KafkaProducer, ConsumerHost],
    };
  }
}
