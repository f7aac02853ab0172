export * from './wait.js';
export * from './receiver.js';
export * from './processes.js';
export * from './stack.js';
export * from './pipeline.js';
export * from './topic-collector.js';
export * from './ledger.js';
