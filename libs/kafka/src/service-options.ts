import { KAFKA_ACCESS, type KafkaPrincipal, writableTopics } from '@hookstream/contracts';
import type { BaseConfig } from '@hookstream/platform';
import type { KafkaModuleOptions, KafkaSecurity } from './kafka.options.js';

/** The validated KAFKA_* variables as the client's security settings (files were read at boot). */
export function kafkaSecurity(config: BaseConfig): KafkaSecurity {
  const protocol = config.KAFKA_SECURITY_PROTOCOL;
  const tls = protocol.endsWith('SSL')
    ? { ...(config.KAFKA_SSL_CA_FILE ? { ca: config.KAFKA_SSL_CA_FILE } : {}), ...(config.KAFKA_SSL_CERT_FILE ? { cert: config.KAFKA_SSL_CERT_FILE } : {}), ...(config.KAFKA_SSL_KEY_FILE ? { key: config.KAFKA_SSL_KEY_FILE } : {}) }
    : null;
  const sasl = protocol.startsWith('SASL_')
    ? { mechanism: config.KAFKA_SASL_MECHANISM.toLowerCase() as 'scram-sha-512' | 'scram-sha-256' | 'plain', username: config.KAFKA_SASL_USERNAME ?? '', password: config.KAFKA_SASL_PASSWORD ?? '' }
    : null;
  return { tls, sasl };
}

/**
 * A service's Kafka module options: its client id, what it consumes and produces (KAFKA_ACCESS,
 * the table its broker ACLs come from), and the connection settings of its environment.
 */
export function serviceKafkaOptions(service: Exclude<KafkaPrincipal, 'publisher'>, config: BaseConfig, extra: Partial<KafkaModuleOptions> = {}): KafkaModuleOptions {
  return {
    clientId: service,
    brokers: config.KAFKA_BROKERS,
    security: kafkaSecurity(config),
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    commitIntervalMs: config.KAFKA_COMMIT_INTERVAL_MS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    consumes: KAFKA_ACCESS[service].consumes,
    produces: writableTopics(service),
    ...extra,
  };
}
