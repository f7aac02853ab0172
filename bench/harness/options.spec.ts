import { describe, expect, it } from '@jest/globals';
import { parseOptions, SIZES, UsageError } from './options.ts';

describe('parseOptions', () => {
  it('runs the full size with the services’ defaults unless told otherwise', () => {
    expect(parseOptions([], '/r')).toEqual({
      mode: 'full',
      sizes: SIZES.full,
      sendConcurrency: 256,
      receiverPorts: 4,
      bodyBytes: 512,
      cpuProf: false,
      resultsDir: '/r',
      only: [],
      stallMs: 60_000,
    });
  });

  it('reads every option', () => {
    const o = parseOptions(['--short', '--cpu-prof', '--results-dir', '/tmp/x', '--only', 'fanout, retry_path', '--send-concurrency', '64', '--receiver-ports', '1', '--body-bytes', '2048', '--stall-seconds', '30'], '/r');
    expect(o).toMatchObject({ mode: 'short', sizes: SIZES.short, cpuProf: true, resultsDir: '/tmp/x', only: ['fanout', 'retry_path'], sendConcurrency: 64, receiverPorts: 1, bodyBytes: 2048, stallMs: 30_000 });
  });

  it('refuses bad values, naming the option', () => {
    expect(() => parseOptions(['--send-concurrency', 'lots'], '/r')).toThrow(new UsageError('--send-concurrency must be a positive whole number, got "lots"'));
    expect(() => parseOptions(['--body-bytes', '20'], '/r')).toThrow(/--body-bytes must be at least 160/);
    expect(() => parseOptions(['--fast'], '/r')).toThrow(UsageError);
  });
});
