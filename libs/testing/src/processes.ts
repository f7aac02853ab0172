import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceDatabaseUrl } from '@hookstream/db';
import { listensOn } from './listener.js';
import { waitFor } from './wait.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const SERVICES = ['ingress-gateway', 'subscription-registry', 'dispatcher', 'retry-scheduler', 'dlq-inspector'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** The apps that run as servers: the five services, and the web console's server (apps/console). */
export type AppName = ServiceName | 'console';

/** One service running as its own process from its build output, as in production. */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  readonly output: string[] = [];
  private exit: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly name: AppName,
    readonly port: number,
    private env: Record<string, string>,
    private readonly echo = process.env['HOOKSTREAM_TEST_LOGS'] === '1',
  ) {}

  /**
   * Changes the environment the next start() uses (a value of undefined removes the variable),
   * for a scenario that needs a service configured otherwise; the running process is unaffected.
   */
  setEnv(changes: Record<string, string | undefined>): void {
    const merged = Object.entries({ ...this.env, ...changes });
    this.env = Object.fromEntries(merged.filter((e): e is [string, string] => e[1] !== undefined));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const child = spawn(process.execPath, [`${REPO_ROOT}apps/${this.name}/dist/main.js`], {
      cwd: REPO_ROOT,
      // V8's compiled code cached on disk (NODE_COMPILE_CACHE): the suites start services about
      // 150 times, each loading the same modules; a start after the first is about a tenth faster.
      env: { NODE_COMPILE_CACHE: join(tmpdir(), 'hookstream-compile-cache'), ...process.env, ...this.env, ...this.databaseUrl(), PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (buf: Buffer) => {
      for (const line of buf.toString('utf8').split('\n')) {
        if (!line) continue;
        this.output.push(line);
        if (this.output.length > 2000) this.output.shift();
        if (this.echo) process.stderr.write(`[${this.name}] ${line}\n`);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  /** As in production, each service connects as its own Postgres role (migration 0023), never as the owner. */
  private databaseUrl(): { DATABASE_URL?: string } {
    const url = this.env['DATABASE_URL'] ?? process.env['DATABASE_URL'];
    // The console's server has no database: it forwards to the services.
    if (!url?.startsWith('postgres') || this.name === 'console') return {};
    return { DATABASE_URL: serviceDatabaseUrl(url, this.name) };
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    const child = this.child;
    await waitFor(
      async () => {
        if (child?.exitCode !== null && child?.exitCode !== undefined) {
          throw new Error(`${this.name} exited with ${child.exitCode}:\n${this.output.slice(-30).join('\n')}`);
        }
        const res = await fetch(`${this.url}/health/ready`).catch(() => null);
        // Another server could answer on this port while this process failed to bind it and is
        // about to exit: ready means this process holds the port and answers there.
        return res?.status === 200 && child?.pid !== undefined && (await listensOn(child.pid, this.port));
      },
      timeoutMs,
      `${this.name} to become ready`,
      200,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n--- ${this.name} output ---\n${this.output.slice(-40).join('\n')}`);
    });
  }

  /** SIGKILL: no shutdown hooks, no commits; what a crash looks like. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM and wait for a graceful exit; returns the exit code. */
  async stop(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.exit;
  }
}
