// The platform's Kafka, in its own types. The client library (kafkajs) stays behind this
// boundary: nothing here hands out its client, admin or message types. Test harnesses and the
// bench, which drive the broker directly, take the configured client from '@hookstream/kafka/kafkajs'.
export * from './kafka.options.js';
export * from './kafka-admin.js';
export * from './consumer.decorator.js';
export * from './batch-handler.js';
export * from './producer.service.js';
export * from './consumer-host.service.js';
export type { EnsureTopicsOptions } from './topics.js';
export * from './kafka.module.js';
export * from './failure-class.js';
export * from './quarantine-record.js';
export type { RawMessage } from './raw-message.js';
export * from './service-options.js';
