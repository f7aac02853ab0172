import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KAFKA_PRINCIPALS, type KafkaPrincipal } from '@hookstream/contracts';
import type { KafkaSecurity } from '@hookstream/kafka';
import { REPO_ROOT } from './processes.js';
import { freePort } from './ports.js';

const exec = promisify(execFile);

/**
 * The Kafka release a private broker runs: KAFKA_VERSION, as deploy/local/kafka.sh reads it, or
 * the one the pom pins. The checkout's jars, fetched there once, are shared by every broker.
 */
export function kafkaVersion(): string {
  const version = process.env['KAFKA_VERSION'] ?? /<kafka\.version>(.+)<\/kafka\.version>/.exec(readFileSync(join(REPO_ROOT, 'deploy/local/pom.xml'), 'utf8'))?.[1];
  if (!version) throw new Error('deploy/local/pom.xml names no kafka.version');
  return version;
}

export interface SecureKafka {
  readonly brokers: string[];
  /** The PEM file of the test CA that signed the broker's certificate. */
  readonly caFile: string;
  /** Security settings of a principal (`admin` is the broker's super user). */
  security(principal: KafkaPrincipal | 'admin', password?: string): KafkaSecurity;
  /** The KAFKA_* variables a service process needs to connect as its own principal. */
  env(principal: KafkaPrincipal): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A single-node broker whose only client listener is SASL_SSL (SCRAM-SHA-512) with ACLs enforced,
 * from deploy/local/kafka.sh, with a CA made for it here by openssl: one SCRAM user per principal
 * of KAFKA_ACCESS plus `admin`. ACLs are not granted here: applyKafkaAcls does that per topic prefix.
 */
export async function startSecureKafka(): Promise<SecureKafka> {
  const root = mkdtempSync(join(tmpdir(), 'hookstream-sasl-'));
  const tls = join(root, 'tls');
  mkdirSync(tls);
  const ssl = (args: string[]) => exec('openssl', args, { cwd: tls });
  await ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=hookstream test CA']);
  await ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'broker.key', '-out', 'broker.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(tls, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await ssl(['x509', '-req', '-in', 'broker.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'broker.crt', '-days', '2', '-extfile', 'san.ext']);
  writeFileSync(join(tls, 'broker.pem'), readFileSync(join(tls, 'broker.key'), 'utf8') + readFileSync(join(tls, 'broker.crt'), 'utf8'));
  const ca = readFileSync(join(tls, 'ca.crt'), 'utf8');

  const passwords = new Map<string, string>(['admin', ...KAFKA_PRINCIPALS].map((p) => [p, randomBytes(18).toString('hex')]));
  const port = await freePort();
  const version = kafkaVersion();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOOKSTREAM_LOCAL_DIR: root,
    KAFKA_VERSION: version,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_LIB_DIR: join(process.env['HOOKSTREAM_LOCAL_DIR'] ?? join(REPO_ROOT, '.local'), 'kafka', `lib-${version}`),
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
    KAFKA_SASL_SSL_DIR: tls,
    KAFKA_SCRAM_USERS: [...passwords].map(([name, password]) => `${name}=${password}`).join(','),
  };
  delete env['KAFKA_BROKERS'];
  const script = join(REPO_ROOT, 'deploy/local/kafka.sh');
  await exec('bash', [script, 'start'], { env, maxBuffer: 4 << 20 });
  const brokers = [`127.0.0.1:${port}`];
  const security = (principal: KafkaPrincipal | 'admin', password?: string): KafkaSecurity => ({
    tls: { ca },
    sasl: { mechanism: 'scram-sha-512', username: principal, password: password ?? passwords.get(principal) ?? '' },
  });
  return {
    brokers,
    caFile: join(tls, 'ca.crt'),
    security,
    env: (principal) => ({
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: principal,
      KAFKA_SASL_PASSWORD: passwords.get(principal) ?? '',
      KAFKA_SSL_CA_FILE: join(tls, 'ca.crt'),
    }),
    stop: async () => {
      await exec('bash', [script, 'stop'], { env, maxBuffer: 4 << 20 });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
