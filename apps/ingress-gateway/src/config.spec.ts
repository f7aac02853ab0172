import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@hookstream/platform';
import { gatewayConfigSchema } from './config.js';

const problems = (env: Record<string, string>): string => {
  try {
    loadConfig(gatewayConfigSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  return '';
};

describe('gateway config', () => {
  it('reads the keyring and trusted proxies, with callbacks off-limits to X-Forwarded-For by default', () => {
    const key = randomBytes(32).toString('base64');
    const config = loadConfig(gatewayConfigSchema, { INTEGRATION_SECRETS_KEYS: `new:${key},old:${randomBytes(32).toString('base64')}`, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' });
    expect(config.INTEGRATION_SECRETS_KEYS?.map((k) => k.id)).toEqual(['new', 'old']);
    expect(config.TRUST_PROXY).toHaveLength(2);
    const defaults = loadConfig(gatewayConfigSchema, {});
    expect(defaults.INTEGRATION_SECRETS_KEYS).toBeNull();
    expect(defaults.TRUST_PROXY).toEqual([]);
    expect(defaults.MAX_EVENT_BYTES_CEILING).toBe(1024 * 1024);
  });

  it('stops on a bad key, proxy or limit, naming the variable and never echoing key material', () => {
    const shortKey = randomBytes(16).toString('base64');
    const found = problems({ INTEGRATION_SECRETS_KEYS: `k1:${shortKey}`, TRUST_PROXY: '10.0.0.0/40' });
    expect(found).toMatch(/^INTEGRATION_SECRETS_KEYS: key k1 is 16 bytes; AES-256 needs 32/m);
    expect(found).toMatch(/^TRUST_PROXY: "10.0.0.0\/40" is not an IP address or CIDR range/m);
    expect(found).not.toContain(shortKey);
    // Checked once every variable parses on its own.
    expect(problems({ MAX_EVENT_BYTES: '2000000', MAX_EVENT_BYTES_CEILING: '1048576' })).toBe('MAX_EVENT_BYTES: must not exceed MAX_EVENT_BYTES_CEILING');
    expect(problems({ INTEGRATION_SECRETS_KEYS: 'no-colon-here' })).toMatch(/^INTEGRATION_SECRETS_KEYS: entry 1 is not id:base64key/m);
  });
});
