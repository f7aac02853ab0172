export { HookstreamPublisher, type PublisherOptions } from './publisher.js';
export type { EventMap, EventOf } from './envelope.js';
export type { BatchResult, PublishResult, PublishStatus } from './transport.js';
export type { KafkaTransportOptions } from './kafka-transport.js';
export type { HttpTransportOptions } from './http-transport.js';
export { HookstreamPublishError, HookstreamValidationError } from './errors.js';
export { EventIdGenerator, eventIdTime } from './ids.js';
