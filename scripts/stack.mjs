#!/usr/bin/env node
// Brings up the local stack: a Kafka broker (unless KAFKA_BROKERS names one), the database
// (created if missing, migrated) and every topic of docs/architecture.md. Idempotent.
//
//   node scripts/stack.mjs                 everything
//   node scripts/stack.mjs --no-kafka-start  use KAFKA_BROKERS / 127.0.0.1:9092 as it is
//   node scripts/stack.mjs --migrate-only  database only
//   node scripts/stack.mjs --no-build      skip the build (an image that ships dist/)
//   node scripts/stack.mjs --local-logins  with --migrate-only: let the service roles log in
//                                          (a developer's database; SERVICE_ROLES_PASSWORD if the
//                                          server asks for one). Production gives them logins itself.
//
// Partition counts: KAFKA_PARTITIONS="events=12,deliveries=12" overrides the defaults.
import { build, defaults, run, ROOT } from './lib.mjs';

const args = new Set(process.argv.slice(2));
const databaseUrl = process.env.DATABASE_URL || defaults.DATABASE_URL;

export async function bringUp({ kafkaStart = true, migrateOnly = false, compile = true, localLogins = !migrateOnly } = {}) {
  if (compile) await build();
  const { allowLocalServiceLogins, ensureDatabase, migrate } = await import('@hookstream/db');
  if (await ensureDatabase(databaseUrl)) console.log(`[stack] created database ${new URL(databaseUrl).pathname.slice(1)}`);
  const result = await migrate(databaseUrl);
  console.log(`[stack] migrations: ${result.applied.length ? `applied ${result.applied.join(', ')}` : 'up to date'}`);
  if (localLogins) {
    await allowLocalServiceLogins(databaseUrl, process.env.SERVICE_ROLES_PASSWORD || undefined);
    console.log('[stack] service roles may log in (local database)');
  }
  if (migrateOnly) return;

  if (kafkaStart && !process.env.KAFKA_BROKERS) {
    await run('bash', [`${ROOT}/deploy/local/kafka.sh`, 'start']);
  }
  const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
  const { KafkaAdmin } = await import('@hookstream/kafka');
  const { pino } = await import('pino');
  const partitions = Object.fromEntries(
    (process.env.KAFKA_PARTITIONS ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [key, n] = pair.split('=');
        if (!key || !/^\d+$/.test(n ?? '')) throw new Error(`KAFKA_PARTITIONS: "${pair}" is not topicKey=count`);
        return [key.trim(), Number(n)];
      }),
  );
  const admin = new KafkaAdmin({ clientId: 'hookstream-stack', brokers, logger: pino({ level: 'warn' }) });
  const created = await admin.ensureTopics({ prefix: process.env.KAFKA_TOPIC_PREFIX ?? '', partitions }).finally(() => admin.close());
  console.log(`[stack] topics: ${created.length ? `created ${created.join(', ')}` : 'all present'}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const migrateOnly = args.has('--migrate-only');
  bringUp({ kafkaStart: !args.has('--no-kafka-start'), migrateOnly, compile: !args.has('--no-build'), localLogins: !migrateOnly || args.has('--local-logins') }).catch((err) => {
    console.error(`[stack] ${err.message}`);
    process.exit(1);
  });
}
