/**
 * The chaos suite's own Kafka broker, Postgres cluster and Redis server, on free ports and in a
 * temporary folder: it stops and restarts them, so it must never touch the machine's shared ones.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, REPO_ROOT, waitFor } from '@hookstream/testing';
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

/** A single-node broker started by deploy/local/kafka.sh with its own port, state and data. */
export class PrivateKafka {
  readonly port: number;
  private readonly env: NodeJS.ProcessEnv;

  private constructor(port: number, env: NodeJS.ProcessEnv) {
    this.port = port;
    this.env = env;
  }

  static async start(root: string): Promise<PrivateKafka> {
    const version = /<kafka\.version>(.+)<\/kafka\.version>/.exec(readFileSync(join(REPO_ROOT, 'deploy/local/pom.xml'), 'utf8'))?.[1];
    if (!version) throw new Error('deploy/local/pom.xml names no kafka.version');
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOOKSTREAM_LOCAL_DIR: root,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      // The checkout's jars (fetched there once), not a second download per run.
      KAFKA_LIB_DIR: join(process.env['HOOKSTREAM_LOCAL_DIR'] ?? join(REPO_ROOT, '.local'), 'kafka', `lib-${version}`),
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
    };
    delete env['KAFKA_BROKERS'];
    const kafka = new PrivateKafka(port, env);
    await kafka.script('start');
    return kafka;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await this.script('start');
  }

  /** SIGKILL: no controlled shutdown, no flush; kafka.sh starts it again over the stale pid file. */
  async crash(): Promise<void> {
    const pid = Number(readFileSync(join(String(this.env['HOOKSTREAM_LOCAL_DIR']), 'kafka', 'broker.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${String(pid)}`), 30_000, `the broker (pid ${String(pid)}) to die`);
  }

  /** SIGTERM, as an orchestrator stops a broker (kafka.sh waits up to 30 s, then SIGKILLs it). */
  async stop(): Promise<void> {
    await this.script('stop');
  }

  private async script(command: 'start' | 'stop'): Promise<void> {
    await run('bash', [KAFKA_SH, command], { env: this.env, maxBuffer: 4 << 20 });
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

  static async start(root: string, log: (m: string) => void): Promise<PrivateInfra> {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const started = await Promise.allSettled([PrivateKafka.start(root), PrivatePostgres.start(root, extraPostgresOptions()), PrivateRedis.start()] as const);
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
