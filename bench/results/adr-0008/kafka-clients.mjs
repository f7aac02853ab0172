#!/usr/bin/env node
// ADR 0008's measurement: the Kafka clients Hookstream could use, each driven the way the
// services drive Kafka, on the local broker (the Kafka 4 line of deploy/local/pom.xml).
//   produce: messages the size of a hookstream.deliveries message (about 900 bytes of JSON),
//            keyed by 96 subscription ids, acks=all, requests of 500 awaited one after another
//            (the producer of libs/kafka sends one request at a time and retries it whole);
//   consume: the same messages from the earliest offset in a fresh group, every value parsed as
//            JSON, offsets committed after every 500 messages (batch, then commit).
// Each client runs in a child process of its own, so CPU time (process.cpuUsage) is its alone;
// runs alternate between the clients. Prints one JSON object; with --out FILE, writes it too.
// Usage (Node 24 on PATH, after npm ci, with `npm run stack` up):
//   node bench/results/adr-0008/kafka-clients.mjs [--messages 100000] [--rounds 3] [--out FILE]
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string' },
    child: { type: 'string' },
    // Where the clients are installed, when not in the repository (the confluent client builds
    // librdkafka from source: ADR 0008 says how).
    modules: { type: 'string', default: fileURLToPath(new URL('../../../node_modules', import.meta.url)) },
  },
});
const PACKAGES = { kafkajs: 'kafkajs', platformatic: '@platformatic/kafka', confluent: '@confluentinc/kafka-javascript' };
/** Imports a client from --modules (one node_modules folder, the repository's by default). */
const load = (pkg) => import(pathToFileURL(createRequire(join(args.modules, 'x.js')).resolve(pkg)).href);
const N = Number(args.messages);
const BATCH = 500;
const PARTITIONS = 12;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const subscriptions = Array.from({ length: 96 }, () => randomUUID());
const body = JSON.stringify({ id: 'evt_x', type: 'order.placed', tenant_id: 'bench', occurred_at: new Date().toISOString(), data: { order_id: 'ord_1', lines: 'x'.repeat(400) } });

