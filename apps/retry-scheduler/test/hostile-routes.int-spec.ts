import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertNoServerErrors, createTestStack, freePort, PLATFORM_ROUTES, ServiceProcess, type TestStack } from '@hookstream/testing';

/** Property: the retry-scheduler's HTTP routes (health, metrics, docs, unknown paths) never answer 5xx to hostile input. */
describe('retry-scheduler under hostile HTTP input', () => {
  let stack: TestStack;
  let scheduler: ServiceProcess;

  beforeAll(async () => {
    stack = await createTestStack('hostileretry');
    scheduler = new ServiceProcess('retry-scheduler', await freePort(), stack.env());
    scheduler.start();
    await scheduler.waitReady();
  }, 120_000);

  afterAll(async () => {
    await scheduler?.stop();
    await stack?.close();
  });

  it('never answers 5xx on any route', async () => {
    const seen = await assertNoServerErrors(PLATFORM_ROUTES, { url: scheduler.url, headers: { authorization: `Bearer ${stack.adminKey}` }, params: {}, bodyLimit: 1024 * 1024 }, { numRuns: 400, seed: 2026141 });
    expect([...seen.keys()]).toEqual(expect.arrayContaining([200, 404, 422]));
  }, 60_000);
});
