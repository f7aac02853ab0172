/**
 * The hostile tenant's attack in a worker thread of its own (see HostileTenant.runIsolated):
 * plain fetch to the services and its own Kafka producer, so nothing it does waits on, or
 * stalls, the main thread's event loop. Reports its tally to the parent when the attack ends.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { callJson } from '@hookstream/testing';
import { Kafka, logLevel } from 'kafkajs';
import { HostileTenant, type HostileIo, type HostileWorkerData } from './hostile-tenant.ts';

// kafkajs 2.2.4 computes a negative timer on Node 24 (harmless, clamped to 1 ms), as main.ts notes.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
});

// The attacker's own work (2 MiB bodies, 5,000-deep JSON, its HTTP and Kafka clients) belongs to
// the attacker's machine; here it shares two cores with the platform, and took 12 of the attack
// minute's CPU seconds, more than any service but Postgres. At the lowest priority (Linux nice
// is per thread: this worker's only) it runs on what the platform leaves; the round checks that
// the attack still kept its planned rates (attackShortfall in hostile-tenant.ts).
setPriority(19);

const data = workerData as HostileWorkerData;
const kafka = new Kafka({ clientId: 'chaos-hostile-tenant', brokers: data.connection.brokers, logLevel: logLevel.ERROR });
const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();

const io: HostileIo = {
  call: (service, method, path, key, body) => callJson(`${data.connection.urls[service]}${path}`, method, key, body),
  produceRaw: async (messages) => {
    await producer.send({ topic: data.connection.ingestTopic, acks: -1, messages });
  },
  ingestPartitions: async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [data.connection.ingestTopic] });
      return meta.topics[0]?.partitions.length ?? 1;
    } finally {
      await admin.disconnect();
    }
  },
  okOrigin: data.connection.okOrigin,
};

try {
  const tenant = HostileTenant.resume(io, data.state);
  await tenant.run(data.ms, data.sizes);
  parentPort?.postMessage(tenant.tally());
} finally {
  await producer.disconnect();
}
