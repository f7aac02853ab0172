import { Kafka, type KafkaConfig, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { Logger } from '@hookstream/platform';
import { type KafkaSecurity, PLAINTEXT } from './kafka.options.js';
import { isCoordinatorStarting } from './failure-class.js';
import { fixKafkajsRequestQueue } from './request-queue-fix.js';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs warnings that describe a choice we made, not a problem, logged at debug so a WARN
 * always needs someone's attention:
 * - the producer's retries are bounded (a send fails after them instead of hanging while Kafka
 *   is down); a send retried by its caller may then duplicate, which every consumer here
 *   tolerates (idempotent handlers, derived ids): we never relied on exactly-once;
 * - a group coordinator not serving yet (a broker that just started, the first `npm start`):
 *   kafkajs retries the request, or restarts the consumer (its `Crash:` line), and a consumer
 *   that then fails for good is logged by the consumer host anyway.
 */
const EXPECTED = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

function expected(message: string, rest: Record<string, unknown>): boolean {
  return EXPECTED.has(message) || isCoordinatorStarting(rest['error']) || (message.startsWith('Crash: ') && isCoordinatorStarting(message));
}

function saslOptions({ mechanism, username, password }: NonNullable<KafkaSecurity['sasl']>): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

/** Our security settings as kafkajs takes them: TLS verifies the broker's name and chain always. */
function securityConfig(security: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const { tls, sasl } = security;
  return {
    ...(tls ? { ssl: { rejectUnauthorized: true, ...(tls.ca ? { ca: [tls.ca] } : {}), ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}) } } : {}),
    ...(sasl ? { sasl: saslOptions(sasl) } : {}),
  };
}

export function createKafka(clientId: string, brokers: string[], logger: Logger, security: KafkaSecurity = PLAINTEXT): Kafka {
  fixKafkajsRequestQueue();
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
    ...securityConfig(security),
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[expected(message, rest) ? 'debug' : (LEVELS[level] ?? 'info')](rest, message);
      },
  });
}
