import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type DbService, migrate, SERVICE_DB_ROLES, serviceDatabaseUrl } from '@hookstream/db';
import { createTestStack, documentedOwnership, type TestStack } from '@hookstream/testing';

async function asRole<T>(stack: TestStack, service: DbService, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serviceDatabaseUrl(stack.databaseUrl, service) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE a statement fails with, or 'ok'. */
async function outcome(stack: TestStack, service: DbService, sql: string, params: unknown[] = []): Promise<string> {
  return asRole(stack, service, async (c) => {
    try {
      await c.query(sql, params);
      return 'ok';
    } catch (err) {
      return (err as { code?: string }).code ?? String(err);
    }
  });
}

describe('per-service Postgres roles (migration 0023)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await createTestStack('roles');
    await stack.query(`INSERT INTO tenants (id, name) VALUES ('t1', 't1')`);
    await stack.query(`INSERT INTO subscriptions (id, tenant_id, url, event_types, headers) VALUES (gen_random_uuid(), 't1', 'https://a.example/h', '{*}', '{"Authorization": "Bearer tenant-token"}')`);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("keeps api_keys from the dispatcher and subscriptions' writes from the gateway", async () => {
    expect(await outcome(stack, 'dispatcher', 'SELECT * FROM api_keys')).toBe('42501');
    expect(await outcome(stack, 'dispatcher', 'SELECT key_hash FROM api_keys')).toBe('42501');
    expect(await outcome(stack, 'ingress-gateway', `UPDATE subscriptions SET url = 'https://evil.example/' WHERE tenant_id = 't1'`)).toBe('42501');
    expect(await outcome(stack, 'ingress-gateway', `DELETE FROM subscriptions`)).toBe('42501');
    // What the gateway needs to verify a key, and nothing else of the row.
    expect(await outcome(stack, 'ingress-gateway', 'SELECT tenant_id, scope, scopes, key_hash, revoked_at, expires_at FROM api_keys')).toBe('ok');
    expect(await outcome(stack, 'ingress-gateway', 'SELECT name, created_by FROM api_keys')).toBe('42501');
    // Tenants put receiver credentials in subscription headers: the dlq-inspector names subscriptions without them.
    expect(await outcome(stack, 'dlq-inspector', 'SELECT id, enabled, disabled_reason FROM subscriptions')).toBe('ok');
    expect(await outcome(stack, 'dlq-inspector', 'SELECT headers FROM subscriptions')).toBe('42501');
    expect(await outcome(stack, 'retry-scheduler', 'SELECT * FROM subscription_secrets')).toBe('42501');
    expect(await outcome(stack, 'dispatcher', 'SELECT * FROM subscription_secrets')).toBe('42501');
  });

  it('lets each service write exactly the tables docs/architecture.md says it owns, and no service run DDL', async () => {
    const owners = documentedOwnership();
    expect([...owners.keys()].sort()).toEqual(Object.keys(SERVICE_DB_ROLES).sort());
    const tables = (
      await stack.query<{ t: string }>(
        `SELECT relname AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition AND relname <> 'schema_migrations'`,
      )
    ).map((r) => r.t);
    const writers = new Map<string, string[]>();
    const rows = await stack.query<{ t: string; role: string }>(
      `SELECT t, role FROM unnest($1::text[]) t, unnest($2::text[]) role
        WHERE has_table_privilege(role, t, 'INSERT') OR has_table_privilege(role, t, 'UPDATE') OR has_table_privilege(role, t, 'DELETE')`,
      [tables, Object.values(SERVICE_DB_ROLES)],
    );
    for (const r of rows) writers.set(r.t, [...(writers.get(r.t) ?? []), r.role]);
    const documented = new Map([...owners].flatMap(([service, ts]) => ts.map((t) => [t, [SERVICE_DB_ROLES[service]]] as const)));
    // Every table has exactly its documented owner as writer: a new table without grants fails here.
    expect(Object.fromEntries([...writers].map(([t, r]) => [t, r.sort()]))).toEqual(Object.fromEntries(tables.map((t) => [t, documented.get(t) ?? ['(undocumented)']])));
    for (const role of Object.values(SERVICE_DB_ROLES)) {
      const [can] = await stack.query<{ create: boolean; truncate: boolean; owns: number }>(
        `SELECT has_schema_privilege($1, 'public', 'CREATE') AS create,
                bool_or(has_table_privilege($1, t, 'TRUNCATE')) AS truncate,
                (SELECT count(*)::int FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)) AS owns
           FROM unnest($2::text[]) t`,
        [role, tables],
      );
      expect({ role, ...can }).toEqual({ role, create: false, truncate: false, owns: 0 });
    }
  });

  it("lets the gateway and the dispatcher manage only their own table's day partitions", async () => {
    expect(await outcome(stack, 'ingress-gateway', `SELECT hookstream_add_day_partition('events', '2031-01-02')`)).toBe('ok');
    expect(await outcome(stack, 'ingress-gateway', `INSERT INTO events_p20310102 (tenant_id, id, type, occurred_at, received_at, data, source) VALUES ('t1', 'e1', 'x', now(), '2031-01-02T10:00:00Z', '{}', 'http')`)).toBe('ok');
    expect(await outcome(stack, 'dispatcher', `SELECT hookstream_add_day_partition('events', '2031-01-03')`)).toBe('42501');
    expect(await outcome(stack, 'ingress-gateway', `SELECT hookstream_add_day_partition('delivery_attempts', '2031-01-03')`)).toBe('42501');
    expect(await outcome(stack, 'dispatcher', `SELECT hookstream_add_day_partition('delivery_attempts', '2031-01-03')`)).toBe('ok');
    // Names outside the day pattern never reach DDL, whatever they hold.
    expect(await outcome(stack, 'ingress-gateway', `SELECT hookstream_detach_day_partition('events', 'events_default')`)).toBe('42501');
    expect(await outcome(stack, 'ingress-gateway', `SELECT hookstream_drop_detached_day_table('events', 'subscriptions')`)).toBe('42501');
    expect(await outcome(stack, 'ingress-gateway', `SELECT hookstream_drop_detached_day_table('events', 'events_p20310102')`)).toBe('55000');
    expect(await outcome(stack, 'retry-scheduler', `SELECT hookstream_detach_day_partition('events', 'events_p20310102')`)).toBe('42501');
    expect(await outcome(stack, 'ingress-gateway', `BEGIN; SELECT hookstream_detach_day_partition('events', 'events_p20310102'); COMMIT`)).toBe('ok');
    expect(await outcome(stack, 'ingress-gateway', `SELECT hookstream_drop_detached_day_table('events', 'events_p20310102')`)).toBe('ok');
    expect(await stack.query(`SELECT 1 FROM pg_class WHERE relname = 'events_p20310102'`)).toEqual([]);
    expect(await outcome(stack, 'ingress-gateway', `DROP TABLE events_p20310101`)).not.toBe('ok');
  });

  it('migrates as an owner role that is no superuser', async () => {
    const owner = new URL(stack.databaseUrl);
    const name = `hookstream_t_owner_${randomBytes(4).toString('hex')}`;
    await stack.query(`DO $$ BEGIN CREATE ROLE hookstream_owner LOGIN CREATEROLE NOSUPERUSER; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await stack.query(`CREATE DATABASE "${name}" OWNER hookstream_owner`);
    try {
      owner.pathname = `/${name}`;
      owner.username = 'hookstream_owner';
      const result = await migrate(owner.toString());
      expect(result.applied).toContain('0023_service_roles.sql');
      const admin = new pg.Client({ connectionString: owner.toString() });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ owner: string; n: number }>(
          `SELECT pg_get_userbyid(relowner) AS owner, count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') GROUP BY 1`,
        );
        expect(rows.map((r) => r.owner)).toEqual(['hookstream_owner']);
      } finally {
        await admin.end();
      }
    } finally {
      await stack.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  }, 120_000);
});
