import { describe, expect, it } from '@jest/globals';
import { Metrics } from '@hookstream/platform';
import { pino } from 'pino';
import { dispatcherConfigSchema } from '../config.js';
import { Breakers, HostFailure } from './breakers.js';

/** A tenant's view of an origin. */
const at = (origin: string, tenant = 'tenant-a') => ({ tenant, origin });

describe('Breakers', () => {
  const config = dispatcherConfigSchema.parse({ CHANGELOG_SECRETS_KEYS: `c1:${Buffer.alloc(32, 7).toString('base64')}`, PORT: '0', BREAKER_VOLUME_THRESHOLD: '3', BREAKER_ERROR_THRESHOLD_PERCENT: '50', BREAKER_RESET_TIMEOUT_MS: '60000', BREAKER_MAX_HOSTS: '2' });
  const make = () => new Breakers(config, pino({ level: 'silent' }), new Metrics());

  it('opens per origin after enough failures, then refuses without calling, naming when to retry', async () => {
    const breakers = make();
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new HostFailure('503'));
    };
    for (let i = 0; i < 3; i++) expect(await breakers.run(at('https://down.example'), failing)).toEqual({ ran: true, value: '503' });
    expect(breakers.state(at('https://down.example'))).toBe('open');
    const before = Date.now();
    const refused = await breakers.run(at('https://down.example'), failing);
    expect(calls).toBe(3);
    expect(refused.ran).toBe(false);
    if (!refused.ran) {
      // Between the half-open moment and one reset period after it, so a backlog returns spread out.
      expect(refused.retryAt.getTime()).toBeGreaterThanOrEqual(before + 59_000);
      expect(refused.retryAt.getTime()).toBeLessThanOrEqual(before + 120_000);
      const spread = new Set<number>();
      for (let i = 0; i < 20; i++) {
        const again = await breakers.run(at('https://down.example'), failing);
        if (!again.ran) spread.add(Math.floor(again.retryAt.getTime() / 1000));
      }
      expect(spread.size).toBeGreaterThan(5);
    }
    // Another origin is unaffected.
    expect(await breakers.run(at('https://up.example'), () => Promise.resolve('ok'))).toEqual({ ran: true, value: 'ok' });
    breakers.onModuleDestroy();
  });

  it('never lets one tenant open the breaker another tenant sends through, even on the same origin', async () => {
    const breakers = make();
    for (let i = 0; i < 3; i++) await breakers.run(at('https://shared.example', 'tenant-a'), () => Promise.reject(new HostFailure('timeout')));
    expect(breakers.gate(at('https://shared.example', 'tenant-a')).kind).toBe('postpone');
    expect(breakers.state(at('https://shared.example', 'tenant-b'))).toBe('closed');
    expect(breakers.gate(at('https://shared.example', 'tenant-b'))).toEqual({ kind: 'go' });
    expect(await breakers.run(at('https://shared.example', 'tenant-b'), () => Promise.resolve('ok'))).toEqual({ ran: true, value: 'ok' });
    breakers.onModuleDestroy();
  });

  it('keeps at most BREAKER_MAX_HOSTS breakers, dropping the least recently used', async () => {
    const breakers = make();
    const fail = () => Promise.reject(new HostFailure('x'));
    for (let i = 0; i < 3; i++) await breakers.run(at('https://a.example'), fail);
    expect(breakers.state(at('https://a.example'))).toBe('open');
    await breakers.run(at('https://b.example'), () => Promise.resolve(1));
    await breakers.run(at('https://c.example'), () => Promise.resolve(1));
    expect(breakers.state(at('https://a.example'))).toBe('closed');
    breakers.onModuleDestroy();
  });

  it('tells listeners when it forgets a breaker that was not closed, so work parked on it wakes', async () => {
    const breakers = make();
    const seen: string[] = [];
    breakers.onChange((scope, state) => seen.push(`${scope.origin} ${state}`));
    for (let i = 0; i < 3; i++) await breakers.run(at('https://a.example'), () => Promise.reject(new HostFailure('x')));
    await breakers.run(at('https://b.example'), () => Promise.resolve(1));
    await breakers.run(at('https://c.example'), () => Promise.resolve(1));
    await breakers.run(at('https://d.example'), () => Promise.resolve(1));
    // a was open when dropped; b was closed, and nobody waits on a closed breaker.
    expect(seen).toEqual(['https://a.example open', 'https://a.example closed']);
    breakers.onModuleDestroy();
  });

  it('gates attempts: postponed while open, waiting while the half-open trial runs, and tells listeners', async () => {
    const quick = new Breakers(dispatcherConfigSchema.parse({ CHANGELOG_SECRETS_KEYS: `c1:${Buffer.alloc(32, 7).toString('base64')}`, PORT: '0', BREAKER_VOLUME_THRESHOLD: '2', BREAKER_RESET_TIMEOUT_MS: '100' }), pino({ level: 'silent' }), new Metrics());
    const seen: string[] = [];
    quick.onChange((scope, state) => seen.push(`${scope.origin} ${state}`));
    const origin = at('https://flaky.example');
    expect(quick.gate(origin)).toEqual({ kind: 'go' });
    for (let i = 0; i < 2; i++) await quick.run(origin, () => Promise.reject(new HostFailure('500')));
    const gate = quick.gate(origin);
    expect(gate.kind).toBe('postpone');
    await new Promise((r) => setTimeout(r, 150));
    expect(quick.state(origin)).toBe('half_open');
    expect(quick.gate(origin)).toEqual({ kind: 'go' });
    let release!: () => void;
    const trial = quick.run(origin, () => new Promise<string>((r) => (release = () => r('200'))));
    // One trial at a time: the rest wait for its verdict instead of being postponed to "now".
    expect(quick.gate(origin)).toEqual({ kind: 'wait' });
    release();
    await trial;
    expect(quick.gate(origin)).toEqual({ kind: 'go' });
    expect(seen).toEqual(['https://flaky.example open', 'https://flaky.example half_open', 'https://flaky.example closed']);
    quick.onModuleDestroy();
  });

  it('passes through errors that are not attempt results', async () => {
    const breakers = make();
    await expect(breakers.run(at('https://x.example'), () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
    breakers.onModuleDestroy();
  });
});
