import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@hookstream/platform';
import { registryConfigSchema } from './config.js';

describe('registry configuration', () => {
  const load = (env: Record<string, string>) => loadConfig(registryConfigSchema, env);
  const problems = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.join('\n');
      throw err;
    }
    return '';
  };

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
