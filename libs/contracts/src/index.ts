export * from './topics.js';
export * from './envelope.js';
export * from './messages.js';
export * from './receiver-payload.js';
export * from './trace.js';
export * from './system-events.js';
export * from './dead-letter-api.js';
export * from './delivery-api.js';
