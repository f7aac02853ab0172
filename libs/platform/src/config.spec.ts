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
