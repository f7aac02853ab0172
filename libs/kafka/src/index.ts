export * from './kafka.options.js';
export * from './kafka.client.js';
export * from './consumer.decorator.js';
export * from './batch-handler.js';
export * from './producer.service.js';
export * from './consumer-host.service.js';
export * from './topics.js';
export * from './kafka.module.js';
