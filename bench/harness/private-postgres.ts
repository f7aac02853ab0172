/**
 * A Postgres cluster of a run's own, with the server's defaults (autovacuum on, as production
 * runs it): the chaos suite stops and crashes it, and the bench measures on it rather than on
 * the machine's shared server, whose CI configuration turns autovacuum off.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@hookstream/testing';

const run = promisify(execFile);
const PG_BIN = process.env['HOOKSTREAM_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

/**
 * A Postgres cluster of its own (initdb into a temporary folder, owned by the postgres user when
 * we run as root, as initdb refuses root), on a free port.
 */
export class PrivatePostgres {
  readonly port: number;
  private readonly dataDir: string;
  private readonly socketDir: string;
  private readonly as: { uid: number; gid: number } | undefined;
  private readonly extraOptions: string;
  private readonly root: string;

  private constructor(root: string, port: number, dataDir: string, socketDir: string, as: { uid: number; gid: number } | undefined, extraOptions: string) {
    this.root = root;
    this.port = port;
    this.dataDir = dataDir;
    this.socketDir = socketDir;
    this.as = as;
    this.extraOptions = extraOptions;
  }

  /** `extraOptions`: more server options (`-c name=value …`), for looking inside a run. */
  static async start(root: string, extraOptions = ''): Promise<PrivatePostgres> {
    const base = join(root, 'postgres');
    const dataDir = join(base, 'data');
    const socketDir = join(base, 'run');
    mkdirSync(socketDir, { recursive: true });
    let as: { uid: number; gid: number } | undefined;
    if (process.getuid?.() === 0) {
      const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
      as = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
      chmodSync(root, 0o755);
      for (const dir of [base, socketDir]) chownSync(dir, as.uid, as.gid);
    }
    const pg = new PrivatePostgres(root, await freePort(), dataDir, socketDir, as, extraOptions.trim());
    await pg.bin('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await pg.start();
    return pg;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/hookstream`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.socketDir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=64MB${this.extraOptions ? ` ${this.extraOptions}` : ''}`;
    await this.bin('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.dataDir, '..', 'postgres.log'), '-w', '-t', '60', 'start']);
  }

  /** `-m immediate`: every backend killed at once, no checkpoint; crash recovery on the next start. */
  async crash(): Promise<void> {
    await this.bin('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
  }

  async stop(): Promise<void> {
    await this.bin('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
  }

  /** Stops the cluster and deletes its folder (`root`, as given to start). */
  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.root, { recursive: true, force: true });
  }

  private async bin(name: string, args: string[]): Promise<void> {
    await run(join(PG_BIN, name), args, { ...(this.as ?? {}), cwd: '/', maxBuffer: 4 << 20 });
  }
}
