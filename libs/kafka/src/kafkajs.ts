// The kafkajs client configured as the services configure theirs (security, timeouts, logging),
// for test harnesses, the bench and the chaos suite, which produce and consume on the broker
// directly. Services never import this entry point (eslint's no-restricted-imports says so).
export { createKafka } from './kafka.client.js';
