import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, ServiceProcess, type TestStack, waitFor } from '@hookstream/testing';

/** The GitOps file applied at boot, against a real registry process and Postgres. */
describe('declarative configuration', () => {
  let stack: TestStack;
  const dir = mkdtempSync(join(tmpdir(), 'hookstream-decl-'));
  const file = join(dir, 'hookstream.yaml');

  const yaml = (erpHeader: string) => `
tenants:
  gitops-acme:
    name: Acme Inc
    strict_event_types: false
    event_types:
      - name: order.placed
        description: An order was placed
    subscriptions:
      - key: erp
        endpoint: https://erp.acme.example/hooks
        event_types: ["*"]
        excluded_events: [order.internal]
        # Postgres's jsonb stores these keys the other way round; applying again must see no change.
        filter:
          data.region: eu
          data.a: { $in: [1, 2] }
        headers:
          X-Api-Key: ${erpHeader}
      - key: audit
        url: https://audit.acme.example/in
        event_types: ["order.*"]
        enabled: false
`;

  async function boot(): Promise<ServiceProcess> {
    const registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), DECLARATIVE_CONFIG_FILE: file });
    registry.start();
    await registry.waitReady();
    return registry;
  }

  const rows = () =>
    stack.query<{ config_key: string; url: string; enabled: boolean; version: number; headers: Record<string, string>; excluded_event_types: string[]; filter: unknown; created_by: string }>(
      `SELECT config_key, url, enabled, version, headers, excluded_event_types, filter, created_by FROM subscriptions WHERE tenant_id = 'gitops-acme' ORDER BY config_key`,
    );

  beforeAll(async () => {
    stack = await createTestStack('declarative');
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await stack?.close();
  });

  it('creates what the file declares, changes nothing when applied again, and updates an edited entry in place', async () => {
    writeFileSync(file, yaml('first'));
    let registry = await boot();
    await registry.stop();
    const first = await rows();
    expect(first).toEqual([
      { config_key: 'audit', url: 'https://audit.acme.example/in', enabled: false, version: 2, headers: {}, excluded_event_types: [], filter: null, created_by: 'declarative-config' },
      { config_key: 'erp', url: 'https://erp.acme.example/hooks', enabled: true, version: 1, headers: { 'X-Api-Key': 'first' }, excluded_event_types: ['order.internal'], filter: { 'data.region': 'eu', 'data.a': { $in: [1, 2] } }, created_by: 'declarative-config' },
    ]);
    expect(await stack.query(`SELECT name, description FROM event_types WHERE tenant_id = 'gitops-acme'`)).toEqual([{ name: 'order.placed', description: 'An order was placed' }]);

    registry = await boot();
    await registry.stop();
    expect(await rows()).toEqual(first);

    writeFileSync(file, yaml('second'));
    registry = await boot();
    await registry.stop();
    const third = await rows();
    expect(third.find((r) => r.config_key === 'erp')).toMatchObject({ version: 2, headers: { 'X-Api-Key': 'second' } });
    expect(third.find((r) => r.config_key === 'audit')).toMatchObject({ version: 2 });
  });

  it('refuses to boot on an invalid file, naming the problem', async () => {
    writeFileSync(file, 'tenants:\n  bad-tenant:\n    name: Bad\n    subscriptions:\n      - key: x\n        url: https://10.0.0.1/hook\n        event_types: ["*"]\n        headers: { Host: evil }\n');
    const registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), DECLARATIVE_CONFIG_FILE: file });
    registry.start();
    const output = await waitFor(() => {
      const text = registry.output.join('\n');
      return text.includes('headers.Host') ? text : undefined;
    }, 30_000, 'the registry to report the invalid file');
    expect(output).toContain('DECLARATIVE_CONFIG_FILE');
    expect(await registry.stop()).not.toBe(0);
  });
});
