#!/usr/bin/env node
// ADR 0005's measurement: consuming N events and writing each to Postgres, the way
// @nestjs/microservices' ServerKafka drives kafkajs (consumer.run({ eachMessage }), autoCommit on:
// server/server-kafka.js, bindEvents(), in 12.1.1) against Hookstream's consumer host (eachBatch,
// one multi-row statement per batch, offsets committed after the batch is settled).
// Uses the local broker and Postgres; creates and deletes its own topic and database.
// Usage (Node 24 on PATH, after npm ci): node bench/results/adr-0005/kafka-consume-microbench.mjs [events=20000]
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';

const EVENTS = Number(process.argv[2] ?? 20_000);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const scratch = `hookstream_adr0005_${process.pid}`;
const topic = `adr0005.${process.pid}`;

const admin = new pg.Client({ connectionString: new URL('/postgres', base).toString() });
await admin.connect();
await admin.query(`CREATE DATABASE ${scratch}`);
const pool = new pg.Pool({ connectionString: new URL(`/${scratch}`, base).toString(), max: 4 });
// The scratch database is dropped WITH (FORCE) at the end: its idle connections' errors are expected.
pool.on('error', () => undefined);
await pool.query('CREATE TABLE events (tenant_id text NOT NULL, id text NOT NULL, body jsonb NOT NULL, PRIMARY KEY (tenant_id, id))');

const kafka = new Kafka({ clientId: 'adr0005', brokers, logLevel: logLevel.NOTHING });
const kadmin = kafka.admin();
await kadmin.connect();
await kadmin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
for (let i = 0; i < EVENTS; i += 1000) {
  const messages = Array.from({ length: Math.min(1000, EVENTS - i) }, (_, j) => {
    const tenant = `tenant-${(i + j) % 20}`;
    return { key: tenant, value: JSON.stringify({ id: randomUUID(), tenant_id: tenant, type: 'order.placed', data: { n: i + j } }) };
  });
  await producer.send({ topic, messages });
}
await producer.disconnect();

/** Consumes the whole topic with a fresh group; resolves with wall and process CPU time. */
async function consume(name, run) {
  await pool.query('TRUNCATE events');
  const consumer = kafka.consumer({ groupId: `adr0005-${name}-${process.pid}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const count = (n) => {
    seen += n;
    if (seen >= EVENTS) done();
  };
  await consumer.run(run(count));
  await finished;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  await consumer.disconnect();
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM events');
  if (rows[0].n !== EVENTS) throw new Error(`${name} stored ${rows[0].n} of ${EVENTS}`);
  return { way: name, events: EVENTS, events_per_second: Math.round(EVENTS / (ms / 1000)), client_cpu_ms_per_1000_events: Number((((cpu.user + cpu.system) / 1000) / (EVENTS / 1000)).toFixed(2)), wall_ms: Math.round(ms) };
}

const insertOne = (e) => pool.query('INSERT INTO events (tenant_id, id, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [e.tenant_id, e.id, e]);
const insertMany = (es) =>
  pool.query(
    'INSERT INTO events (tenant_id, id, body) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) ON CONFLICT DO NOTHING',
    [es.map((e) => e.tenant_id), es.map((e) => e.id), es.map((e) => JSON.stringify(e))],
  );

const ways = {
  // ServerKafka: one handler call per message; kafkajs commits on its own schedule (autoCommit).
  'eachMessage + autoCommit (ServerKafka)': (count) => ({
    partitionsConsumedConcurrently: 3,
    eachMessage: async ({ message }) => {
      await insertOne(JSON.parse(message.value.toString()));
      count(1);
    },
  }),
  // Hookstream's consumer host: one statement per batch, offsets committed once it is settled.
  'eachBatch + commit after the batch (Hookstream)': (count) => ({
    partitionsConsumedConcurrently: 3,
    eachBatchAutoResolve: false,
    autoCommit: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
      await insertMany(batch.messages.map((m) => JSON.parse(m.value.toString())));
      const last = batch.messages[batch.messages.length - 1];
      if (last) resolveOffset(last.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
      count(batch.messages.length);
    },
  }),
};

const results = [];
// A warm-up pass of each (JIT, connections), then the measured pass.
for (const round of [0, 1]) {
  for (const [name, run] of Object.entries(ways)) {
    const r = await consume(`${name.split(' ')[0]}-${round}`, run);
    if (round === 1) results.push({ ...r, way: name });
  }
}

console.log(JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
await kadmin.deleteTopics({ topics: [topic] });
await kadmin.disconnect();
await pool.end();
await admin.query(`DROP DATABASE ${scratch} WITH (FORCE)`);
await admin.end();
