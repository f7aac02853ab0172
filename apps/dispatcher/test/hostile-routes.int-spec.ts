import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertNoServerErrors, createTestStack, PLATFORM_ROUTES, type ServiceProcess, type TestStack } from '@hookstream/testing';
import { startDispatcher } from './harness.js';

/** Property: the dispatcher's HTTP routes (health, metrics, docs, unknown paths) never answer 5xx to hostile input. */
describe('dispatcher under hostile HTTP input', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;

  beforeAll(async () => {
    stack = await createTestStack('hostiledisp');
    dispatcher = await startDispatcher(stack);
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await stack?.close();
  });

  it('never answers 5xx on any route', async () => {
    const seen = await assertNoServerErrors(PLATFORM_ROUTES, { url: dispatcher.url, headers: { authorization: `Bearer ${stack.adminKey}` }, params: {}, bodyLimit: 1024 * 1024 }, { numRuns: 400, seed: 2026131 });
    expect([...seen.keys()]).toEqual(expect.arrayContaining([200, 404, 422]));
  }, 60_000);
});
