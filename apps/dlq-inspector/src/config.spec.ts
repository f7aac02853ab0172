import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@hookstream/platform';
import { inspectorConfigSchema } from './config.js';

describe('dlq-inspector configuration', () => {
  it('replays gently by default, and bounds what a job may ask for', () => {
    const config = loadConfig(inspectorConfigSchema, {});
    expect(config).toMatchObject({
      PORT: 3004,
      REPLAY_DEFAULT_RATE_PER_SECOND: 10,
      REPLAY_MAX_RATE_PER_SECOND: 1000,
      REPLAY_JOB_MAX_LETTERS: 200_000,
      REPLAY_JOBS_PER_REPLICA: 2,
      REPLAY_JOB_LEASE_MS: 30_000,
      REPLAY_IN_FLIGHT_TIMEOUT_MS: 120_000,
    });
  });

  it('names the variable that is wrong', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(inspectorConfigSchema, env);
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
      return [];
    };
    expect(problems({ REPLAY_DEFAULT_RATE_PER_SECOND: '50', REPLAY_MAX_RATE_PER_SECOND: '20' })).toEqual(['REPLAY_DEFAULT_RATE_PER_SECOND: must not exceed REPLAY_MAX_RATE_PER_SECOND']);
    expect(problems({ REPLAY_JOB_LEASE_MS: '10' })[0]).toMatch(/^REPLAY_JOB_LEASE_MS: /);
    expect(problems({ REPLAY_IN_FLIGHT_TIMEOUT_MS: 'soon' })[0]).toMatch(/^REPLAY_IN_FLIGHT_TIMEOUT_MS: /);
  });
});
