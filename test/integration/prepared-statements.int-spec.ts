import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, type TestStack } from '@hookstream/testing';
import { DataSource } from 'typeorm';
import { dataSourceOptions, GENERIC_PLANS_OPTION, preparedStatement, queryPrepared } from '@hookstream/db';

/**
 * TypeORM passes a `{ name, text }` statement through to node-postgres, which prepares it once
 * per connection; the results keep TypeORM's shapes, and a transaction's statements run on its
 * connection.
 */
describe('queryPrepared', () => {
  let stack: TestStack;
  let db: DataSource;
  const select = preparedStatement('test_select', 'SELECT n FROM unnest($1::int[]) AS t(n) ORDER BY n');
  const update = preparedStatement('test_update', 'UPDATE prepared_probe SET v = v + 1 WHERE id = ANY($1::int[])');
  const lookup = preparedStatement('test_lookup', 'SELECT id FROM prepared_probe WHERE id = ANY($1::int[])');

  beforeAll(async () => {
    stack = await createTestStack('prepared');
    db = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 1, extra: { options: GENERIC_PLANS_OPTION } });
    await db.initialize();
    await db.query('CREATE TABLE prepared_probe (id int PRIMARY KEY, v int NOT NULL)');
    await db.query('INSERT INTO prepared_probe SELECT g, 0 FROM generate_series(1, 5) g');
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await stack?.close();
  });

  it('answers rows, and [rows, count] for an UPDATE, as TypeORM does', async () => {
    expect(await queryPrepared<{ n: number }[]>(db, select, [[3, 1, 2]])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await queryPrepared<[unknown[], number]>(db, update, [[1, 2, 9]])).toEqual([[], 2]);
  });

  it('prepares each statement once on the connection and reuses it', async () => {
    for (let i = 0; i < 10; i++) await queryPrepared(db, select, [[i]]);
    const prepared: { name: string; generic_plans: string; custom_plans: string }[] = await db.query(
      `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'hs_test_%' ORDER BY name`,
    );
    expect(prepared.map((p) => p.name)).toEqual(['hs_test_select', 'hs_test_update']);
    // Planned once, then run on its generic plan without planning again.
    expect(prepared[0]).toMatchObject({ name: 'hs_test_select', custom_plans: '0' });
    expect(Number(prepared[0]?.generic_plans)).toBeGreaterThanOrEqual(10);
  });

  it('keeps a primary-key lookup by array on its generic plan from the first call', async () => {
    for (let i = 0; i < 10; i++) await queryPrepared(db, lookup, [[1, 2, i]]);
    const [plans]: { generic_plans: string; custom_plans: string }[] = await db.query(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'hs_test_lookup'`);
    expect(plans).toEqual({ generic_plans: '10', custom_plans: '0' });
  });

  it("runs inside a transaction on the transaction's connection", async () => {
    await expect(
      db.transaction(async (em) => {
        await queryPrepared(em, update, [[5]]);
        const [row] = await queryPrepared<{ v: number }[]>(em, preparedStatement('test_read', 'SELECT v FROM prepared_probe WHERE id = $1'), [5]);
        expect(row?.v).toBe(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.query('SELECT v FROM prepared_probe WHERE id = 5')).toEqual([{ v: 0 }]);
  });

  it('replaces a connection past its maximum age, so its plans follow a table that grew', async () => {
    await db.query('CREATE TABLE prepared_growth (id int PRIMARY KEY, v int NOT NULL)');
    await db.query('INSERT INTO prepared_growth SELECT g, 0 FROM generate_series(1, 3) g');
    await db.query('VACUUM ANALYZE prepared_growth');
    const aged = new DataSource(dataSourceOptions({ url: stack.databaseUrl, poolSize: 1, maxAgeSeconds: 1, applicationName: 'prepared-growth' }));
    await aged.initialize();
    try {
      // Made on three rows, the generic plan reads the whole table for each probe row.
      const probe = preparedStatement('test_growth', 'SELECT g.id FROM unnest($1::int[]) AS p(id) JOIN prepared_growth g ON g.id = p.id');
      const planOf = async () => {
        await queryPrepared(aged, probe, [[1, 2]]);
        const [row]: { pid: number }[] = await aged.query('SELECT pg_backend_pid() AS pid');
        return row?.pid;
      };
      const first = await planOf();
      await db.query('INSERT INTO prepared_growth SELECT g, 0 FROM generate_series(4, 50000) g');
      // No ANALYZE (autovacuum lags a burst): an invalidation would replan on the old connection too.
      await new Promise((r) => setTimeout(r, 1500));
      const second = await planOf();
      const plan: { 'QUERY PLAN': string }[] = await aged.query(`EXPLAIN EXECUTE hs_test_growth('{1,2}')`);
      expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('prepared_growth_pkey');
      expect(second).not.toBe(first);
    } finally {
      await aged.destroy();
    }
  });
});
