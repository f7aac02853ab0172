import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@hookstream/platform';
import { registryConfigSchema } from './config.js';

describe('registry configuration', () => {
  // The two keyrings every registry needs; tests of other variables give them valid values.
  const KEYS = { SUBSCRIPTION_SECRETS_KEYS: `r1:${randomBytes(32).toString('base64')}`, CHANGELOG_SECRETS_KEYS: `c1:${randomBytes(32).toString('base64')}` };
  const load = (env: Record<string, string>) => loadConfig(registryConfigSchema, { ...KEYS, ...env });
  const problems = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.join('\n');
      throw err;
    }
    return '';
  };

  it('does not start without both signing-secret keyrings, naming each, and never echoes a key', () => {
    let missing = '';
    try {
      loadConfig(registryConfigSchema, {});
    } catch (err) {
      if (err instanceof ConfigError) missing = err.problems.join('\n');
    }
    expect(missing).toMatch(/^SUBSCRIPTION_SECRETS_KEYS: required/m);
    expect(missing).toMatch(/^CHANGELOG_SECRETS_KEYS: required/m);
    const short = `k1:${randomBytes(16).toString('base64')}`;
    const bad = problems({ SUBSCRIPTION_SECRETS_KEYS: short });
    expect(bad).toMatch(/^SUBSCRIPTION_SECRETS_KEYS: key k1 is 16 bytes; AES-256 needs 32/m);
    expect(bad).not.toContain(short.slice(3));
  });

  it('reads the egress proxies, and refuses unusable ones naming the variable', () => {
    const c = load({ EGRESS_PROXY_URL: 'http://egress:pw@proxy.internal:3128', EGRESS_PROXIES: 'eu=http://proxy-eu:3128, us-east=http://proxy-us:8080' });
    expect(c.EGRESS_PROXY_URL).toEqual({ host: 'proxy.internal', port: 3128, authorization: `Basic ${Buffer.from('egress:pw').toString('base64')}` });
    expect([...c.EGRESS_PROXIES.keys()]).toEqual(['eu', 'us-east']);
    expect(load({}).EGRESS_PROXIES.size).toBe(0);
    expect(problems({ EGRESS_PROXY_URL: 'https://proxy.internal:3128' })).toMatch(/^EGRESS_PROXY_URL: must be an http:\/\/ proxy URL/m);
    expect(problems({ EGRESS_PROXIES: 'EU=http://p:1' })).toMatch(/^EGRESS_PROXIES: "EU=http:\/\/p:1" is not name=http:\/\/host:port/m);
    expect(problems({ EGRESS_PROXIES: 'eu=socks5://p:1' })).toMatch(/^EGRESS_PROXIES: eu: must be an http:\/\/ proxy URL/m);
  });

  it('auto-disables after 5 days unless told otherwise', () => {
    expect(load({}).AUTO_DISABLE_AFTER).toBe(5 * 86_400_000);
    expect(load({ AUTO_DISABLE_AFTER: '36h' }).AUTO_DISABLE_AFTER).toBe(36 * 3_600_000);
    expect(load({ AUTO_DISABLE_AFTER: '2s' }).AUTO_DISABLE_AFTER).toBe(2000);
    expect(load({ AUTO_DISABLE_AFTER: '500ms' }).AUTO_DISABLE_AFTER).toBe(500);
  });

  it.each(['soon', '0s', '5d,6d', '-1d', '5 days'])('refuses AUTO_DISABLE_AFTER=%j, naming it', (value) => {
    expect(problems({ AUTO_DISABLE_AFTER: value })).toMatch(/^AUTO_DISABLE_AFTER: must be one positive duration/m);
  });

  it('refuses fault injection in production', () => {
    expect(load({ FAULT_INJECTION: 'crash-after-disable', NODE_ENV: 'test' }).FAULT_INJECTION).toBe('crash-after-disable');
    expect(problems({ FAULT_INJECTION: 'crash-after-disable', NODE_ENV: 'production' })).toMatch(/^FAULT_INJECTION: fault injection is refused/m);
  });
});
