import { Test, type TestingModule } from '@nestjs/testing';
import { DbModule } from '@hookstream/db';
import { KafkaModule } from '@hookstream/kafka';
import { loadConfig, PlatformModule, RedisClient } from '@hookstream/platform';
import type { TestStack } from '@hookstream/testing';
import { pino } from 'pino';
import { gatewayConfigSchema } from '../src/config.js';
import { DedupStore } from '../src/events/dedup.store.js';
import { EventsRepository } from '../src/events/events.repository.js';
import { IntakeService } from '../src/events/intake.service.js';

export interface IntakeHarness {
  module: TestingModule;
  service: IntakeService;
  redis: RedisClient;
}

/** The gateway's intake (dedup, persist, publish) in-process against a test stack, producer connected. */
export async function startIntake(stack: TestStack, env: Record<string, string> = {}): Promise<IntakeHarness> {
  const config = loadConfig(gatewayConfigSchema, { ...stack.env(), PORT: '0', LOG_LEVEL: 'error', ...env });
  const module = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({ service: 'intake-test', config, logger: pino({ level: 'silent' }), redis: true }),
      DbModule.forRoot({ url: config.DATABASE_URL, poolSize: 2, maxAgeSeconds: config.DATABASE_CONNECTION_MAX_AGE_S, applicationName: 'intake-test' }),
      KafkaModule.forRoot({ clientId: 'intake-test', brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, consumes: [] }),
    ],
    providers: [DedupStore, EventsRepository, IntakeService],
  }).compile();
  await module.init();
  return { module, service: module.get(IntakeService), redis: module.get(RedisClient) };
}
