/**
 * The chaos suite's own Kafka broker, Postgres cluster and Redis server, on free ports and in a
 * temporary folder: it stops and restarts them, so it must never touch the machine's shared ones.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, kafkaVersion, REPO_ROOT, waitFor } from '@hookstream/testing';
import { PrivatePostgres } from '../../bench/harness/private-postgres.ts';

const run = promisify(execFile);
const KAFKA_SH = join(REPO_ROOT, 'deploy/local/kafka.sh');

async function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

/** One Kafka node (broker and controller in one process) that deploy/local/kafka.sh runs. */
export class KafkaNode {
  readonly id: number;
  readonly port: number;
  private readonly env: NodeJS.ProcessEnv;

  // Plain fields, not parameter properties: the suite runs as TypeScript with types stripped.
  constructor(id: number, port: number, env: NodeJS.ProcessEnv) {
    this.id = id;
    this.port = port;
    this.env = env;
  }

  /** The broker jars, with the admin tools. */
  get libDir(): string {
    return String(this.env['KAFKA_LIB_DIR']);
  }

  async start(): Promise<void> {
    await run('bash', [KAFKA_SH, 'start'], { env: this.env, maxBuffer: 4 << 20 });
  }

  /** SIGKILL: no controlled shutdown, no flush; kafka.sh starts it again over the stale pid file. */
  async crash(): Promise<void> {
    const pid = Number(readFileSync(join(String(this.env['HOOKSTREAM_LOCAL_DIR']), 'kafka', 'broker.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${String(pid)}`), 30_000, `the broker (pid ${String(pid)}) to die`);
  }

  /** SIGTERM, as an orchestrator stops a broker (kafka.sh waits up to 30 s, then SIGKILLs it). */
  async stop(): Promise<void> {
    await run('bash', [KAFKA_SH, 'stop'], { env: this.env, maxBuffer: 4 << 20 });
  }
}

/**
 * The chaos suite's Kafka: one node, or a KRaft cluster of three on loopback (every node both
 * broker and controller, as a small production cluster runs), with replication factor 3,
 * min.insync.replicas=2 and unclean leader election off. Each node has its own port, state and
 * data; all share the checkout's jars.
 */
export class PrivateKafka {
  readonly nodes: readonly KafkaNode[];

  private constructor(nodes: readonly KafkaNode[]) {
    this.nodes = nodes;
  }

  static async start(root: string, size: 1 | 3 = 1): Promise<PrivateKafka> {
    const version = kafkaVersion();
    const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freePort(), controller: await freePort() })));
    const voters = ports.map((p, i) => `${String(i + 1)}@127.0.0.1:${String(p.controller)}`).join(',');
    // Every node of a cluster formats its storage with the same cluster id.
    const clusterId = kafkaClusterId();
    const nodes = ports.map((p, i) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        HOOKSTREAM_LOCAL_DIR: size === 1 ? root : join(root, `kafka-${String(i + 1)}`),
        KAFKA_PORT: String(p.client),
        KAFKA_CONTROLLER_PORT: String(p.controller),
        KAFKA_NODE_ID: String(i + 1),
        KAFKA_QUORUM_VOTERS: voters,
        KAFKA_CLUSTER_ID: clusterId,
        KAFKA_REPLICATION_FACTOR: String(size),
        // The checkout's jars (fetched there once), not a second download per run.
        KAFKA_LIB_DIR: join(process.env['HOOKSTREAM_LOCAL_DIR'] ?? join(REPO_ROOT, '.local'), 'kafka', `lib-${version}`),
        KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
      };
      delete env['KAFKA_BROKERS'];
      return new KafkaNode(i + 1, p.client, env);
    });
    const kafka = new PrivateKafka(nodes);
    // Together: a node of a cluster is ready only once a quorum of controllers is up.
    await kafka.start();
    return kafka;
  }

  get brokers(): string {
    return this.nodes.map((n) => `127.0.0.1:${String(n.port)}`).join(',');
  }

  /** The first node's client port (where the chaos CPU meter finds a broker). */
  get port(): number {
    return this.node(1).port;
  }

  node(id: number): KafkaNode {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no Kafka node ${String(id)}`);
    return node;
  }

  /**
   * Starts every node, and stops them all again if any fails: waiting for every start before
   * cleaning up, since a run that removed the state folder while a node was still starting left
   * the nodes that did start running after it (three brokers outlived one failed cluster run).
   */
  async start(): Promise<void> {
    const started = await Promise.allSettled(this.nodes.map((n) => n.start()));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) {
      await this.stop().catch(() => undefined);
      throw failed.reason;
    }
  }

  /** Every node at once. */
  async crash(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.crash()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }

  /**
   * The node that is the active KRaft controller now, from the quorum's own description
   * (kafka-metadata-quorum; the Metadata API's controller id is any live broker under KRaft).
   */
  async activeController(): Promise<number> {
    const { stdout } = await run('java', ['-cp', `${this.node(1).libDir}/*`, 'org.apache.kafka.tools.MetadataQuorumCommand', '--bootstrap-server', this.brokers, 'describe', '--status'], { maxBuffer: 1 << 20 });
    const leader = /LeaderId:\s*(\d+)/.exec(stdout)?.[1];
    if (!leader) throw new Error(`kafka-metadata-quorum named no leader:\n${stdout}`);
    return Number(leader);
  }
}

/**
 * Extra server options from CHAOS_PG_OPTIONS, for looking inside a run (e.g.
 * `-c shared_preload_libraries=pg_stat_statements`); none by default.
 */
function extraPostgresOptions(): string {
  return process.env['CHAOS_PG_OPTIONS']?.trim() ?? '';
}

/** A redis-server without persistence, so a restart comes back empty. */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  readonly port: number;

  private constructor(port: number) {
    this.port = port;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.child = child;
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      return portAnswers(this.port);
    }, 15_000, `redis-server on ${this.port}`);
  }

  /** SIGKILL: Redis gone with everything it held. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async flushAll(): Promise<void> {
    await run('redis-cli', ['-p', String(this.port), 'FLUSHALL']);
  }
}

/** The three, under one temporary folder that goes when they stop. */
export class PrivateInfra {
  readonly root: string;
  readonly kafka: PrivateKafka;
  readonly postgres: PrivatePostgres;
  readonly redis: PrivateRedis;

