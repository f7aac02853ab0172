#!/usr/bin/env node
// ADR 0004's measurement: the client-side CPU and the throughput of writing attempt-like rows
// through TypeORM's Repository (insert, save) against raw SQL through the same DataSource
// (multi-row VALUES, unnest arrays). Runs against a scratch database on the local Postgres,
// dropped at the end. Usage (Node 24 on PATH, after npm ci):
//   node bench/results/adr-0004/sql-insert-microbench.mjs [rows=20000] [batch=500] > result.json
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource, EntitySchema } from 'typeorm';

const ROWS = Number(process.argv[2] ?? 20_000);
const BATCH = Number(process.argv[3] ?? 500);
const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const scratch = `hookstream_adr0004_${process.pid}`;

const admin = new pg.Client({ connectionString: new URL('/postgres', base).toString() });
await admin.connect();
await admin.query(`CREATE DATABASE ${scratch}`);

const Attempt = new EntitySchema({
  name: 'Attempt',
  tableName: 'attempts',
  columns: {
    id: { type: 'uuid', primary: true },
    delivery_id: { type: 'uuid' },
    tenant_id: { type: 'text' },
    attempt: { type: 'int' },
    status_code: { type: 'int', nullable: true },
    error_class: { type: 'text', nullable: true },
    duration_ms: { type: 'int' },
    response_body: { type: 'text', nullable: true },
    started_at: { type: 'timestamptz' },
  },
});

const url = new URL(`/${scratch}`, base).toString();
const ds = new DataSource({ type: 'postgres', url, entities: [Attempt], synchronize: false, logging: false, extra: { max: 4 } });
await ds.initialize();
await ds.query(`CREATE TABLE attempts (id uuid PRIMARY KEY, delivery_id uuid NOT NULL, tenant_id text NOT NULL, attempt int NOT NULL,
  status_code int, error_class text, duration_ms int NOT NULL, response_body text, started_at timestamptz NOT NULL)`);

const row = (i) => ({
  id: randomUUID(),
  delivery_id: randomUUID(),
  tenant_id: `tenant-${i % 50}`,
  attempt: 1 + (i % 3),
  status_code: i % 10 === 0 ? 503 : 200,
  error_class: i % 10 === 0 ? 'http_status' : null,
  duration_ms: 20 + (i % 200),
  response_body: i % 10 === 0 ? 'unavailable' : 'ok',
  started_at: new Date(1_796_000_000_000 + i),
});
const COLS = ['id', 'delivery_id', 'tenant_id', 'attempt', 'status_code', 'error_class', 'duration_ms', 'response_body', 'started_at'];

const ways = {
  'typeorm Repository.save': async (rows) => {
    await ds.getRepository(Attempt).save(rows, { chunk: rows.length, reload: false });
  },
  'typeorm Repository.insert': async (rows) => {
    await ds.getRepository(Attempt).insert(rows);
  },
  'raw multi-row VALUES': async (rows) => {
    const params = rows.flatMap((r) => COLS.map((c) => r[c]));
    const values = rows.map((_, i) => `(${COLS.map((__, c) => `$${i * COLS.length + c + 1}`).join(', ')})`).join(', ');
    await ds.query(`INSERT INTO attempts (${COLS.join(', ')}) VALUES ${values}`, params);
  },
  'raw unnest arrays': async (rows) => {
    await ds.query(
      `INSERT INTO attempts (${COLS.join(', ')})
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::int[], $6::text[], $7::int[], $8::text[], $9::timestamptz[])`,
      COLS.map((c) => rows.map((r) => r[c])),
    );
  },
};

const results = [];
// Two rounds, the first a warm-up (JIT, pool connections); only the second is reported.
for (const round of [0, 1]) {
  for (const [name, write] of Object.entries(ways)) {
    await ds.query('TRUNCATE attempts');
    const rows = Array.from({ length: ROWS }, (_, i) => row(i));
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM attempts');
    if (n !== ROWS) throw new Error(`${name} wrote ${n} rows, not ${ROWS}`);
    if (round === 1) {
      results.push({
        way: name,
        rows: ROWS,
        batch: BATCH,
        rows_per_second: Math.round(ROWS / (ms / 1000)),
        client_cpu_ms_per_1000_rows: Number((((cpu.user + cpu.system) / 1000) / (ROWS / 1000)).toFixed(2)),
        wall_ms: Math.round(ms),
      });
    }
  }
}

await ds.destroy();
await admin.query(`DROP DATABASE ${scratch} WITH (FORCE)`);
await admin.end();
console.log(JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
