import { randomBytes } from 'node:crypto';
import { physicalTopic, TOPIC_SPECS, type TopicKey } from '@hookstream/contracts';
import { allowLocalServiceLogins, ensureDatabase, migrate } from '@hookstream/db';
import { formatApiKey, hashApiKey, TENANT_SCOPES } from '@hookstream/domain';
import { KafkaAdmin } from '@hookstream/kafka';
import { createKafka } from '@hookstream/kafka/kafkajs';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { pino } from 'pino';
import { freePort } from './ports.js';
import type { SecureKafka } from './secure-kafka.js';

export { freePort };

export interface TestStack {
  databaseUrl: string;
  brokers: string[];
  topicPrefix: string;
  redisUrl: string;
  adminKey: string;
  kafka: Kafka;
  /** Environment for services started against this stack. */
  env(): Record<string, string>;
  /** What one service adds to env(): on a secure broker, its own principal's credentials. */
  serviceEnv(service: 'ingress-gateway' | 'subscription-registry' | 'dispatcher' | 'retry-scheduler' | 'dlq-inspector'): Record<string, string>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A private corner of the real local stack for one test file: its own database (migrated) and
 * its own topic prefix on the shared broker, so test files never see each other's data.
 */
export async function createTestStack(label: string, options: { partitions?: Partial<Record<TopicKey, number>>; secure?: SecureKafka } = {}): Promise<TestStack> {
  const suffix = `${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const base = new URL(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/hookstream');
  base.pathname = `/hookstream_t_${suffix}`;
  const databaseUrl = base.toString();
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  await allowLocalServiceLogins(databaseUrl);
  const { secure } = options;
  const brokers = secure?.brokers ?? (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const topicPrefix = `t_${suffix}.`;
  // On a secure broker the stack itself is its super user: it creates topics and grants ACLs.
  const logger = pino({ level: 'error' });
  const kafka = createKafka(`test-${suffix}`, brokers, logger, secure?.security('admin'));
  const admin = new KafkaAdmin({ clientId: `test-${suffix}-admin`, brokers, logger, ...(secure ? { security: secure.security('admin') } : {}) });
  await admin.ensureTopics({ prefix: topicPrefix, ...(options.partitions ? { partitions: options.partitions } : {}) });
  if (secure) await admin.applyAcls(topicPrefix);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  // An idle client whose server went away (a test restarting Postgres) is dropped; the next query
  // connects again. Unheard, the pool's 'error' would end the test process.
  pool.on('error', () => undefined);
  const adminKey = `admin_${randomBytes(24).toString('hex')}`;
  // Each stack its own keys, as each deployment has: the registry seals with them, dispatchers open.
  const subscriptionSecretsKeys = `rest1:${randomBytes(32).toString('base64')}`;
  const changelogSecretsKeys = `log1:${randomBytes(32).toString('base64')}`;
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  return {
    databaseUrl,
    brokers,
    topicPrefix,
    redisUrl,
    adminKey,
    kafka,
    env: () => ({
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      REDIS_URL: redisUrl,
      ADMIN_API_KEY: adminKey,
      SUBSCRIPTION_SECRETS_KEYS: subscriptionSecretsKeys,
      CHANGELOG_SECRETS_KEYS: changelogSecretsKeys,
      LOG_LEVEL: process.env['HOOKSTREAM_TEST_LOG_LEVEL'] ?? 'info',
      NODE_ENV: 'test',
    }),
    serviceEnv: (service) => secure?.env(service) ?? {},
    query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
    close: async () => {
      await pool.end();
      // HOOKSTREAM_TEST_KEEP=1 leaves the database and topics behind for a post-mortem.
      if (process.env['HOOKSTREAM_TEST_KEEP'] === '1') {
        await admin.close();
        process.stderr.write(`kept ${databaseUrl} and topics ${topicPrefix}*\n`);
        return;
      }
      await admin.deleteTopics(TOPIC_SPECS.map((t) => physicalTopic(topicPrefix, t.name))).catch(() => undefined);
      await admin.close();
      const maint = new pg.Client({ connectionString: databaseUrl.replace(/\/[^/]+$/, '/postgres') });
      await maint.connect();
      await maint.query(`DROP DATABASE IF EXISTS "hookstream_t_${suffix}" WITH (FORCE)`);
      await maint.end();
    },
  };
}


/** A tenant and a tenant-scoped API key written straight to the database (for tests of services other than the registry). */
export async function seedTenantKey(stack: TestStack, tenantId: string, scopes: readonly string[] = TENANT_SCOPES): Promise<string> {
  const id = randomBytes(8).toString('hex');
  const key = formatApiKey(id, randomBytes(32));
  await stack.query('INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [tenantId]);
  await stack.query(`INSERT INTO api_keys (id, tenant_id, name, scope, scopes, key_hash) VALUES ($1, $2, 'test', 'tenant', $3, $4)`, [id, tenantId, scopes, hashApiKey(key)]);
  return key;
}
