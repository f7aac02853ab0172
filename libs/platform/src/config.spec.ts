import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { baseConfigSchema, ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  const schema = baseConfigSchema.extend({});

  it('applies defaults and parses lists and numbers', () => {
    const config = loadConfig(schema, { PORT: '3000', KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(config.PORT).toBe(3000);
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/hookstream');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('names every bad variable', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost', ADMIN_API_KEY: 'short' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^DATABASE_URL: must be a postgres:\/\/ URL/m);
    expect(problems).toMatch(/^KAFKA_BROKERS\.0: each broker must be host:port/m);
    expect(problems).toMatch(/^ADMIN_API_KEY: must be at least 24 characters/m);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig(schema, { PORT: '1', LOG_LEVEL: '' }).LOG_LEVEL).toBe('info');
  });
});

describe('Kafka security variables', () => {
  const schema = baseConfigSchema.extend({});
  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig(schema, { PORT: '1', ...env });
      return [];
    } catch (err) {
      return (err as ConfigError).problems;
    }
  };
  const dir = mkdtempSync(join(tmpdir(), 'kafka-config-'));
  const ca = join(dir, 'ca.crt');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const notPem = join(dir, 'ca.txt');
  writeFileSync(notPem, 'hello');

  it('reads SASL_SSL with SCRAM credentials and a CA file into the config', () => {
    const c = loadConfig(schema, { PORT: '1', KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'dispatcher', KAFKA_SASL_PASSWORD: 'pw', KAFKA_SSL_CA_FILE: ca });
    expect(c.KAFKA_SASL_MECHANISM).toBe('SCRAM-SHA-512');
    expect(c.KAFKA_SSL_CA_FILE).toContain('BEGIN CERTIFICATE');
  });

  it('refuses SASL without credentials, naming each variable', () => {
    expect(problems({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' })).toEqual([
      'KAFKA_SASL_USERNAME: required with KAFKA_SECURITY_PROTOCOL=SASL_SSL',
      'KAFKA_SASL_PASSWORD: required with KAFKA_SECURITY_PROTOCOL=SASL_SSL',
    ]);
  });

  it('refuses settings the protocol would ignore, and PLAIN passwords without TLS', () => {
    expect(problems({ KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD: 'y' })).toEqual(['KAFKA_SASL_USERNAME: set, but KAFKA_SECURITY_PROTOCOL=PLAINTEXT does not use SASL']);
    expect(problems({ KAFKA_SSL_CA_FILE: ca })).toEqual(['KAFKA_SSL_CA_FILE: set, but KAFKA_SECURITY_PROTOCOL=PLAINTEXT does not use TLS']);
    expect(problems({ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD: 'y' })).toEqual([
      'KAFKA_SASL_MECHANISM: PLAIN sends the password in clear; use it only with SASL_SSL',
    ]);
    expect(problems({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: ca })).toEqual(['KAFKA_SSL_KEY_FILE: a client certificate needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE']);
  });

  it('refuses principal names and passwords with control characters, spaces, commas or =', () => {
    const sasl = { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_PASSWORD: 'pw' };
    const bad = (user: string): string[] => problems({ ...sasl, KAFKA_SASL_USERNAME: user });
    const refused = ['KAFKA_SASL_USERNAME: must be 1-128 printable ASCII characters without spaces, commas or ='];
    for (const user of ['dis\u0000patcher', 'dis patcher', 'a,b', 'a=b', 'tab\there', 'é', 'x'.repeat(129)]) expect(bad(user)).toEqual(refused);
    expect(bad('hookstream-dispatcher.prod_1')).toEqual([]);
    expect(problems({ ...sasl, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p\u0000w' })).toEqual(['KAFKA_SASL_PASSWORD: must be 1-1024 characters without control characters']);
    expect(problems({ ...sasl, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'pässwörd with spaces' })).toEqual([]);
  });

  it('names a CA file that is missing or holds no certificate', () => {
    expect(problems({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: join(dir, 'absent.crt') })).toEqual([`KAFKA_SSL_CA_FILE: cannot read ${join(dir, 'absent.crt')}: ENOENT`]);
    expect(problems({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: notPem })).toEqual([`KAFKA_SSL_CA_FILE: ${notPem} holds no PEM certificate`]);
  });
});