function message(i, prefix) {
  const value = {
    delivery_id: randomUUID(),
    tenant_id: 'bench',
    subscription_id: subscriptions[i % subscriptions.length],
    event_id: `${prefix}${i}`,
    event_type: 'order.placed',
    attempt: 1,
    generation: 0,
    body,
    origin: 'fanout',
    first_attempt_at: new Date().toISOString(),
  };
  return { key: value.subscription_id, value: JSON.stringify(value), headers: { 'hs-schema-version': '1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } };
}

/** Runs `fn` and answers its wall time and this process's CPU time, in ms. */
async function measured(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const summary = ({ wallMs, cpuMs }) => ({ per_s: Math.round((N / wallMs) * 1000), cpu_us_per_message: Number(((cpuMs * 1000) / N).toFixed(2)), wall_ms: Math.round(wallMs) });

const clients = {
  async kafkajs(topic, prefix) {
    const { Kafka, logLevel, Partitioners, CompressionTypes } = (await load('kafkajs')).default;
    const kafka = new Kafka({ clientId: 'adr0008', brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: false, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 0 } });
    await producer.connect();
    const produce = await measured(async () => {
      for (let i = 0; i < N; i += BATCH) {
        const messages = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => message(i + j, prefix));
        await producer.sendBatch({ topicMessages: [{ topic, messages }], acks: -1, compression: CompressionTypes.None });
      }
    });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `adr0008-${randomUUID()}`, maxWaitTimeInMs: 100, maxBytesPerPartition: 1024 * 1024, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    let done;
    const finished = new Promise((resolve) => (done = resolve));
    const consume = await measured(async () => {
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 3,
        eachBatch: async ({ batch, resolveOffset }) => {
          for (let k = 0; k < batch.messages.length; k += BATCH) {
            const part = batch.messages.slice(k, k + BATCH);
            for (const m of part) JSON.parse(m.value.toString('utf8'));
            const last = part[part.length - 1].offset;
            resolveOffset(last);
            await consumer.commitOffsets([{ topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
            seen += part.length;
          }
          if (seen >= N) done();
        },
      });
      await finished;
    });
    await consumer.disconnect();
    return { produce: summary(produce), consume: summary(consume) };
  },

  async platformatic(topic, prefix) {
    const { Producer, Consumer, ProduceAcks, stringSerializers, stringDeserializers } = await load('@platformatic/kafka');
    const producer = new Producer({ clientId: 'adr0008', bootstrapBrokers: brokers, serializers: stringSerializers, idempotent: false, acks: ProduceAcks.ALL, retries: 0 });
    const produce = await measured(async () => {
      for (let i = 0; i < N; i += BATCH) {
        const messages = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => ({ topic, ...message(i + j, prefix) }));
        await producer.send({ messages, acks: ProduceAcks.ALL });
      }
    });
    await producer.close();
    const consumer = new Consumer({ groupId: `adr0008-${randomUUID()}`, clientId: 'adr0008', bootstrapBrokers: brokers, deserializers: stringDeserializers, maxWaitTime: 100 });
    let seen = 0;
    const consume = await measured(async () => {
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, maxBytesPerPartition: 1024 * 1024 });
      let pending = [];
      for await (const m of stream) {
        JSON.parse(m.value);
        pending.push(m);
        if (pending.length === BATCH || seen + pending.length >= N) {
          // The last offset of each partition in this part, committed as one request.
          const last = new Map();
          for (const p of pending) last.set(p.partition, p);
          await consumer.commit({ offsets: [...last.values()].map((p) => ({ topic, partition: p.partition, offset: p.offset, leaderEpoch: 0 })) });
          seen += pending.length;
          pending = [];
        }
        if (seen >= N) break;
      }
      await stream.close();
    });
    await consumer.close(true);
    return { produce: summary(produce), consume: summary(consume) };
  },

  async confluent(topic, prefix) {
    const { Kafka, logLevel } = (await load('@confluentinc/kafka-javascript')).KafkaJS;
    const kafka = new Kafka({ kafkaJS: { clientId: 'adr0008', brokers, logLevel: logLevel.NOTHING } });
    const producer = kafka.producer({ kafkaJS: { idempotent: false, acks: -1, compression: 'none' } });
    await producer.connect();
    const produce = await measured(async () => {
      for (let i = 0; i < N; i += BATCH) {
        const messages = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => message(i + j, prefix));
        await producer.send({ topic, messages });
      }
    });
    await producer.disconnect();
    const consumer = kafka.consumer({ kafkaJS: { groupId: `adr0008-${randomUUID()}`, fromBeginning: true, autoCommit: false, maxWaitTimeInMs: 100 } });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    let seen = 0;
    let done;
    const finished = new Promise((resolve) => (done = resolve));
    const consume = await measured(async () => {
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        eachBatch: async ({ batch, resolveOffset }) => {
          for (const m of batch.messages) JSON.parse(m.value.toString('utf8'));
          const last = batch.messages[batch.messages.length - 1].offset;
          resolveOffset(last);
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
          seen += batch.messages.length;
          if (seen >= N) done();
        },
      });
      await finished;
    });
    await consumer.disconnect();
    return { produce: summary(produce), consume: summary(consume) };
  },
};

async function topicAdmin(create) {
  const { Kafka, logLevel } = (await load('kafkajs')).default;
  const admin = new Kafka({ clientId: 'adr0008-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topic = `adr0008.${randomUUID().slice(0, 8)}`;
  if (create) await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: -1 }] });
  return { admin, topic };
}

if (args.child) {
  // One client, one round, on a topic of its own.
  const { admin, topic } = await topicAdmin(true);
  try {
    const result = await clients[args.child](topic, `evt_${args.child}_`);
    process.stdout.write(JSON.stringify(result));
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  process.exit(0);
}

const available = Object.keys(clients).filter((name) => existsSync(join(args.modules, PACKAGES[name], 'package.json')));
const runs = Object.fromEntries(available.map((c) => [c, []]));
for (let round = 0; round < Number(args.rounds); round++) {
  for (const name of available) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name, '--messages', String(N), '--modules', args.modules], { encoding: 'utf8', maxBuffer: 1 << 20 });
    runs[name].push(JSON.parse(out));
    process.stderr.write(`round ${round + 1} ${name}: ${out}\n`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medians = Object.fromEntries(
  Object.entries(runs).map(([name, rs]) => [
    name,
    Object.fromEntries(['produce', 'consume'].map((phase) => [phase, { per_s: median(rs.map((r) => r[phase].per_s)), cpu_us_per_message: median(rs.map((r) => r[phase].cpu_us_per_message)) }])),
  ]),
);
const versions = Object.fromEntries(available.map((name) => [name, JSON.parse(readFileSync(join(args.modules, PACKAGES[name], 'package.json'), 'utf8')).version]));
const result = { at: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, brokers, messages: N, batch: BATCH, partitions: PARTITIONS, versions, medians, runs };
const text = JSON.stringify(result, null, 2);
if (args.out) writeFileSync(args.out, `${text}\n`);
process.stdout.write(`${text}\n`);
