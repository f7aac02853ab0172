import { describe, expect, it } from '@jest/globals';
import { HookstreamValidationError } from './errors.js';
import { HookstreamPublisher } from './publisher.js';

/** The Kafka options are checked when the publisher is made: nothing connects until the first publish. */
function problems(options: Record<string, unknown>): string[] {
  try {
    new HookstreamPublisher({ brokers: ['127.0.0.1:9092'], tenantId: 'acme', ...options });
    return [];
  } catch (err) {
    if (!(err instanceof HookstreamValidationError)) throw err;
    return err.errors.map((e) => e.path);
  }
}

describe('KafkaTransport options', () => {
  it('takes TLS, SASL and timeouts in its own terms', () => {
    const sasl = { mechanism: 'scram-sha-512', username: 'publisher', password: 'p' };
    expect(problems({ tls: { ca: '-----BEGIN CERTIFICATE-----' }, sasl, connectionTimeoutMs: 5000, requestTimeoutMs: 60_000 })).toEqual([]);
    expect(problems({ tls: {} })).toEqual([]);
  });

  it('refuses SASL over a plain connection, half a client certificate and bad timeouts, naming each', () => {
    expect(problems({ sasl: { mechanism: 'plain', username: 'u', password: 'p' } })).toEqual(['sasl']);
    expect(problems({ tls: {}, sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } })).toEqual(['sasl']);
    expect(problems({ tls: {}, sasl: { mechanism: 'plain', username: '', password: 'p' } })).toEqual(['sasl']);
    expect(problems({ tls: { cert: 'c' } })).toEqual(['tls']);
    expect(problems({ connectionTimeoutMs: 0, requestTimeoutMs: 2 ** 31 })).toEqual(['connectionTimeoutMs', 'requestTimeoutMs']);
    expect(problems({ connectionTimeoutMs: 1.5 })).toEqual(['connectionTimeoutMs']);
  });

  it('refuses brokers that are not host:port', () => {
    expect(problems({ brokers: [] })).toEqual(['brokers']);
    expect(problems({ brokers: ['kafka'] })).toEqual(['brokers']);
    expect(problems({ brokers: ['kafka:9092\u0000'] })).toEqual(['brokers']);
    expect(problems({ brokers: ['kafka-0.kafka:9092', '10.0.0.7:9093'] })).toEqual([]);
  });
});
