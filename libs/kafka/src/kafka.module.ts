import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HealthRegistry, type Logger, LOGGER } from '@hookstream/platform';
import type { Kafka } from 'kafkajs';
import { ConsumerHost } from './consumer-host.service.js';
import { KafkaAdmin } from './kafka-admin.js';
import { createKafka, KAFKA_CLIENT } from './kafka.client.js';
import { KAFKA_OPTIONS, type KafkaModuleOptions } from './kafka.options.js';
import { KafkaProducer } from './producer.service.js';

/**
 * The producer, the batch-consumer host and the admin for one service. The client library's
 * own client (KAFKA_CLIENT) is provided for those three and not exported.
 */
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
          inject: [LOGGER],
          useFactory: (logger: Logger): Kafka => createKafka(options.clientId, options.brokers, logger, options.security),
        },
        {
          provide: KafkaAdmin,
          inject: [LOGGER, HealthRegistry],
          useFactory: (logger: Logger, health: HealthRegistry): KafkaAdmin => {
            const admin = new KafkaAdmin({ clientId: options.clientId, brokers: options.brokers, logger, ...(options.security ? { security: options.security } : {}) });
            health.register('kafka', () => admin.ping());
            return admin;
          },
        },
        KafkaProducer,
        ConsumerHost,
      ],
      exports: [KafkaAdmin, KAFKA_OPTIONS, KafkaProducer, ConsumerHost],
    };
  }
}
