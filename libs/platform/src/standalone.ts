/**
 * Config and logging for a process that runs no Nest, Kafka, Postgres or tracing: the web
 * console's server. The same validation (a bad value stops it, naming the variable) and the same
 * JSON log lines with the same redaction as the services, without loading what the main entry
 * brings (Nest, OpenTelemetry, TypeORM): that took the console's server from about 140 MB of RSS to
 * the figure docs/adr/0010-console-server.md gives.
 */
export { baseConfigSchema, ConfigError, loadConfig } from './config.js';
export { createLogger, type Logger } from './logger.js';