  private constructor(root: string, kafka: PrivateKafka, postgres: PrivatePostgres, redis: PrivateRedis) {
    this.root = root;
    this.kafka = kafka;
    this.postgres = postgres;
    this.redis = redis;
  }

  static async start(root: string, log: (m: string) => void, kafkaNodes: 1 | 3 = 1): Promise<PrivateInfra> {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const started = await Promise.allSettled([PrivateKafka.start(root, kafkaNodes), PrivatePostgres.start(root, extraPostgresOptions()), PrivateRedis.start()] as const);
    const [k, p, r] = started;
    if (k.status === 'rejected' || p.status === 'rejected' || r.status === 'rejected') {
      // Whatever did start must not outlive the run.
      await Promise.allSettled([k.status === 'fulfilled' && k.value.stop(), p.status === 'fulfilled' && p.value.stop(), r.status === 'fulfilled' && r.value.kill()]);
      const reasons = started.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
      throw new Error(`the private infrastructure did not start: ${reasons.join('; ')}`);
    }
    const [kafka, postgres, redis] = [k.value, p.value, r.value];
    log(`private infrastructure in ${root}: kafka ${kafka.brokers}, postgres ${postgres.port}, redis ${redis.port}`);
    return new PrivateInfra(root, kafka, postgres, redis);
  }

  /** What createTestStack and the services read to find them. */
  env(): Record<string, string> {
    return { KAFKA_BROKERS: this.kafka.brokers, DATABASE_URL: this.postgres.url, REDIS_URL: this.redis.url };
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.kafka.stop(), this.postgres.stop(), this.redis.kill()]);
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * A cluster id as Kafka's own `random-uuid` makes one: 16 random bytes in base64url. Kafka never
 * hands out an id that starts with "-", because the storage tool's argument parser reads it as an
 * option (one chaos run in 64 failed to format its broker that way); so neither do we.
 */
export function kafkaClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
